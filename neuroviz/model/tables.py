"""The numbers behind the pictures, as CSV tables for handouts and spreadsheets.

Each ``*_table`` function returns ``(header, rows)``: a list of column names and a list of rows (lists
of str, int or float). :func:`write_csv` writes them with a ``.`` decimal point whatever the locale, every
float at full precision (``repr``: reading the file back gives the very same float64), and atomically, so
an interrupted export never leaves a half-written file behind.

Numbering, chosen to match what the window shows:

- ``layer`` is the layer position as in :class:`~neuroviz.model.network.Propagation`: 0 is the input layer,
  1..L the dense layers.
- ``neuron``, ``from`` and ``to`` count from 1, like the neuron labels in the window ("neuron 1").

Pure Python and NumPy: this module never imports Qt.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

import numpy as np

from neuroviz.model import activations, picture
from neuroviz.model.atomic import atomic_write
from neuroviz.model.errors import ExportError, FileWriteError
from neuroviz.model.network import Network, Propagation

__all__ = [
    "MAX_SWEEP_STEPS",
    "SWEEP_CHUNK_STEPS",
    "ExportError",
    "activations_table",
    "curve_table",
    "layer_curve_table",
    "sweep_rows",
    "sweep_table",
    "weights_table",
    "write_csv",
    "write_file_atomically",
]

Cell = str | int | float
Table = tuple[list[str], list[list[Cell]]]

#: More rows than this is a typo, not a handout; it would only fill the disk.
MAX_SWEEP_STEPS = 100_000
#: Sweep steps computed in one batched forward pass (see sweep_rows): bounds memory, not speed.
SWEEP_CHUNK_STEPS = 256


# -- tables --------------------------------------------------------------------------------------------------
def activations_table(net: Network, propagation: Propagation | None = None) -> Table:
    """One row per neuron: ``layer, layer_name, neuron, pre_activation, activation, derivative``.

    ``propagation`` is the result of ``net.forward(x)`` for one input (``None``: the current inputs). Input
    rows (layer 0, layer_name "input") have pre_activation = activation = the input value, derivative 1.

    A GLU layer of 2k units has 2k pre-activations [a, b] but only k outputs (output j = a_j · sigmoid(b_j)).
    It gets 2k rows, one per pre-activation: ``activation`` is blank on rows k+1..2k (those only gate), and
    ``derivative`` is the partial derivative of the output each pre-activation feeds (∂out_j/∂a_j =
    sigmoid(b_j) on rows 1..k, ∂out_j/∂b_j on rows k+1..2k). In general a cell is blank where the propagation
    holds fewer values.
    """
    if propagation is None:
        propagation = net.forward()
    n_layers = len(net.layers) + 1
    if len(propagation.activations) != n_layers or len(propagation.pre_activations) != n_layers:
        raise ValueError(
            f"activations_table: the propagation has {len(propagation.activations)} layers but the network "
            f"has {n_layers} (input included); pass the result of net.forward() of this network"
        )
    header = ["layer", "layer_name", "neuron", "pre_activation", "activation", "derivative"]
    rows: list[list[Cell]] = []
    for k in range(n_layers):
        name = "input" if k == 0 else net.layers[k - 1].name
        columns = [
            _one_sample(propagation.pre_activations[k], k, "pre_activations"),
            _one_sample(propagation.activations[k], k, "activations"),
            _one_sample(propagation.derivatives[k], k, "derivatives"),
        ]
        for j in range(max(len(c) for c in columns)):
            rows.append([k, name, j + 1, *(float(c[j]) if j < len(c) else "" for c in columns)])
    return header, rows


def weights_table(net: Network) -> Table:
    """Every weight and bias: ``layer, layer_name, from, to, weight``.

    Row ``from = i, to = j`` is the weight from neuron i of layer k-1 to neuron j of layer k
    (``layer.weights[i-1, j-1]``); the biases follow each layer's weights as rows with ``from = "bias"``.
    """
    header = ["layer", "layer_name", "from", "to", "weight"]
    rows: list[list[Cell]] = []
    for k, layer in enumerate(net.layers, start=1):
        weights = np.asarray(layer.weights, dtype=np.float64)
        n_in, units = weights.shape
        flat = weights.ravel().tolist()  # row-major: index i * units + j
        rows.extend([k, layer.name, i + 1, j + 1, flat[i * units + j]] for i in range(n_in) for j in range(units))
        biases = np.asarray(layer.biases, dtype=np.float64).tolist()
        rows.extend([k, layer.name, "bias", j + 1, b] for j, b in enumerate(biases))
    return header, rows


def curve_table(activation_name: str, params: dict[str, Any] | None, x: Any) -> Table:
    """The activation and its derivative sampled at ``x``: columns ``x, f(x), f'(x)``.

    Only for elementwise activations: a layer-wide one (softmax, glu…) has no single curve, since each output
    depends on the whole layer. ``params`` are the activation's keyword parameters (``None``: the defaults).
    """
    act = activations.get(activation_name)
    params = dict(params or {})
    if not act.elementwise:
        raise ValueError(
            f"curve_table: {act.name} acts on a whole layer, so it has no single curve f(x); "
            "use layer_curve_table for a neuron of a layer"
        )
    for name, value in params.items():
        if np.ndim(value) > 0:
            raise ValueError(
                f"curve_table: {act.name}: parameter '{name}' holds one value per neuron; "
                "pass the value of one neuron (a number), or use layer_curve_table"
            )
    xs = np.asarray(x, dtype=np.float64)
    if xs.ndim != 1 or xs.size == 0:
        raise ValueError(f"curve_table: x must be a non-empty 1-D list of numbers, got shape {xs.shape}")
    values = act(xs, **params).tolist()
    derivatives = act.derivative(xs, **params).tolist()
    return ["x", "f(x)", "f'(x)"], [list(row) for row in zip(xs.tolist(), values, derivatives, strict=True)]


def layer_curve_table(
    net: Network,
    propagation: Propagation | None,
    k: int,
    neuron: int | None = None,
    samples: int = 401,
) -> Table:
    """The curve the activation plot shows for layer ``k``: columns ``x, f(x), f'(x)``, for every activation.

    Unlike :func:`curve_table` this works for layer-wide activations (softmax, glu…: neuron ``neuron``'s
    own pre-activation is swept with the rest of the layer held at its current values) and for prelu with
    one slope per neuron (neuron ``neuron``'s slope). ``neuron`` counts from 0 (None: the first); ``k`` is
    the layer position (1..L); ``propagation`` None means the current inputs. The samples are the plot's
    (:func:`neuroviz.model.picture.activation_curve`).
    """
    n_layers = len(net.layers)
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= n_layers:
        raise ValueError(f"layer_curve_table: k must be a layer position from 1 to {n_layers}, got {k!r}")
    units = net.layers[k - 1].units
    if neuron is not None and (
        isinstance(neuron, bool) or not isinstance(neuron, int | np.integer) or not 0 <= neuron < units
    ):
        raise ValueError(
            f"layer_curve_table: neuron must be from 0 to {units - 1} (layer {k} has {units} units), got {neuron!r}"
        )
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer):
        raise ValueError(f"layer_curve_table: samples must be an integer, got {samples!r}")
    if not 2 <= samples <= MAX_SWEEP_STEPS:
        raise ValueError(f"layer_curve_table: samples must be between 2 and {MAX_SWEEP_STEPS}, got {samples}")
    if propagation is None:
        propagation = net.forward()
    curve = picture.activation_curve(net, propagation, int(k), None if neuron is None else int(neuron), int(samples))
    columns = (np.asarray(c, dtype=np.float64).tolist() for c in (curve.x, curve.f, curve.df))
    return ["x", "f(x)", "f'(x)"], [list(row) for row in zip(*columns, strict=True)]


def sweep_table(
    net: Network,
    input_index: int,
    low: float,
    high: float,
    steps: int,
    base_inputs: Any = None,
) -> Table:
    """Sweep input ``input_index`` (counted from 0, as in ``net.set_input``) from ``low`` to ``high`` in
    ``steps`` evenly spaced values, the other inputs fixed at ``base_inputs`` (``None``: the current inputs).

    Columns: the swept input's name, then every output (``net.output_names`` when the network has them, else
    y1, y2, …). The rows are :func:`sweep_rows`' rows, held in a list; write large sweeps with
    ``write_csv(path, *sweep_rows(...))``, which never holds them all.
    """
    header, rows = sweep_rows(net, input_index, low, high, steps, base_inputs)
    return header, list(rows)


def sweep_rows(
    net: Network,
    input_index: int,
    low: float,
    high: float,
    steps: int,
    base_inputs: Any = None,
    chunk_steps: int = SWEEP_CHUNK_STEPS,
) -> tuple[list[str], Iterator[list[Cell]]]:
    """:func:`sweep_table`'s header and its rows as an iterator that computes them ``chunk_steps`` at a time.

    The arguments are checked at once (a ValueError before anything is written); each chunk is one batched
    forward pass, so memory stays of the order of one chunk's propagation whatever ``steps`` is. A 16 × 256
    network sweeping 100,000 steps in one batch held about 10 GB of pre-activations, activations and
    derivatives; in chunks of 256 steps it holds a few tens of MB.
    """
    n = net.n_inputs
    if isinstance(input_index, bool) or not isinstance(input_index, int | np.integer):
        raise ValueError(f"sweep_table: input_index must be an integer, got {input_index!r}")
    if not 0 <= input_index < n:
        raise ValueError(f"sweep_table: input_index {input_index} is out of range; the network has {n} inputs")
    for label, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise ValueError(f"sweep_table: {label} must be a number, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"sweep_table: {label} must be finite, got {value!r}")
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer):
        raise ValueError(f"sweep_table: steps must be an integer, got {steps!r}")
    if not 2 <= steps <= MAX_SWEEP_STEPS:
        raise ValueError(f"sweep_table: steps must be between 2 and {MAX_SWEEP_STEPS}, got {steps}")
    if isinstance(chunk_steps, bool) or not isinstance(chunk_steps, int | np.integer) or chunk_steps < 1:
        raise ValueError(f"sweep_table: chunk_steps must be a whole number ≥ 1, got {chunk_steps!r}")
    base = np.asarray(net.input_values if base_inputs is None else base_inputs, dtype=np.float64)
    if base.shape != (n,):
        raise ValueError(f"sweep_table: base_inputs must hold {n} values (one per input), got shape {base.shape}")
    header = [str(net.input_names[input_index]), *_output_names(net, net.layers[-1].output_size)]
    swept = np.linspace(float(low), float(high), int(steps))  # the whole sweep's x: 8 bytes a step
    return header, _sweep_chunks(net, int(input_index), base.copy(), swept, int(chunk_steps))


def _sweep_chunks(
    net: Network, input_index: int, base: np.ndarray, swept: np.ndarray, chunk_steps: int
) -> Iterator[list[Cell]]:
    for start in range(0, len(swept), chunk_steps):
        xs = swept[start : start + chunk_steps]
        batch = np.repeat(base[None, :], len(xs), axis=0)
        batch[:, input_index] = xs
        outputs = np.asarray(net.forward(batch).activations[-1], dtype=np.float64)
        for x, ys in zip(xs.tolist(), outputs.tolist(), strict=True):
            yield [x, *ys]


def _output_names(net: Network, count: int) -> list[str]:
    names = getattr(net, "output_names", None)
    if names is not None and len(names) == count:
        return [str(name) for name in names]
    return [f"y{j + 1}" for j in range(count)]


def _one_sample(values: Any, k: int, what: str) -> np.ndarray:
    """The 1-D array of one sample; a batch of one is accepted, a larger batch is an error."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 2 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.ndim != 1:
        raise ValueError(
            f"activations_table: {what}[{k}] has shape {arr.shape}; the table needs the propagation of one "
            "input, not a batch"
        )
    return arr


