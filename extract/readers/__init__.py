"""Readers of the binary formats analysts download besides text and HTML pages: PDF, DOCX, DOC/WPS, OFD.

A reader is a `Reader`: its format's name, the file extensions a folder walk picks up, a test on the bytes
(magic numbers, or for zip containers the names inside), and a function from bytes to text. The registry is
`extract/read.py`'s READERS tuple: a new format is one module here plus one entry there.

Readers return text with "\\n" line ends, one paragraph a line: the metadata stage reads line structure (heading
lines, the number line, the signature and date at the end). They raise UnreadableError with a one-line reason
for a file they recognise but cannot read (encrypted, scanned, corrupt, a zip bomb, a missing tool).
Heavy libraries are imported inside the read functions, so a run over text files never loads them.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Callable


class UnreadableError(ValueError):
    """A file of a known format that cannot be read; str() is the one-line reason."""


@dataclass(frozen=True)
class Probe:
    """What the format tests look at: the file's bytes, and the member names when it is a readable zip."""

    data: bytes

    @property
    def is_zip(self) -> bool:
        return self.data.startswith(b"PK\x03\x04")

    @property
    def zip_names(self) -> frozenset[str]:
        cached = self.__dict__.get("_zip_names")
        if cached is None:
            cached = frozenset()
            if self.is_zip:
                try:
                    with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
                        cached = frozenset(zf.namelist())
                except (zipfile.BadZipFile, OSError, ValueError, EOFError):
                    pass
            object.__setattr__(self, "_zip_names", cached)
        return cached


@dataclass(frozen=True)
class Reader:
    name: str                          # the format, as reported in Document.encoding ("pdf", "docx", ...)
    extensions: tuple[str, ...]        # picked up inside folders (a file named explicitly is sniffed whatever)
    sniff: Callable[[Probe], bool]
    read: Callable[[bytes], str]
