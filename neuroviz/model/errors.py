"""Every error the model raises, in one module that imports nothing of neuroviz.

Kept at the bottom of the import graph so that any model module can raise any of them without importing
another model module (that is how the old cycles network ↔ files ↔ keras_io and activations ↔ formula
started). Each error is also re-exported where it used to live (``files.NetworkFileError``,
``network.InvalidNetworkError``, ``formula.FormulaError``, ``activations.FormulaError``).
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["ExportError", "FileReadError", "FileWriteError", "FormulaError", "InvalidNetworkError", "NetworkFileError"]


class InvalidNetworkError(ValueError):
    """A ValueError that knows *where* the problem is (``where``) and *what* it is (``reason``)."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


class NetworkFileError(ValueError):
    """A network file that cannot be read or written: ``path``, ``where`` and ``reason`` say which and why."""

    def __init__(self, path: str | os.PathLike, where: str, reason: str) -> None:
        self.path = str(path)
        self.where = where
        self.reason = reason
        location = f"{where}: " if where else ""
        super().__init__(f"{self.path}: {location}{reason}")

    @classmethod
    def from_write_error(cls, path: str | os.PathLike, error: FileWriteError) -> NetworkFileError:
        """The message for a failed save: the folder that refused a new file, or why the write failed."""
        if error.folder is not None:
            return cls(path, "", f"cannot write in the folder {error.folder!r}: {error.folder_problem}")
        return cls(path, "", f"cannot be saved: {error.reason}")


class FormulaError(ValueError):
    """A formula or one of its parameters is not acceptable.

    ``message`` says what is wrong, ``hint`` (possibly empty) how to fix it, ``position`` is the 0-based
    offset in the text and ``column`` the 1-based column; both are ``None`` when the problem is a parameter,
    not the text. ``str(error)`` is the full sentence for the user, e.g.
    "unknown name 'bta' at column 13 — did you mean 'beta'?".
    """

    def __init__(self, message: str, position: int | None = None, hint: str = "") -> None:
        self.message = message
        self.position = position
        self.column = None if position is None else position + 1
        self.hint = hint
        text = message if position is None else f"{message} at column {self.column}"
        super().__init__(f"{text} — {hint}" if hint else text)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.message, self.position, self.hint))


class FileWriteError(OSError):
    """Writing a file failed and the old file, if any, is intact (:func:`neuroviz.model.atomic.atomic_write`).

    ``reason`` says why for a person ("No space left on device", "the folder /x does not exist"). When the
    folder is the problem (missing, not a folder, refuses new files) ``folder`` names it and ``folder_problem``
    says what is wrong with it ("No such file or directory", "Permission denied"); otherwise both are None.
    Callers put it in their own words (NetworkFileError, ExportError), naming the path the user gave.
    """

    def __init__(
        self, path: str | os.PathLike, reason: str, folder: str | None = None, folder_problem: str | None = None
    ) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.folder = folder
        self.folder_problem = folder_problem


class FileReadError(OSError):
    """A file that cannot be read as a whole (:func:`neuroviz.model.reading.read_regular_file`): ``reason``
    says why ("is not a regular file (…)", "cannot be opened: No such file or directory")."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ExportError(ValueError):
    """An export could not be written; the message names the file and the reason."""
