"""One family of errors, each with a stable code and a message that says what to do.

The CLI prints ``str(error)`` (``E101 column 'comment' not found; ...``) and exits
non-zero; library callers can catch :class:`MinerError` or a specific subclass.
"""

from __future__ import annotations


class MinerError(Exception):
    """Base class: a problem the user can fix, with a stable code."""

    code = "E100"
    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code} {self.message}"


class InputNotFound(MinerError):
    code = "E101"


class UnreadableInput(MinerError):
    code = "E102"


class ColumnNotFound(MinerError):
    code = "E103"


class NoUsableText(MinerError):
    code = "E104"


class OutputNotWritable(MinerError):
    code = "E105"


class NotFitted(MinerError):
    code = "E106"


class ModelLoadError(MinerError):
    code = "E107"


class InvalidConfig(MinerError):
    code = "E108"


class MissingDependency(MinerError):
    code = "E109"


class CustomerNotFound(MinerError):
    """A customer id that is not in the run, or a run without a customer id column."""

    code = "E110"


class CurationError(MinerError):
    """A curation edit that cannot be made (an unknown theme, nothing to undo)."""

    code = "E111"


class UnsafeName(MinerError):
    """A name that would reach outside the app's workspace folder."""

    code = "E112"
