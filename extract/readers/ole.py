"""Legacy Word (.doc) and Kingsoft WPS (.wps) files: OLE2 compound files, read by Debian's `antiword` (or
`catdoc` when antiword is absent or cannot read the file) run as a subprocess with a timeout. Without either
tool the file is skipped with a reason that names the Debian packages."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from polgraph.extract.readers import Probe, Reader, UnreadableError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TIMEOUT_SECONDS = 60
# How each tool prints a whole paragraph on one line, in UTF-8.
COMMANDS = {
    "antiword": ["antiword", "-w", "0", "-m", "UTF-8.txt"],
    "catdoc": ["catdoc", "-w", "-d", "utf-8"],
}


def sniff(probe: Probe) -> bool:
    return probe.data.startswith(OLE_MAGIC)


def _run(tool: str, path: str) -> str:
    try:
        done = subprocess.run(COMMANDS[tool] + [path], capture_output=True, timeout=TIMEOUT_SECONDS,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise UnreadableError(f"{tool} took more than {TIMEOUT_SECONDS} s") from None
    except OSError as e:
        raise UnreadableError(f"{tool} could not run ({e.strerror or e})") from None
    message = done.stderr.decode("utf-8", "replace").strip().splitlines()
    if done.returncode != 0:
        raise UnreadableError(f"{tool} cannot read it ({message[-1] if message else f'exit {done.returncode}'})")
    return done.stdout.decode("utf-8", "replace")


def read(data: bytes) -> str:
    tools = [t for t in COMMANDS if shutil.which(t)]
    if not tools:
        raise UnreadableError("a DOC/WPS (OLE2) file needs antiword or catdoc: install the Debian package "
                              "antiword (apt-get install antiword catdoc)")
    with tempfile.TemporaryDirectory(prefix="polgraph-ole-") as tmp:
        path = os.path.join(tmp, "document.doc")
        with open(path, "wb") as f:
            f.write(data)
        failure = None
        for tool in tools:
            try:
                text = _run(tool, path)
            except UnreadableError as e:
                failure = failure or e
                continue
            text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
            if tool == "antiword":
                # antiword ends every paragraph with a blank line (an empty paragraph is one more): one
                # paragraph a line, as the other readers give it
                text = "\n".join(text.strip("\n").split("\n\n"))
            if text.strip():
                return "\n".join(line.rstrip() for line in text.split("\n"))
    raise failure or UnreadableError("no text in this DOC/WPS file")


READER = Reader("doc", (".doc", ".wps"), sniff, read)
