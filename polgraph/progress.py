"""Progress bars on stderr: shown only on a TTY and never with --quiet."""
from __future__ import annotations

import contextlib
import sys
from typing import Iterable, Iterator, TypeVar

import click

T = TypeVar("T")


def progress_enabled(quiet: bool = False) -> bool:
    return not quiet and sys.stderr.isatty()


@contextlib.contextmanager
def progress(iterable: Iterable[T] | None = None, *, length: int | None = None, label: str = "",
             quiet: bool = False) -> Iterator:
    """Wrap `iterable` in a click progress bar on stderr, or pass it through unchanged.

    The yielded object is iterable and has `.update(n)`, whether the bar is shown or not.
    """
    if progress_enabled(quiet):
        with click.progressbar(iterable, length=length, label=label, file=sys.stderr,
                               show_pos=True) as bar:
            yield bar
    else:
        yield _Silent(iterable)


class _Silent:
    def __init__(self, iterable):
        self._it = iterable

    def __iter__(self):
        return iter(self._it if self._it is not None else ())

    def update(self, n_steps: int, current_item=None) -> None:
        pass
