"""Network files: a documented JSON format, strict validation on load, atomic saves (:mod:`.atomic`).

The format (UTF-8 JSON, version 1)::

    {
      "format": "neuroviz-network",          required, always this text
      "version": 1,                          required; files from a newer neuroviz are refused
      "name": "XOR",                         optional text (default "untitled")
      "description": "What to watch ...",    optional text
      "inputs": [                            required, 1 to 256 entries, in order
        {"name": "x1", "value": 0.0, "min": -5.0, "max": 5.0}
      ],                                     name required; value (default 0) must lie in [min, max]
                                             (defaults -5 and 5) and min must be below max
      "layers": [                            required, the dense layers in order, the output layer last
        {
          "name": "hidden 1",                optional text (default "hidden <n>", or "output" for the last)
          "units": 2,                        optional; when given it must equal the number of biases
          "activation": "relu",              required, a Keras activation name (neuroviz.model.activations)
                                             or "custom" for a formula of your own (see below)
          "formula": "x * sigmoid(beta * x)",    only with "activation": "custom", where it is required
          "params": {"negative_slope": 0.0}, optional; missing parameters take their defaults. prelu's
                                             "alpha" is one number or a list with one number per unit
          "weights": [[1.0, 1.0], [1.0, 1.0]],   required, one row per input of the layer, one column per unit
          "biases": [0.0, -1.0],             required, one per unit
          "kernel_regularizer": {"l1": 0.0, "l2": 0.01}   optional (default none): the penalty training adds
        }
      ]
    }

A layer reads the previous layer's outputs: the inputs for the first layer, otherwise the previous layer's
units (half of them after a glu layer). At most 16 hidden layers plus the output layer, 1 to 256 neurons per
layer (a glu layer up to 512 units). Every number must be finite: NaN and Infinity are never written and are
refused on load. Floats are written with Python's shortest exact representation, so a saved network loads back
bit for bit. Unknown extra keys are ignored, so later versions can add fields that this version skips.

Optional ``"input_features": ["x1", "x2", "x1^2"]`` (still version 1): which of Playground's input features of a
point (``neuroviz.model.datasets.FEATURES``) feed the inputs, one per input in order. Unknown names or a count that
differs from the inputs' are refused at ``input_features``; files without it load with ``input_features`` None.

A custom activation (optional "formula" field, still format version 1) is saved as ``"activation": "custom",
"formula": "<text>", "params": {"beta": 1.5}``: "params" declares every name the formula uses besides x, each
with a finite number as its value. On load the text goes through the same safe
parser as typed formulas (:mod:`neuroviz.model.formula`: a whitelist of numbers, x, the parameters, operators
and named functions; no attribute access, strings or double underscores; at most 500 characters). A formula it
refuses, such as ``__import__('os')``, gives a NetworkFileError at ``layers[i].formula`` with the parser's
message and column; a bad parameter name or value one at ``layers[i].params``. A "formula" on any other
activation is refused at ``layers[i].formula``.

Loading never evaluates anything (no pickle, no eval; formulas are parsed, never executed). A bad file raises
:class:`NetworkFileError` that names the file, where the problem is (``where``, e.g. ``layers[2].weights``) and
what it is.
"""

from __future__ import annotations

import difflib
import importlib.resources
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from neuroviz.model import keras_io
from neuroviz.model.atomic import atomic_write
from neuroviz.model.errors import FileReadError, FileWriteError, InvalidNetworkError, NetworkFileError
from neuroviz.model.network import Layer, Network
from neuroviz.model.reading import read_regular_file

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "NetworkFileError",
    "example_names",
    "example_path",
    "from_dict",
    "load",
    "load_example",
    "save",
    "to_dict",
]

FORMAT_NAME = "neuroviz-network"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 50 * 1024 * 1024


