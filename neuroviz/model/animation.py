"""Animations for slides: which epochs or input values become frames, and writing the frames as an animated GIF
(Pillow) or as a folder of numbered PNG pictures.

No Qt here: frames arrive as RGB arrays (height × width × 3, uint8) drawn by :mod:`neuroviz.animation`. Every file
is written with :func:`~neuroviz.model.atomic.atomic_write`, so a failure leaves nothing half-written.

The output rule (the CLI's ``-o`` and the dialog's file): a path ending in ``.gif`` is one animated GIF; a path
ending in ``/`` or naming an existing folder receives ``frame-0001.png``, ``frame-0002.png``, … in that folder
(frames of an earlier, longer run that would follow them are removed). The GIF's folder must exist; the frames'
folder is made when its parent exists, as a save dialog makes the file it names.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from neuroviz.model.atomic import atomic_write
from neuroviz.model.errors import FileWriteError

#: Frames chosen by default for a training animation: about four seconds at 25 frames per second.
DEFAULT_MAX_FRAMES = 100
MAX_FRAMES = 1000
MIN_FPS, MAX_FPS, DEFAULT_FPS = 1, 50, 20
DEFAULT_SWEEP_FRAMES = 50
#: The frames are kept in memory until they are written (so nothing is written when drawing fails): at most this.
MAX_FRAME_BYTES = 2_000_000_000
FRAME_NAME = "frame-{:04d}.png"
GIF, FRAMES = "gif", "frames"


class AnimationError(ValueError):
    """A request that cannot make an animation (a bad number, an output that cannot be written), in one sentence."""


def default_every(epochs: int) -> int:
    """Epochs per frame so that a run of ``epochs`` has at most :data:`DEFAULT_MAX_FRAMES` frames (with epoch 0)."""
    return max(1, math.ceil(epochs / (DEFAULT_MAX_FRAMES - 1)))


def training_frame_epochs(epochs: int, every: int) -> list[int]:
    """The epochs shown: 0 (the untrained network), every ``every`` epochs, and always the last one."""
    if epochs < 1:
        raise AnimationError(f"the number of epochs must be 1 or more, got {epochs}")
    if every < 1:
        raise AnimationError(f"epochs per frame must be 1 or more, got {every}")
    shown = list(range(0, epochs, every))
    return [*shown, epochs]


def sweep_values(low: float, high: float, frames: int) -> np.ndarray:
    """The input's values, one per frame, from the low end of its range to the high end."""
    if frames < 2:
        raise AnimationError(f"a sweep needs 2 frames or more, got {frames}")
    return np.linspace(low, high, frames)


def output_kind(path: str | os.PathLike[str]) -> str:
    """:data:`GIF` or :data:`FRAMES` by the output rule (see the module); AnimationError for anything else."""
    text = os.fspath(path)
    if text.endswith(("/", os.sep)) or Path(text).is_dir():
        return FRAMES
    if Path(text).suffix.lower() == ".gif":
        return GIF
    raise AnimationError(
        f"{text}: an animation is written as a .gif file, or as PNG frames into a folder (end the path with /)"
    )


def resolve_output(text: str, folder: str | os.PathLike[str]) -> str:
    """The absolute path a typed output means: ``~`` is the home folder, a relative path is taken from ``folder``
    (the one the dialog shows, never the process's working folder); a trailing separator (PNG frames) is kept."""
    text = text.strip()
    if not text:
        return ""
    frames = text.endswith(("/", os.sep))
    path = os.path.normpath(os.path.join(folder, os.path.expanduser(text)))
    return path + os.sep if frames and not path.endswith(os.sep) else path


