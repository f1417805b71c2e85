"""Data to train on: TensorFlow Playground's generators, its seven input features, Fisher's iris, your own CSV.

Generators (Playground's ``src/dataset.ts``, same parameters and draw order per point, NumPy's seeded generator in
place of the browser's): classification ``circle``, ``xor``, ``gauss``, ``spiral`` (500 points by default) and
regression ``plane``, ``multi_gauss`` (1200 points); ``noise`` from 0 to 0.5; the same ``seed`` gives the same points.
The points come shuffled, as Playground shuffles them before it splits off the training share.

A :class:`Dataset` keeps the inputs ``x`` (n × features), ``y`` (the class index 0..k-1 of each row for a
classification, the target value for a regression) and the names. :meth:`Dataset.targets_for` turns ``y`` into what
a network's output layer is trained against (see there), and says so when the data does not fit the network.

Pure NumPy: no Qt here.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import importlib.resources
import math
import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

__all__ = [
    "CLASSIFICATION",
    "FEATURES",
    "GENERATORS",
    "MAX_CSV_BYTES",
    "MAX_CSV_ROWS",
    "REGRESSION",
    "Dataset",
    "DatasetError",
    "features",
    "generate",
    "iris",
    "load_csv",
    "split",
    "standardization",
    "standardize",
]

CLASSIFICATION = "classification"
REGRESSION = "regression"
#: Playground's input features of a point (x1, x2), in its order (``INPUTS`` in playground.ts).
FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
_FEATURE_FUNCTIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1^2": lambda x1, x2: x1 * x1,
    "x2^2": lambda x1, x2: x2 * x2,
    "x1*x2": lambda x1, x2: x1 * x2,
    "sin(x1)": lambda x1, x2: np.sin(x1),
    "sin(x2)": lambda x1, x2: np.sin(x2),
}
#: Playground's sample counts (NUM_SAMPLES_CLASSIFY, NUM_SAMPLES_REGRESS) and noise slider range.
CLASSIFY_POINTS = 500
REGRESS_POINTS = 1200
MAX_NOISE = 0.5
#: Playground's training share slider: 10 % to 90 %.
TRAIN_SHARE_RANGE = (0.1, 0.9)
#: CSV files larger than this, or with more data rows, are refused (a network this small learns nothing more).
MAX_CSV_BYTES = 100 * 1024 * 1024
MAX_CSV_ROWS = 1_000_000
#: A numeric target with at most this many distinct whole numbers is read as class labels (``kind="auto"``).
MAX_NUMERIC_CLASSES = 100
_PLAYGROUND_CLASSES = ("negative", "positive")  # Playground's labels -1 and +1 are classes 0 and 1


class DatasetError(ValueError):
    """Data that cannot be used, with what is wrong and where (file, row, column)."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Rows of inputs and their targets.

    ``x``: (n, len(feature_names)) float64. ``y``: (n,) float64 — the class index (0..k-1, into ``class_names``)
    for a classification, the value to predict for a regression (then ``class_names`` is empty).
    """

    x: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    kind: Literal["classification", "regression"]
    target_name: str = "label"
    class_names: tuple[str, ...] = ()
    name: str = "data"

    def __len__(self) -> int:
        return len(self.y)

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    def rows(self, index: np.ndarray | slice) -> Dataset:
        """The same data restricted to ``index`` (a slice or an array of row numbers)."""
        return dataclasses.replace(self, x=self.x[index], y=self.y[index])

    def with_features(self, names: Sequence[str]) -> Dataset:
        """A 2-D set (inputs x1, x2) with Playground's input features ``names`` as its inputs instead."""
        if self.feature_names != FEATURES[:2]:
            raise DatasetError(
                f"{self.name}: input features are computed from a point (x1, x2); this data has the inputs "
                f"{', '.join(self.feature_names)}"
            )
        return dataclasses.replace(self, x=features(names, self.x[:, 0], self.x[:, 1]), feature_names=tuple(names))

    def check_fits(self, n_inputs: int, n_outputs: int) -> None:
        """DatasetError saying why a network with these sizes cannot be trained on this data, if it cannot."""
        width = self.x.shape[1]
        if width != n_inputs:
            raise DatasetError(
                f"{self.name} has {width} input feature{'s' * (width != 1)} ({', '.join(self.feature_names)}) "
                f"but the network has {n_inputs} input{'s' * (n_inputs != 1)}"
            )
        if self.kind == REGRESSION:
            if n_outputs != 1:
                raise DatasetError(f"{self.name} has one target value per row but the network has {n_outputs} outputs")
            return
        k = self.n_classes
        if n_outputs == 1 and k != 2:
            raise DatasetError(
                f"{self.name} has {k} classes ({', '.join(self.class_names)}) but the network has 1 output "
                f"(one output tells 2 classes apart; give it {k} outputs and softmax)"
            )
        if n_outputs > 1 and n_outputs != k:
            raise DatasetError(
                f"{self.name} has {k} classes ({', '.join(self.class_names)}) but the network has {n_outputs} outputs "
                "(give it one output per class, or 1 output for 2 classes)"
            )

    def targets_for(self, network: Any, loss: str | None = None) -> np.ndarray:
        """What the network's outputs are trained against, one row per sample, shaped (n, outputs).

        - regression: the target values;
        - 2 classes and 1 output: 0/1 (class index), except −1/+1 for a tanh output, as in Playground;
        - k classes and k outputs: one-hot rows (softmax with categorical crossentropy);
        - ``loss="sparse_categorical_crossentropy"``: the class index itself, shaped (n, 1).

        Raises DatasetError when the data does not fit the network (see :meth:`check_fits`).
        """
        self.check_fits(network.n_inputs, network.n_outputs)
        if self.kind == REGRESSION:
            return self.y.reshape(-1, 1).astype(np.float64)
        index = self.y.astype(np.int64)
        if loss in ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"):
            return index.reshape(-1, 1).astype(np.float64)
        if network.n_outputs == 1:
            labels = 2.0 * index - 1.0 if network.layers[-1].activation == "tanh" else index.astype(np.float64)
            return labels.reshape(-1, 1)
        return np.eye(self.n_classes)[index]