# -- to and from plain data ----------------------------------------------------------------------------------
def to_dict(net: Network) -> dict[str, Any]:
    """The network as plain JSON-ready data in the documented format."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "name": net.name,
        "description": net.description,
        "inputs": [
            {"name": name, "value": float(value), "min": float(low), "max": float(high)}
            for name, value, (low, high) in zip(net.input_names, net.input_values, net.input_ranges, strict=True)
        ],
        "layers": [_layer_dict(layer) for layer in net.layers],
        **({"input_features": list(net.input_features)} if net.input_features is not None else {}),
    }


def _layer_dict(layer: Layer) -> dict[str, Any]:
    """One layer in the documented format; "formula" only for a custom activation."""
    item: dict[str, Any] = {"name": layer.name, "units": layer.units, "activation": layer.activation}
    if layer.formula is not None:
        item["formula"] = layer.formula
    item["params"] = {key: _plain(value) for key, value in layer.params.items()}
    item["weights"] = layer.weights.tolist()
    item["biases"] = layer.biases.tolist()
    if layer.kernel_regularizer is not None:
        item["kernel_regularizer"] = dict(layer.kernel_regularizer)
    return item


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def from_dict(data: Any, source: str = "<dict>") -> Network:
    """Build a network from data in the documented format; anything wrong raises NetworkFileError."""
    reader = _Reader(source)
    if not isinstance(data, dict):
        raise reader.error("", f"expected a JSON object at the top level, got {_kind(data)}")
    reader.check_header(data)
    name = reader.text(data, "name", "", default="untitled")
    description = reader.text(data, "description", "", default="")
    inputs = reader.list_of_objects(data, "inputs")
    input_names, input_values, input_ranges = [], [], []
    for i, item in enumerate(inputs):
        where = f"inputs[{i}]"
        input_names.append(reader.text(item, "name", where))
        input_values.append(reader.number(item, "value", where, default=0.0))
        input_ranges.append((reader.number(item, "min", where, default=-5.0), reader.number(item, "max", where, 5.0)))
    items = reader.list_of_objects(data, "layers")
    layers = [reader.layer(item, i, len(items)) for i, item in enumerate(items)]
    input_features = data.get("input_features")
    if input_features is not None and not isinstance(input_features, list):
        raise reader.error("input_features", f"expected a list of feature names, got {_kind(input_features)}")
    try:
        return Network(
            layers,
            input_names=input_names,
            input_values=input_values,
            input_ranges=input_ranges,
            name=name,
            description=description,
            input_features=input_features,
        )
    except InvalidNetworkError as error:
        raise reader.error(error.where, error.reason) from None


class _Reader:
    """Type checks on the decoded JSON, each failure naming its place in the file."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, where: str, reason: str) -> NetworkFileError:
        return NetworkFileError(self.source, where, reason)

    def check_header(self, data: dict) -> None:
        if "format" not in data:
            raise self.error("format", f'missing: this is not a neuroviz network file (no "format": {FORMAT_NAME!r})')
        if data["format"] != FORMAT_NAME:
            raise self.error("format", f"expected {FORMAT_NAME!r}, got {data['format']!r}")
        version = data.get("version")
        if "version" not in data:
            raise self.error("version", "missing")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.error("version", f"expected a whole number ≥ 1, got {_kind(version)}")
        if version > FORMAT_VERSION:
            raise self.error(
                "version",
                f"made by a newer neuroviz (format version {version}; this neuroviz reads up to version "
                f"{FORMAT_VERSION}): update neuroviz to open it",
            )

    def field(self, item: dict, key: str, where: str) -> Any:
        if key not in item:
            raise self.error(_join(where, key), "missing")
        return item[key]

    def text(self, item: dict, key: str, where: str, default: str | None = None) -> str:
        if default is not None and key not in item:
            return default
        value = self.field(item, key, where)
        if not isinstance(value, str):
            raise self.error(_join(where, key), f"expected text, got {_kind(value)}")
        return value

    def number(self, item: dict, key: str, where: str, default: float | None = None) -> float:
        if default is not None and key not in item:
            return default
        value = self.field(item, key, where)
        if not _is_json_number(value):
            raise self.error(_join(where, key), f"expected a number, got {_kind(value)}")
        return value

    def list_of_objects(self, data: dict, key: str) -> list[dict]:
        value = self.field(data, key, "")
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, got {_kind(value)}")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.error(f"{key}[{i}]", f"expected an object, got {_kind(item)}")
        return value

    def numbers(self, values: Any, where: str) -> np.ndarray:
        if not isinstance(values, list):
            raise self.error(where, f"expected a list of numbers, got {_kind(values)}")
        for j, value in enumerate(values):
            if not _is_json_number(value):
                raise self.error(f"{where}[{j}]", f"expected a number, got {_kind(value)}")
        return self.as_floats(values, where)

    def matrix(self, rows: Any, where: str) -> np.ndarray:
        if not isinstance(rows, list):
            raise self.error(where, f"expected a list of rows (lists of numbers), got {_kind(rows)}")
        width = None
        for i, row in enumerate(rows):
            if not isinstance(row, list):
                raise self.error(f"{where}[{i}]", f"expected a row (a list of numbers), got {_kind(row)}")
            if not all(type(value) is float or type(value) is int for value in row):
                self.numbers(row, f"{where}[{i}]")
            if width is not None and len(row) != width:
                raise self.error(f"{where}[{i}]", f"expected {width} numbers like the rows before, got {len(row)}")
            width = len(row)
        return self.as_floats(rows, where).reshape(len(rows), width or 0)

    def as_floats(self, values: list, where: str) -> np.ndarray:
        try:
            return np.array(values, dtype=np.float64)
        except OverflowError:
            raise self.error(where, "holds a number too large to represent") from None

    def layer(self, item: dict, index: int, count: int) -> Layer:
        where = f"layers[{index}]"
        default_name = "output" if index == count - 1 else f"hidden {index + 1}"
        name = self.text(item, "name", where, default=default_name)
        activation = self.text(item, "activation", where)
        formula = self.text(item, "formula", where) if "formula" in item else None
        params = item.get("params", {})
        if not isinstance(params, dict):
            raise self.error(f"{where}.params", f"expected an object of parameter values, got {_kind(params)}")
        weights = self.matrix(self.field(item, "weights", where), f"{where}.weights")
        biases = self.numbers(self.field(item, "biases", where), f"{where}.biases")
        if "units" in item:
            units = item["units"]
            if not isinstance(units, int) or isinstance(units, bool):
                raise self.error(f"{where}.units", f"expected a whole number, got {_kind(units)}")
            if units != len(biases):
                raise self.error(f"{where}.units", f"{units} does not match the {len(biases)} biases")
        regularizer = item.get("kernel_regularizer")  # checked by Network, which names layers[i].kernel_regularizer
        return Layer(name, weights, biases, activation, params, formula, regularizer)