def check_output(path: str | os.PathLike[str]) -> str:
    """The kind of output, after checking that it can be written where it points (before anything is drawn)."""
    kind = output_kind(path)
    text = os.fspath(path)
    target = Path(text)
    if kind == GIF:
        _check_folder(text, target.resolve().parent, "write in")
    elif target.exists():
        if not target.is_dir():
            raise AnimationError(f"cannot write {text}: {target} is a file, not a folder")
        _check_folder(text, target, "write in")
    else:
        _check_folder(text, target.resolve().parent, "make a folder in")
    return kind


def _check_folder(text: str, folder: Path, action: str) -> None:
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise AnimationError(f"cannot write {text}: the folder {folder} {what}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise AnimationError(f"cannot write {text}: no permission to {action} the folder {folder}")


def check_memory(frames: int, width: int, height: int) -> None:
    """Refuse an animation whose frames would not fit in memory before it is written."""
    needed = frames * width * height * 3
    if needed > MAX_FRAME_BYTES:
        raise AnimationError(
            f"{frames} frames of {width}x{height} pixels need {needed / 1e9:.1f} GB; "
            f"at most {MAX_FRAME_BYTES / 1e9:g} GB: fewer frames or a smaller size"
        )


def encode_gif(frames: Sequence[np.ndarray], fps: float) -> bytes:
    """An animated GIF that loops forever, ``fps`` frames per second, all frames on one shared 255-colour palette.

    One palette, made from the first, middle and last frames, keeps the colours of the views steady from frame
    to frame (no flicker) and lets Pillow store only what changed between frames, which keeps the file small.
    """
    if not frames:
        raise AnimationError("an animation needs at least one frame")
    sizes = {frame.shape for frame in frames}
    if len(sizes) != 1:
        raise AnimationError(f"the frames differ in size: {sorted(sizes)}")
    palette = _shared_palette(frames)
    images = [
        Image.fromarray(np.ascontiguousarray(frame), "RGB").quantize(palette=palette, dither=Image.Dither.NONE)
        for frame in frames
    ]
    buffer = io.BytesIO()
    duration = round(1000 / fps)
    images[0].save(
        buffer, format="GIF", save_all=True, append_images=images[1:], duration=duration, loop=0, optimize=False
    )
    return buffer.getvalue()


def _shared_palette(frames: Sequence[np.ndarray]) -> Image.Image:
    samples = [frames[0], frames[len(frames) // 2], frames[-1]]
    montage = Image.fromarray(np.ascontiguousarray(np.concatenate(samples, axis=0)), "RGB")
    return montage.quantize(colors=255, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def encode_png(frame: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(frame), "RGB").save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def write_animation(path: str | os.PathLike[str], frames: Sequence[np.ndarray], fps: float) -> int:
    """Write ``frames`` by the output rule; the number of bytes written (all frames together for a folder)."""
    kind = check_output(path)
    if kind == GIF:
        data = encode_gif(frames, fps)
        atomic_write(path, data)
        return len(data)
    encoded = [encode_png(frame) for frame in frames]  # all encoded before the first file is written
    try:
        Path(path).mkdir(exist_ok=True)
    except OSError as error:
        raise FileWriteError(path, f"cannot make the folder: {error.strerror}") from error
    for index, data in enumerate(encoded, start=1):
        atomic_write(Path(path) / FRAME_NAME.format(index), data)
    _remove_older_frames(Path(path), len(encoded) + 1)
    return sum(len(data) for data in encoded)


def _remove_older_frames(folder: Path, first: int) -> None:
    """Remove the frames of an earlier, longer run that continue the numbering from ``first`` (frame-*.png would
    play its tail after this run); nothing else in the folder is touched."""
    index = first
    while (stale := folder / FRAME_NAME.format(index)).is_file():
        stale.unlink()
        index += 1


def size_text(n_bytes: int) -> str:
    """A file size as people read it: 812 KB, 2.4 MB."""
    if n_bytes < 1000:
        return f"{n_bytes} bytes"
    if n_bytes < 1_000_000:
        return f"{n_bytes / 1000:.0f} KB"
    return f"{n_bytes / 1_000_000:.1f} MB"