def features(names: Sequence[str], x1: Any, x2: Any) -> np.ndarray:
    """Playground's input features ``names`` (from FEATURES) of the points (x1, x2): an (n, len(names)) array."""
    if isinstance(names, str):
        raise DatasetError(f"features: expected a list of feature names, got the text {names!r}")
    for name in names:
        if name not in _FEATURE_FUNCTIONS:
            raise DatasetError(
                f"unknown input feature {name!r}{_suggest(str(name), FEATURES)} (known: {', '.join(FEATURES)})"
            )
    a = np.asarray(x1, dtype=np.float64).reshape(-1)
    b = np.asarray(x2, dtype=np.float64).reshape(-1)
    if a.shape != b.shape:
        raise DatasetError(f"features: x1 has {a.size} values and x2 {b.size}")
    out = np.empty((a.size, len(names)))
    for column, name in enumerate(names):
        out[:, column] = _FEATURE_FUNCTIONS[name](a, b)
    return out


# -- Playground's generators ---------------------------------------------------------------------------------
def _uniform(draws: np.ndarray, low: float, high: float) -> np.ndarray:
    """Playground's ``randUniform(a, b) = random() * (b - a) + a`` on draws in [0, 1)."""
    return draws * (high - low) + low


def _circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    radius = 5.0
    parts = []
    for count, (r_low, r_high) in ((n - n // 2, (0.0, radius * 0.5)), (n // 2, (radius * 0.7, radius))):
        draws = rng.random((count, 4))  # per point: r, angle, noise x, noise y
        r = _uniform(draws[:, 0], r_low, r_high)
        angle = _uniform(draws[:, 1], 0.0, 2 * math.pi)
        x, y = r * np.sin(angle), r * np.cos(angle)
        nx, ny = _uniform(draws[:, 2], -radius, radius) * noise, _uniform(draws[:, 3], -radius, radius) * noise
        inside = np.hypot(x + nx, y + ny) < radius * 0.5
        parts.append((np.column_stack([x, y]), inside.astype(np.float64)))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    draws = rng.random((n, 4))  # per point: x, y, noise x, noise y
    padding = 0.3
    x, y = _uniform(draws[:, 0], -5, 5), _uniform(draws[:, 1], -5, 5)
    x = x + np.where(x > 0, padding, -padding)
    y = y + np.where(y > 0, padding, -padding)
    nx, ny = _uniform(draws[:, 2], -5, 5) * noise, _uniform(draws[:, 3], -5, 5) * noise
    return np.column_stack([x, y]), ((x + nx) * (y + ny) >= 0).astype(np.float64)


def _normal(rng: np.random.Generator, mean: float, variance: float) -> float:
    """Playground's normalRandom: Marsaglia's polar method, only v1 used."""
    while True:
        v1, v2 = 2 * rng.random() - 1, 2 * rng.random() - 1
        s = v1 * v1 + v2 * v2
        if 0 < s <= 1:  # Playground rejects s > 1 only; s == 0 would divide by zero (probability 2**-104)
            return mean + math.sqrt(variance) * math.sqrt(-2 * math.log(s) / s) * v1


def _gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    variance = 0.5 + (4 - 0.5) * noise / 0.5  # d3 linear scale [0, 0.5] -> [0.5, 4]
    points, labels = [], []
    for count, centre, label in ((n - n // 2, 2.0, 1.0), (n // 2, -2.0, 0.0)):
        for _ in range(count):
            x = _normal(rng, centre, variance)
            y = _normal(rng, centre, variance)
            points.append((x, y))
            labels.append(label)
    return np.array(points, dtype=np.float64).reshape(-1, 2), np.array(labels)


def _spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    parts = []
    for count, delta, label in ((n - n // 2, 0.0, 1.0), (n // 2, math.pi, 0.0)):
        i = np.arange(count)
        r = i / count * 5
        t = 1.75 * i / count * 2 * math.pi + delta
        draws = rng.random((count, 2))  # per point: noise x, noise y
        x = r * np.sin(t) + _uniform(draws[:, 0], -1, 1) * noise
        y = r * np.cos(t) + _uniform(draws[:, 1], -1, 1) * noise
        parts.append((np.column_stack([x, y]), np.full(count, label)))
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def _plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    draws = rng.random((n, 4))  # per point: x, y, noise x, noise y
    x, y = _uniform(draws[:, 0], -6, 6), _uniform(draws[:, 1], -6, 6)
    nx, ny = _uniform(draws[:, 2], -6, 6) * noise, _uniform(draws[:, 3], -6, 6) * noise
    return np.column_stack([x, y]), (x + nx + y + ny) / 10  # linear [-10, 10] -> [-1, 1], not clamped


_GAUSSIANS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def _multi_gauss(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    draws = rng.random((n, 4))  # per point: x, y, noise x, noise y
    x, y = _uniform(draws[:, 0], -6, 6), _uniform(draws[:, 1], -6, 6)
    px = x + _uniform(draws[:, 2], -6, 6) * noise
    py = y + _uniform(draws[:, 3], -6, 6) * noise
    distance = np.hypot(px[:, None] - _GAUSSIANS[:, 0], py[:, None] - _GAUSSIANS[:, 1])
    values = _GAUSSIANS[:, 2] * np.clip(1 - distance / 2, 0, 1)  # labelScale: [0, 2] -> [1, 0], clamped
    # Playground keeps the first value of largest magnitude (strictly larger replaces, starting from 0).
    best = np.argmax(np.abs(values), axis=1)
    return np.column_stack([x, y]), values[np.arange(n), best]


#: name -> (generator, kind, Playground's number of points)
GENERATORS: dict[str, tuple[Callable, str, int]] = {
    "circle": (_circle, CLASSIFICATION, CLASSIFY_POINTS),
    "xor": (_xor, CLASSIFICATION, CLASSIFY_POINTS),
    "gauss": (_gauss, CLASSIFICATION, CLASSIFY_POINTS),
    "spiral": (_spiral, CLASSIFICATION, CLASSIFY_POINTS),
    "plane": (_plane, REGRESSION, REGRESS_POINTS),
    "multi_gauss": (_multi_gauss, REGRESSION, REGRESS_POINTS),
}


def generate(name: str, n: int | None = None, noise: float = 0.0, seed: int | None = 0) -> Dataset:
    """Playground's data set ``name`` (see GENERATORS): ``n`` points (its default when None), shuffled.

    Classes: 1 ("positive") is Playground's label +1, 0 ("negative") its −1.
    """
    if name not in GENERATORS:
        raise DatasetError(f"unknown data set {name!r}{_suggest(name, GENERATORS)} (known: {', '.join(GENERATORS)})")
    generator, kind, default_n = GENERATORS[name]
    n = default_n if n is None else n
    if not isinstance(n, int | np.integer) or isinstance(n, bool) or not 2 <= n <= MAX_CSV_ROWS:
        raise DatasetError(f"{name}: the number of points must be a whole number from 2 to {MAX_CSV_ROWS}, got {n!r}")
    if not isinstance(noise, int | float | np.floating) or isinstance(noise, bool) or not 0 <= noise <= MAX_NOISE:
        raise DatasetError(f"{name}: noise must be a number from 0 to {MAX_NOISE}, got {noise!r}")
    rng = np.random.default_rng(seed)
    x, y = generator(int(n), float(noise), rng)
    order = _playground_shuffle(len(y), rng)
    classes = _PLAYGROUND_CLASSES if kind == CLASSIFICATION else ()
    return Dataset(x[order], y[order], FEATURES[:2], kind, "label", classes, name)


def _playground_shuffle(n: int, rng: np.random.Generator) -> np.ndarray:
    """The row order after Playground's Fisher–Yates ``shuffle`` (dataset.ts), with ``rng`` as its random()."""
    order = np.arange(n)
    draws = rng.random(n)
    for counter in range(n, 0, -1):
        index = int(draws[n - counter] * counter)
        order[counter - 1], order[index] = order[index], order[counter - 1]
    return order


# -- split and standardisation -------------------------------------------------------------------------------
def split(data: Dataset, train_share: float = 0.5, seed: int | None = None) -> tuple[Dataset, Dataset]:
    """(training, test) rows: the first ``floor(n * train_share)`` rows train, as in Playground.

    ``train_share`` runs from 0.1 to 0.9 (Playground's slider). With a ``seed`` the rows are shuffled first;
    without one they keep their order (generated sets already come shuffled).
    """
    low, high = TRAIN_SHARE_RANGE
    if not isinstance(train_share, int | float) or isinstance(train_share, bool) or not low <= train_share <= high:
        raise DatasetError(f"the training share must be from {low} to {high} (10 % to 90 %), got {train_share!r}")
    order = np.arange(len(data)) if seed is None else np.random.default_rng(seed).permutation(len(data))
    cut = math.floor(len(data) * train_share + 1e-9)  # 0.3 * 10 is 2.9999999999999996 in floating point
    if cut < 1 or cut >= len(data):
        raise DatasetError(f"{data.name}: {len(data)} rows are too few to split {train_share:.0%} for training")
    return data.rows(order[:cut]), data.rows(order[cut:])


def standardization(train: Dataset) -> tuple[np.ndarray, np.ndarray]:
    """(mean, scale) per input column of ``train``: its mean and standard deviation (1 for a constant column)."""
    mean = train.x.mean(axis=0)
    scale = train.x.std(axis=0)
    return mean, np.where(scale > 0, scale, 1.0)


def standardize(train: Dataset, *others: Dataset) -> tuple[Dataset, ...]:
    """Inputs shifted and scaled to mean 0 and standard deviation 1 on ``train`` (``others`` use train's numbers).

    A constant column is only shifted. Returns the standardised ``train`` followed by ``others``.
    """
    mean, scale = standardization(train)
    return tuple(dataclasses.replace(d, x=(d.x - mean) / scale) for d in (train, *others))


# -- Fisher's iris -----------------------------------------------------------------------------------------------
def iris_path() -> Path:
    """The iris CSV shipped with neuroviz (150 rows; columns sepal/petal length/width in cm, species)."""
    return Path(str(importlib.resources.files("neuroviz.resources") / "datasets" / "iris.csv"))


def iris() -> Dataset:
    """Fisher's iris (1936, public domain): 4 measurements, 3 species of 50 flowers each, for a softmax network."""
    return load_csv(iris_path(), target="species")


# -- CSV files ---------------------------------------------------------------------------------------------------
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")
_NON_FINITE = re.compile(r"\s*[+-]?(nan|inf|infinity)\s*", re.IGNORECASE)


def load_csv(
    path: str | os.PathLike,
    target: str | None = None,
    kind: Literal["auto", "classification", "regression"] = "auto",
) -> Dataset:
    """Read a CSV file: a header row of column names, then one row per sample.

    ``target`` names the column to predict (default: the last one); every other column is a numeric input.
    The target holds class names (text) or numbers. ``kind="auto"`` reads text, or whole numbers with at most
    MAX_NUMERIC_CLASSES distinct values, as class labels (classes sorted: names alphabetically, numbers by
    value) and other numbers as a regression target. Rows are counted as a spreadsheet shows them (the header
    is row 1); blank lines are skipped. Any problem raises DatasetError saying what and where.
    """
    path = Path(path)
    if kind not in ("auto", CLASSIFICATION, REGRESSION):
        raise DatasetError(f"kind must be 'auto', 'classification' or 'regression', got {kind!r}")
    _check_file(path)
    try:
        with open(path, encoding="utf-8-sig", newline="", opener=_open_without_blocking) as stream:
            _check_regular(path, os.fstat(stream.fileno()))
            header, rows = _read_rows(path, stream)
    except OSError as error:
        raise DatasetError(f"{path}: cannot be read: {error.strerror or error}") from None
    return _dataset_from_rows(path, header, rows, target, kind)


def _check_file(path: Path) -> None:
    """Refuse from ``stat`` alone what must not be opened or read: FIFOs, devices, folders, huge files."""
    try:
        info = path.stat()
    except OSError as error:
        raise DatasetError(f"{path}: cannot be opened: {error.strerror or error}") from None
    _check_regular(path, info)
    if info.st_size > MAX_CSV_BYTES:
        raise DatasetError(
            f"{path}: is {info.st_size / 1e6:.1f} MB; CSV files are read up to {MAX_CSV_BYTES // (1024 * 1024)} MB"
        )


def _check_regular(path: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise DatasetError(f"{path}: is a folder, not a CSV file")
    if not stat.S_ISREG(info.st_mode):
        raise DatasetError(f"{path}: is not a regular file (a device, pipe or socket is not read as data)")


def _open_without_blocking(name: str, flags: int) -> int:
    return os.open(name, flags | getattr(os, "O_NONBLOCK", 0))


def _read_rows(path: Path, stream) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows with their row numbers, stopping at the limits."""
    reader = csv.reader(stream, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for record in reader:
            number += 1
            if not record or (len(record) == 1 and not record[0].strip()):
                continue  # a blank line
            if header is None:
                header = record
                continue
            if len(rows) >= MAX_CSV_ROWS:
                raise DatasetError(
                    f"{path}: has more than {MAX_CSV_ROWS:,} data rows; that is more than neuroviz reads"
                )
            if number % 10_000 == 0 and os.fstat(stream.fileno()).st_size > MAX_CSV_BYTES:  # grew after the check
                raise DatasetError(f"{path}: holds more than {MAX_CSV_BYTES // (1024 * 1024)} MB")
            rows.append((number, record))
    except UnicodeDecodeError:
        raise DatasetError(f"{path}: is not UTF-8 text (a byte that is not UTF-8 near row {number + 1})") from None
    except csv.Error as error:
        raise DatasetError(f"{path}: row {number + 1}: not valid CSV ({error})") from None
    if header is None:
        raise DatasetError(f"{path}: is empty (expected a header row of column names, then the data)")
    if not rows:
        raise DatasetError(f"{path}: has a header but no data rows")
    return header, rows


def _dataset_from_rows(path: Path, header: list[str], rows: list, target: str | None, kind: str) -> Dataset:
    names = [name.strip() for name in header]
    for column, name in enumerate(names):
        if not name:
            raise DatasetError(f"{path}: row 1 (the header): column {column + 1} has no name")
        if name in names[:column]:
            raise DatasetError(f"{path}: row 1 (the header): the column name {name!r} appears twice")
    if len(names) < 2:
        raise DatasetError(f"{path}: has a single column {names[0]!r}; expected input columns and a target column")
    if target is None:
        target = names[-1]
    if target not in names:
        raise DatasetError(f"{path}: no column {target!r}{_suggest(target, names)} (columns: {', '.join(names)})")
    target_column = names.index(target)
    for number, record in rows:
        if len(record) != len(names):
            raise DatasetError(f"{path}: row {number}: expected {len(names)} values like the header, got {len(record)}")
    feature_columns = [c for c in range(len(names)) if c != target_column]
    first_number, first = rows[0]
    if not any(_NUMBER.fullmatch(first[c]) for c in feature_columns):
        raise DatasetError(
            f"{path}: no numeric columns besides the target {target!r} (row {first_number} holds "
            f"{', '.join(repr(first[c]) for c in feature_columns[:4])})"
        )
    cells_by_column = list(zip(*(record for _, record in rows), strict=True))
    x = np.empty((len(rows), len(feature_columns)))
    for j, column in enumerate(feature_columns):
        x[:, j] = _column_numbers(path, rows, names[column], cells_by_column[column])
    labels = [record[target_column].strip() for _, record in rows]
    for (number, _), label in zip(rows, labels, strict=True):
        if not label:
            raise DatasetError(f'{path}: row {number}, column "{target}": the target is missing')
    y, class_names, data_kind = _targets(path, rows, labels, target, kind)
    feature_names = tuple(names[c] for c in feature_columns)
    return Dataset(x, y, feature_names, data_kind, target, class_names, path.name)


def _column_numbers(path: Path, rows: list, column: str, cells: Sequence[str]) -> np.ndarray:
    """A column's numbers: NumPy converts a clean column at once (20× faster than cell by cell); a column
    holding anything else is checked cell by cell, so the first bad cell is reported with its row."""
    if not any("_" in cell for cell in cells):  # float() accepts "1_000"; a CSV number has no underscore
        try:
            values = np.array(cells, dtype=np.float64)
        except ValueError:
            values = None
        if values is not None and np.isfinite(values).all():
            return values
    return np.array([_number(path, number, column, cell) for (number, _), cell in zip(rows, cells, strict=True)])


def _number(path: Path, row: int, column: str, text: str) -> float:
    where = f'{path}: row {row}, column "{column}"'
    if not text.strip():
        raise DatasetError(f"{where}: the value is missing")
    if _NON_FINITE.fullmatch(text):
        raise DatasetError(f"{where}: {text.strip()!r} is not a finite number")
    if not _NUMBER.fullmatch(text):
        raise DatasetError(f"{where}: {text!r} is not a number")
    value = float(text)
    if not math.isfinite(value):
        raise DatasetError(f"{where}: {text.strip()!r} is too large to represent")
    return value


def _targets(path: Path, rows: list, labels: list[str], target: str, kind: str) -> tuple[np.ndarray, tuple, str]:
    """(y, class names, kind) of the target column's texts."""
    numeric = all(map(_NUMBER.fullmatch, labels))
    values = np.array(labels, dtype=np.float64) if numeric else None
    if kind == REGRESSION or (kind == "auto" and numeric and not _look_like_classes(values)):
        if not numeric:
            bad = next(i for i, label in enumerate(labels) if not _NUMBER.fullmatch(label))
            number = rows[bad][0]
            _number(path, number, target, labels[bad])  # raises with the reason
        if not np.isfinite(values).all():
            bad = int(np.flatnonzero(~np.isfinite(values))[0])
            raise DatasetError(f'{path}: row {rows[bad][0]}, column "{target}": {labels[bad]!r} is too large')
        return values, (), REGRESSION
    if numeric:
        distinct = sorted(set(values.tolist()))
        class_names = tuple(_number_text(v) for v in distinct)
        index = {v: i for i, v in enumerate(distinct)}
        y = np.array([index[v] for v in values.tolist()], dtype=np.float64)
    else:
        distinct_labels = sorted(set(labels))
        class_names = tuple(distinct_labels)
        index = {name: i for i, name in enumerate(distinct_labels)}
        y = np.array([index[label] for label in labels], dtype=np.float64)
    if len(class_names) < 2:
        raise DatasetError(
            f'{path}: column "{target}" holds one class only ({class_names[0]!r}); nothing to tell apart'
        )
    return y, class_names, CLASSIFICATION


def _look_like_classes(values: np.ndarray) -> bool:
    finite = np.isfinite(values).all()
    return bool(finite and (values == np.round(values)).all() and len(np.unique(values)) <= MAX_NUMERIC_CLASSES)


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _suggest(name: str, known) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=2, cutoff=0.5)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