def _is_json_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _kind(value: Any) -> str:
    """How a JSON value reads to a person: 'text "abc"', 'a list', 'null'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    if isinstance(value, list):
        return f"a list of {len(value)} items"
    if isinstance(value, dict):
        return "an object"
    return repr(value)


# -- files ---------------------------------------------------------------------------------------------------
def _to_text(value: Any, depth: int = 0) -> str:
    """JSON a person can read: objects and lists of lists indented, flat lists (a weight row) on one line."""
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict) and any(isinstance(v, dict | list) for v in value.values()):
        items = [f"{inner}{json.dumps(k)}: {_to_text(v, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        items = [f"{inner}{_to_text(v, depth + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(value, allow_nan=False, ensure_ascii=False)


#: Keras model files: read by neuroviz.model.keras_io (``.keras`` is also written there).
KERAS_SUFFIXES = (".keras", ".h5", ".hdf5")


def save(net: Network, path: str | os.PathLike) -> None:
    """Write ``net`` to ``path`` atomically: the old file stays intact unless the new one is fully on disk.

    A ``.keras`` name writes a Keras 3 model (see :mod:`neuroviz.model.keras_io`); any other name writes JSON.
    """
    path = Path(path)
    if path.suffix.lower() == ".keras":
        keras_io.save_keras(net, path)
        return
    if path.suffix.lower() in KERAS_SUFFIXES:
        raise NetworkFileError(path, "", "legacy .h5 models cannot be written; save as .keras or .json")
    try:
        text = _to_text(to_dict(net)) + "\n"
    except ValueError as error:  # a NaN or infinity set by hand: never write it
        raise NetworkFileError(path, "", f"cannot be saved: {error}") from None
    try:
        atomic_write(path, text.encode("utf-8"))
    except FileWriteError as error:
        raise NetworkFileError.from_write_error(path, error) from None


def load(path: str | os.PathLike) -> Network:
    """Read and validate a network file; any problem raises NetworkFileError saying what and where.

    ``.keras``, ``.h5`` and ``.hdf5`` files are read as Keras models (:mod:`neuroviz.model.keras_io`).
    """
    path = Path(path)
    if path.suffix.lower() in KERAS_SUFFIXES:
        return keras_io.load_keras(path)
    raw = _read_network_bytes(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NetworkFileError(path, "", f"is not UTF-8 text (invalid byte at offset {error.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NetworkFileError(path, f"line {error.lineno}, column {error.colno}", f"bad JSON: {error.msg}") from None
    except RecursionError:
        raise NetworkFileError(path, "", "bad JSON: nested too deeply") from None
    return from_dict(data, source=str(path))


def _read_network_bytes(path: Path) -> bytes:
    """The file's bytes, if it is a regular file of at most MAX_FILE_BYTES (:mod:`neuroviz.model.reading`)."""
    try:
        return read_regular_file(path, MAX_FILE_BYTES, "network file", "a network")
    except FileReadError as error:
        raise NetworkFileError(path, "", error.reason) from None


# -- examples shipped with neuroviz --------------------------------------------------------------------------
def _examples_folder() -> Path:
    return Path(str(importlib.resources.files("neuroviz.resources") / "examples"))


def example_names() -> list[str]:
    """Names of the example networks shipped with neuroviz ("default", "xor", ...), sorted."""
    return sorted(p.stem for p in _examples_folder().glob("*.json"))


def example_path(name: str) -> Path:
    """The file of the example network ``name``; an unknown name raises ValueError with close matches."""
    known = example_names()
    if name not in known:
        close = difflib.get_close_matches(str(name), known, n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(f"no example network called {name!r}{hint} (examples: {', '.join(known)})")
    return _examples_folder() / f"{name}.json"


def load_example(name: str) -> Network:
    """Load the example network ``name`` (``load_example("default")`` is what the app opens with no file)."""
    return load(example_path(name))
