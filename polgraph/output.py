"""Writing outputs so that a failure never costs the previous file, and names that are not UTF-8 never crash.

- atomic_output(path): the output is written to a hidden temporary file in the target's folder, flushed and
  fsync'ed, then renamed over the target (and the folder fsync'ed). On any exception, SIGINT or SIGTERM the
  temporary file is removed and the previous file is untouched. A SIGKILL cannot be caught: its temporary file
  (".NAME.PID.polgraph-tmp") stays behind, and the next write to the same target removes it once its process
  is gone. Hidden, so a folder walk never reads it as a document.
- ESCAPE_ERRORS: a codec error handler for writing text whose file names came from the OS as surrogate escapes
  (a byte that is not UTF-8 in a file name becomes U+DC80..U+DCFF in Python). It writes such a character as
  the six ASCII characters ``\\udcXX``: inside a JSON string that is exactly the JSON escape of the same
  character, so `json.loads` gives the name back; in HTML, CSV and text it is a visible, harmless escape.
- display(s): the same name for a message: the undecodable bytes shown as ``\\xNN``.
"""
from __future__ import annotations

import codecs
import contextlib
import os
import re
import signal
import tempfile
import threading

from polgraph.errors import OutputError, Terminated

ESCAPE_ERRORS = "polgraph-escape"
TMP_SUFFIX = ".polgraph-tmp"


def _escape_surrogates(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(f"\\u{ord(c):04x}" for c in bad), exc.end


codecs.register_error(ESCAPE_ERRORS, _escape_surrogates)

_SURROGATES = re.compile("[\ud800-\udfff]")


def display(text) -> str:
    """`text` fit for a terminal: a surrogate-escaped byte (from a non-UTF-8 file name) shown as \\xNN."""
    text = str(text)
    if not _SURROGATES.search(text):
        return text
    return _SURROGATES.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02x}" if 0xDC80 <= ord(m.group()) <= 0xDCFF
                           else f"\\u{ord(m.group()):04x}", text)


def encode_text(text: str) -> bytes:
    """UTF-8 bytes of `text`, a surrogate written as its \\uXXXX escape (see ESCAPE_ERRORS)."""
    return text.encode("utf-8", ESCAPE_ERRORS)


# ------------------------------------------------------------------------------------------ checks

def _reason(e: OSError) -> str:
    return (e.strerror or str(e)).lower() if e.strerror else str(e)


def check_output_path(path, inputs=(), *, folder: bool = False) -> None:
    """Raise OutputError unless `path` can be written: its parent folder exists and is writable, it is not a
    folder (or, with folder=True, not a file), and it is not one of `inputs` (the same file, or a file that
    a walk of an input folder would read). Called before any work, so a bad -o fails at once."""
    path = os.fspath(path)
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise OutputError(path, f"folder {display(os.path.dirname(path) or '.')} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(path, f"folder {display(os.path.dirname(path) or '.')} is not writable")
    if folder:
        if os.path.exists(path) and not os.path.isdir(path):
            raise OutputError(path, "a folder is written here, and this is a file")
    elif os.path.isdir(path):
        raise OutputError(path, "a file is written here, and this is a folder")
    if inputs:
        from polgraph.extract.read import reads_path

        culprit = reads_path(inputs, path)
        if culprit is not None:
            what = "is one of the inputs" if os.path.abspath(culprit) == os.path.abspath(path) else \
                f"would be read as an input (inside {display(culprit)})"
            raise OutputError(path, f"the output {what}; choose another output path")


# ------------------------------------------------------------------------------------------ atomic writes

_handler_pid = None


def _on_sigterm(signum, frame):
    if os.getpid() != _handler_pid:  # a worker forked while we were writing: die as SIGTERM means
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Terminated()


def raise_on_sigterm() -> None:
    """From now on SIGTERM raises Terminated in this process (the CLI calls it once: a terminated command
    then ends like an interrupted one, clean-up included). A worker forked later still dies of it plainly."""
    global _handler_pid
    if threading.current_thread() is threading.main_thread():
        _handler_pid = os.getpid()
        signal.signal(signal.SIGTERM, _on_sigterm)


@contextlib.contextmanager
def _sigterm_raises():
    """While writing, SIGTERM raises instead of ending the process at once (only when nobody else set a
    handler, and only in the main thread, where Python delivers signals)."""
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    raise_on_sigterm()
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


_CATCHABLE = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_deferred():
    """SIGINT/SIGTERM held back (delivered on exit from the block): a temporary file is never created
    without the clean-up that removes it being in place."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _CATCHABLE)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _remove_stale_temporaries(folder: str, name: str) -> None:
    """Temporary files of earlier writes to `name` whose process is gone (a SIGKILL mid-write)."""
    prefix = f".{name}."
    try:
        entries = [e for e in os.listdir(folder) if e.startswith(prefix) and e.endswith(TMP_SUFFIX)]
    except OSError:
        return
    for entry in entries:
        pid = entry[len(prefix):-len(TMP_SUFFIX)].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # still running: another write in progress
        except ProcessLookupError:
            pass
        except OSError:
            continue
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(folder, entry))


def _fsync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(path, mode: str = "w", *, newline: str | None = None):
    """Open a temporary file next to `path` for writing ("w": UTF-8 text with ESCAPE_ERRORS; "wb": bytes);
    on a clean exit it replaces `path` in one rename; on any error or signal it is removed and `path` is left
    as it was. OSError (a full disk, a read-only folder) becomes OutputError naming `path`."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    name = os.path.basename(path)
    _remove_stale_temporaries(folder, name)
    with _sigterm_raises():
        tmp = None
        try:
            with _signals_deferred():
                try:
                    fd, tmp = tempfile.mkstemp(prefix=f".{name}.{os.getpid()}.", suffix=TMP_SUFFIX, dir=folder)
                except OSError as e:
                    raise OutputError(path, f"cannot write: {_reason(e)}") from None
            if "b" in mode:
                f = os.fdopen(fd, mode)
            else:
                f = os.fdopen(fd, mode, encoding="utf-8", errors=ESCAPE_ERRORS, newline=newline)
            with f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            with contextlib.suppress(OSError):
                os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException as e:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            if isinstance(e, OSError):
                raise OutputError(path, f"cannot write: {_reason(e)}") from None
            raise
    _fsync_folder(folder)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomic(path, text: str) -> None:
    """Write `text` to `path` atomically (UTF-8, surrogates escaped)."""
    with atomic_output(path) as f:
        f.write(text)
