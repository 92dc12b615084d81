"""Data tables shipped inside the wheel (read with importlib.resources.files("polgraph.data"))."""
from __future__ import annotations

from importlib.resources import files
from typing import Iterator


def table_rows(name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated fields) of each row of the data table `name`; blank lines and `#` comments
    are skipped. Each reader checks its own columns and names the line in its error.

    >>> next(table_rows("levels.tsv"))[1][0]
    'central'
    """
    text = files("polgraph.data").joinpath(name).read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield n, line.split("\t")
