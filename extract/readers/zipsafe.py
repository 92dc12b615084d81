"""Zip containers (DOCX, OFD) opened with limits: a corrupt archive and a zip bomb are reasons, not crashes.

The inflated size is checked twice: from the central directory before anything is inflated (the sizes an
archive declares), and while reading (a member may lie about its size): reading stops one byte past the limit.
"""
from __future__ import annotations

import io
import zipfile

from polgraph.extract.readers import UnreadableError

# A policy document's DOCX or OFD inflates to a few MB (images included); 256 MB of XML is not a document.
MAX_INFLATED_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 20000
# Deflate reaches ~1000:1 at best on real data; a bomb's members go far beyond. Checked per member above 1 MB.
MAX_RATIO = 1000


def open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise UnreadableError(f"corrupt zip archive ({e})") from None
    if len(infos) > MAX_MEMBERS:
        raise UnreadableError(f"zip bomb: {len(infos)} members (limit {MAX_MEMBERS})")
    total = sum(i.file_size for i in infos)
    if total > MAX_INFLATED_BYTES:
        raise UnreadableError(f"zip bomb: would inflate to {total} bytes (limit {MAX_INFLATED_BYTES})")
    for i in infos:
        if i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(1, i.compress_size):
            raise UnreadableError(f"zip bomb: {i.filename} inflates {i.file_size // max(1, i.compress_size)}:1")
    if any(i.flag_bits & 0x1 for i in infos):
        raise UnreadableError("encrypted zip archive")
    zf.budget = MAX_INFLATED_BYTES  # what is left to inflate, over all members read
    return zf


def read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes; UnreadableError when it is missing, corrupt, or inflates past what is left."""
    try:
        with zf.open(name) as f:
            data = f.read(zf.budget + 1)
    except KeyError:
        raise UnreadableError(f"corrupt archive: no {name}") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as e:
        raise UnreadableError(f"corrupt zip archive ({name}: {e})") from None
    if len(data) > zf.budget:
        raise UnreadableError(f"zip bomb: {name} inflates past {MAX_INFLATED_BYTES} bytes")
    zf.budget -= len(data)
    return data


def member_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Member names by their lower-case form (OFD producers differ in case: Doc_0/Document.xml, doc_0/...)."""
    return {n.lower(): n for n in zf.namelist()}
