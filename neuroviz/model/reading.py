"""Reading a whole file safely: only regular files, at most a given size, never blocking on a FIFO.

A device (/dev/zero never ends) or a FIFO (opening it waits for a writer forever) is refused from ``stat``
alone, before anything is opened. The reported size is only a first check: a file may grow meanwhile or
report a wrong size (procfs and some network file systems say 0), so at most one byte more than the limit
is read. The file is opened without blocking and checked again, in case the path was replaced by a FIFO
after ``stat``. Shared by network files (JSON) and Keras models (``.keras``, ``.h5``).

Pure Python: no Qt here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from neuroviz.model.errors import FileReadError

__all__ = ["read_regular_file"]


def read_regular_file(path: str | os.PathLike[str], max_bytes: int, what: str, holds: str) -> bytes:
    """The bytes of the regular file ``path`` of at most ``max_bytes``; FileReadError saying why not.

    ``what`` names the kind of file in messages ("network file"), ``holds`` what it would hold ("a network").
    """
    path = Path(path)
    try:
        info = path.stat()
    except OSError as error:
        raise FileReadError(f"cannot be opened: {_reason(error)}") from None
    _check_regular(info, what, holds)
    if info.st_size > max_bytes:
        raise FileReadError(_too_large(f"{info.st_size / 1e6:.1f} MB", max_bytes, what))
    try:
        with open(path, "rb", opener=_open_without_blocking) as stream:
            _check_regular(os.fstat(stream.fileno()), what, holds)
            data = stream.read(max_bytes + 1)
    except OSError as error:
        raise FileReadError(f"cannot be read: {_reason(error)}") from None
    if len(data) > max_bytes:
        raise FileReadError(_too_large(f"over {max_bytes // (1024 * 1024)} MB", max_bytes, what))
    return data


def _too_large(size: str, max_bytes: int, what: str) -> str:
    return f"is {size}; {what}s are at most {max_bytes // (1024 * 1024)} MB"


def _open_without_blocking(name: str, flags: int) -> int:
    """os.open for open(): a FIFO put in the file's place after the check does not wait for a writer."""
    return os.open(name, flags | getattr(os, "O_NONBLOCK", 0))


def _check_regular(info: os.stat_result, what: str, holds: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise FileReadError(f"is a folder, not a {what}")
    if not stat.S_ISREG(info.st_mode):
        raise FileReadError(f"is not a regular file (a device, pipe or socket cannot hold {holds})")


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
