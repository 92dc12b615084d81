"""Errors a user can fix, and what the CLI's exit codes mean.

Exit codes (documented in the README):
  0  done, every input used
  1  internal error (a bug: please report it)
  2  usage error or unusable input (nothing was produced): also no readable document at all, and an output
     that cannot be written or is one of the inputs
  3  done, but some input files or JSON Lines lines were skipped (listed on stderr)
  4  an external service (Neo4j) could not be reached or refused the request
  5  a check failed (e.g. `render` over --max-nodes without --force, a REF not found)
  130 / 143  interrupted by SIGINT / SIGTERM (outputs left as they were)
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USAGE = 2
EXIT_PARTIAL = 3
EXIT_SERVICE = 4
EXIT_CHECK = 5


class PolgraphError(Exception):
    """A problem the user can fix; the CLI prints it as one line, without a traceback."""

    exit_code = EXIT_USAGE


class PathError(PolgraphError):
    """A problem with one file: `path` and `reason`, printed as "path: reason"."""

    def __init__(self, path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")

    def __reduce__(self):  # picklable across worker processes
        return type(self), (self.path, self.reason)


class InputError(PathError):
    """A file that cannot be read as a document (binary, empty, undecodable, malformed JSON Lines)."""


class ServiceError(PolgraphError):
    """Neo4j (or another service) is unreachable or refused the request."""

    exit_code = EXIT_SERVICE


class NotFoundError(PolgraphError):
    """A reference (文号 or title) that matches no document in the graph."""

    exit_code = EXIT_CHECK


class LimitError(PolgraphError):
    """A request that exceeds a safety limit (e.g. too many nodes to render)."""

    exit_code = EXIT_CHECK


class OutputError(PathError):
    """An output that cannot be written (missing or read-only folder, full disk, the path of an input)."""


class Terminated(BaseException):
    """SIGTERM while an output was being written: raised so the temporary file is removed (exit 143)."""
