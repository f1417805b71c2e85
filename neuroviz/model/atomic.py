"""One atomic writer for every file neuroviz writes: networks (.json, .keras), CSV tables, PNG and SVG pictures.

``atomic_write(path, data)`` writes a temporary file in the target's folder, fsyncs it, gives it the
permissions the old file had, renames it over the target with ``os.replace`` and fsyncs the folder, so the
target is always either the old file or the complete new one, also after a crash or a power cut. A path
that is a symbolic link is resolved first (``os.path.realpath``): the link's target is replaced and the link
stays, as editors do. Any failure raises :class:`~neuroviz.model.errors.FileWriteError` and removes the
temporary file; an interrupt (KeyboardInterrupt) removes it too and propagates.

Pure Python: no Qt here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from neuroviz.model.errors import FileWriteError

__all__ = ["atomic_write"]


def atomic_write(path: str | os.PathLike[str], data: bytes | Callable[[BinaryIO], None]) -> None:
    """Replace the file at ``path`` with ``data``: bytes, or a function that writes them to a binary file.

    A function lets a large file be written piece by piece (a streamed CSV table) without holding it in
    memory; if it raises, the old file stays as it was and the exception propagates.
    """
    given = Path(path)
    if given.name in ("", ".", ".."):
        raise FileWriteError(path, "it names no file")
    target = Path(os.path.realpath(given))
    folder = target.parent
    if not folder.is_dir():
        code = errno.ENOTDIR if folder.exists() else errno.ENOENT
        reason = "is not a folder" if folder.exists() else "does not exist"
        raise FileWriteError(path, f"the folder {folder} {reason}", str(folder), os.strerror(code))
    if target.is_dir():
        raise FileWriteError(path, "it is a folder")
    old_mode = _mode_of(target)
    temporary = folder / f".{target.name}.{secrets.token_hex(4)}.tmp"
    try:
        # O_EXCL: never reuse someone else's file; 0o666 lets the umask decide, like any new file
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as error:
        raise FileWriteError(path, _reason(error), str(folder), _reason(error)) from error
    try:
        with os.fdopen(descriptor, "wb") as stream:
            if callable(data):
                data(stream)
            else:
                stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if old_mode is not None:
            os.chmod(temporary, old_mode)
        os.replace(temporary, target)
    except OSError as error:
        _remove_quietly(temporary)
        raise FileWriteError(path, _reason(error)) from error
    except BaseException:
        _remove_quietly(temporary)
        raise
    _sync_folder(folder)


def _mode_of(target: Path) -> int | None:
    """The permission bits of the file being replaced, or None for a new file."""
    try:
        info = target.stat()
    except OSError:
        return None
    return stat.S_IMODE(info.st_mode) if stat.S_ISREG(info.st_mode) else None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened (Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _remove_quietly(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        temporary.unlink(missing_ok=True)


def _reason(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__