# -- files ---------------------------------------------------------------------------------------------------
def write_csv(path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write ``header`` and ``rows`` as UTF-8 CSV, atomically, row by row as ``rows`` yields them.

    ``rows`` may be a list or an iterator (:func:`sweep_rows`): the file is written while the rows are made,
    so a large table never sits in memory, and a failure part way leaves the old file as it was. Floats are
    written with ``repr`` (full precision, ``.`` decimal point, ``nan``/``inf``/``-inf``), never with
    locale-dependent formatting. Errors raise :class:`ExportError` naming the file and the reason.
    """
    width = len(header)

    def write_rows(stream: BinaryIO) -> None:
        # the csv module writes its own \r\n line ends (see the csv docs), hence newline=""
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
        try:
            writer = csv.writer(text)
            writer.writerow([str(name) for name in header])
            for number, row in enumerate(rows, start=1):
                if len(row) != width:
                    raise ExportError(
                        f"could not write {path}: row {number} has {len(row)} values, the header has {width}"
                    )
                writer.writerow([_format_cell(value, path, number) for value in row])
            text.flush()
        finally:
            text.detach()  # the binary stream stays open for atomic_write to fsync and close

    write_file_atomically(path, write_rows)


def _format_cell(value: Any, path: Any, row: int) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return repr(float(value))  # shortest string that reads back as the same float; never locale-formatted
    raise ExportError(f"could not write {path}: row {row} holds {value!r}, which is not a number or text")


def write_file_atomically(path: str | os.PathLike[str], data: bytes | Callable[[BinaryIO], None]) -> None:
    """Replace ``path`` by ``data`` with :func:`neuroviz.model.atomic.atomic_write` (bytes, or a function that
    writes them to a binary file); on any error the old file is intact and :class:`ExportError` says which file
    and why (missing folder, permission denied, disk full…)."""
    try:
        atomic_write(path, data)
    except FileWriteError as error:
        raise ExportError(f"could not write {path}: {error.reason}") from error
