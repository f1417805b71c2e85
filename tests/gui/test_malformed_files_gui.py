"""Malformed network files opened through the app: each one is refused with a message naming the file and the
problem, and the network on screen (values, title, undo history) stays exactly as it was.

One window serves every file (building one per file would cost most of the run); each test compares the state
after the failed open with the state just before it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from neuroviz.model import files

#: Where a formula that escaped the parser would leave its trace.
MARKER_NAME = "pwned"


def base() -> dict:
    """A valid file's data: 2 inputs, a relu layer of 3 and a linear output of 1."""
    return {
        "format": "neuroviz-network",
        "version": 1,
        "name": "base",
        "inputs": [{"name": "a", "value": 0.5, "min": -1.0, "max": 1.0}, {"name": "b", "value": 0.0}],
        "layers": [
            {
                "name": "hidden",
                "activation": "relu",
                "weights": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]],
                "biases": [0, 0, 0],
            },
            {"name": "output", "activation": "linear", "weights": [[1.0], [1.0], [1.0]], "biases": [0.5]},
        ],
    }


def changed(edit: Callable[[dict], None]) -> Callable[[Path], bytes]:
    """The base file with ``edit`` applied, as JSON text (NaN and Infinity written as JSON's extensions)."""

    def make(_folder: Path) -> bytes:
        data = copy.deepcopy(base())
        edit(data)
        return json.dumps(data).encode("utf-8")

    return make


def raw(content: bytes) -> Callable[[Path], bytes]:
    return lambda _folder: content


def hidden(**fields) -> Callable[[dict], None]:
    return lambda data: data["layers"][0].update(fields)


def custom(formula: str, params: dict | None = None) -> Callable[[dict], None]:
    return hidden(activation="custom", formula=formula, params=params or {})


def escaping_formula(folder: Path) -> bytes:
    """A formula that, if it were ever evaluated by Python, would create a file next to the network file."""
    data = base()
    data["layers"][0].update(
        activation="custom", formula=f"__import__('os').system('touch {folder / MARKER_NAME}')", params={}
    )
    return json.dumps(data).encode("utf-8")


def too_deep(_folder: Path) -> bytes:
    return b'{"format": "neuroviz-network", "version": 1, "layers": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


def too_many_layers(_folder: Path) -> bytes:
    data = base()
    layer = {"activation": "tanh", "weights": [[1.0]], "biases": [0.0]}
    data["inputs"] = [{"name": "a"}]
    data["layers"] = [copy.deepcopy(layer) for _ in range(18)]
    return json.dumps(data).encode("utf-8")


def too_wide(_folder: Path) -> bytes:
    data = base()
    data["layers"][0].update(weights=[[0.0] * 300, [0.0] * 300], biases=[0.0] * 300)
    data["layers"][1].update(weights=[[0.0]] * 300)
    return json.dumps(data).encode("utf-8")


#: (file name, content maker, words the error must contain besides the file's name)
CASES: list[tuple[str, Callable[[Path], bytes], list[str]]] = [
    ("escape.json", escaping_formula, ["layers[0].formula", "'__'"]),
    ("class.json", changed(custom("().__class__.__bases__")), ["layers[0].formula", "attribute access"]),
    ("dunder-dict.json", changed(custom("x.__dict__")), ["layers[0].formula", "column 2"]),
    ("lambda.json", changed(custom("lambda: x")), ["layers[0].formula", "keyword 'lambda' is not allowed"]),
    ("long-formula.json", changed(custom("x + " * 200 + "x")), ["layers[0].formula", "too long"]),
    ("lookalike.json", changed(custom("х * 2")), ["layers[0].formula", "CYRILLIC SMALL LETTER HA", "column 1"]),
    ("undeclared.json", changed(custom("x * sigmoid(beta * x)")), ["layers[0].formula", "unknown name 'beta'"]),
    ("nan-param.json", changed(custom("x * b", {"b": float("nan")})), ["layers[0].params", "finite"]),
    ("formula-on-relu.json", changed(hidden(formula="x")), ["layers[0].formula", 'only a "custom"']),
    ("custom-no-formula.json", changed(hidden(activation="custom")), ["layers[0].formula", "missing"]),
    ("newer.json", changed(lambda d: d.update(version=2)), ["version", "newer neuroviz"]),
    ("version-text.json", changed(lambda d: d.update(version="1")), ["version", "whole number"]),
    ("format.json", changed(lambda d: d.update(format="keras")), ["format", "'neuroviz-network'"]),
    (
        "nan-weight.json",
        changed(lambda d: d["layers"][0]["weights"][1].__setitem__(2, float("nan"))),
        ["layers[0].weights[1][2]", "finite"],
    ),
    (
        "inf-bias.json",
        changed(lambda d: d["layers"][1]["biases"].__setitem__(0, float("inf"))),
        ["layers[1].biases[0]", "finite"],
    ),
    ("overflow.json", raw(json.dumps(base()).replace("4.0", "1e999").encode()), ["layers[0].weights[1][0]", "finite"]),
    (
        "shape.json",
        changed(lambda d: d["layers"][1].update(weights=[[1.0], [1.0]])),
        ["layers[1].weights", "expected 3×1, got 2×1"],
    ),
    (
        "ragged.json",
        changed(lambda d: d["layers"][0]["weights"][1].pop()),
        ["layers[0].weights[1]", "expected 3 numbers"],
    ),
    ("units.json", changed(hidden(units=4)), ["layers[0].units", "4 does not match the 3 biases"]),
    ("weights-text.json", changed(hidden(weights="1 2 3")), ["layers[0].weights", "expected a list of rows"]),
    ("activation.json", changed(hidden(activation="relux")), ["layers[0].activation", "relu"]),
    ("param-text.json", changed(hidden(params={"negative_slope": "abc"})), ["layers[0].params", "negative_slope"]),
    ("param-unknown.json", changed(hidden(params={"slope": 1.0})), ["layers[0].params", "slope"]),
    ("glu-odd.json", changed(hidden(activation="glu")), ["layers[0]", "even number of units"]),
    (
        "value-out-of-range.json",
        changed(lambda d: d["inputs"][0].update(value=3.0)),
        ["inputs[0].value", "outside its range [-1.0, 1.0]"],
    ),
    (
        "range-reversed.json",
        changed(lambda d: d["inputs"][1].update(min=2.0, max=-2.0)),
        ["inputs[1]", "min must be below max"],
    ),
    ("no-inputs.json", changed(lambda d: d.update(inputs=[])), ["inputs", "1 to 256 inputs"]),
    ("no-layers.json", changed(lambda d: d.pop("layers")), ["layers", "missing"]),
    ("too-many-layers.json", too_many_layers, ["16 hidden layers"]),
    ("too-wide.json", too_wide, ["1 to 256 neurons", "300"]),
    (
        "bad-utf8.json",
        raw(json.dumps(base()).encode()[:40] + b"\xff\xfe" + json.dumps(base()).encode()[40:]),
        ["not UTF-8", "offset 40"],
    ),
    ("truncated.json", raw(json.dumps(base()).encode()[:-25]), ["bad JSON", "line 1"]),
    ("empty.json", raw(b""), ["bad JSON", "Expecting value"]),
    ("list.json", raw(b"[1, 2, 3]"), ["expected a JSON object"]),
    ("deep.json", too_deep, ["nested too deeply"]),
    ("not-a-model.keras", raw(b"this is not a zip archive"), ["not a Keras model archive"]),
]


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    """One real main window for every file, with an edit on its undo stack (so "unchanged" means something)."""
    from neuroviz.app import build_window

    folder = tmp_path_factory.mktemp("settings")
    win = build_window(settings=QSettings(str(folder / "neuroviz.ini"), QSettings.IniFormat))
    win.controller.ask_unsaved = lambda: "discard"
    win.inspector.biasEdited.emit(1, 0, 0.75)
    yield win
    win.controller.undo_stack.clear()
    win.accept_close()
    win.deleteLater()


def snapshot(window) -> tuple:
    ctrl = window.controller
    return (
        files.to_dict(ctrl.network),
        [a.copy() for a in ctrl.propagation.activations],
        window.windowTitle(),
        window.isWindowModified(),
        ctrl.path,
        ctrl.undo_stack.count(),
        ctrl.undo_stack.index(),
        window.layer_panel.count(),
        window.input_panel.values(),
    )


def close_message_boxes(window) -> list[str]:
    """The texts of the message boxes the app opened, which are then closed."""
    texts = []
    for box in window.findChildren(QMessageBox):
        if box.isVisible():
            texts.append(box.text())
        box.done(0)
        box.deleteLater()
    return texts


def test_there_are_at_least_25_malformed_files():
    assert len(CASES) >= 25
    assert len({name for name, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "make", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_malformed_file_is_refused_and_the_network_stays(window, tmp_path, name, make, words):
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    ctrl = window.controller
    before = snapshot(window)
    assert before[5] == 1 and before[3]  # the edit made by the fixture: one undo step, unsaved
    ctrl.last_error = ""
    close_message_boxes(window)
    assert not ctrl.open(str(path))
    message = ctrl.last_error
    assert str(path) in message, message
    for word in words:
        assert word in message, (word, message)
    assert close_message_boxes(window) == [message]  # what the person reads is the same sentence
    after = snapshot(window)
    assert after[0] == before[0]
    for a, b in zip(after[1], before[1], strict=True):
        np.testing.assert_array_equal(a, b)
    assert after[2:] == before[2:]
    assert not (tmp_path / MARKER_NAME).exists()


def test_a_folder_and_a_missing_file_are_refused_too(window, tmp_path):
    ctrl = window.controller
    before = snapshot(window)
    for path, words in [(tmp_path, ["is a folder"]), (tmp_path / "nowhere.json", ["cannot be opened"])]:
        ctrl.last_error = ""
        assert not ctrl.open(str(path))
        assert str(path) in ctrl.last_error and all(w in ctrl.last_error for w in words), ctrl.last_error
        close_message_boxes(window)
    assert snapshot(window)[2:] == before[2:]
    assert snapshot(window)[0] == before[0]


def test_a_good_file_still_opens_after_the_bad_ones(window, tmp_path):
    path = tmp_path / "good.json"
    path.write_text(json.dumps(base()), encoding="utf-8")
    ctrl = window.controller
    assert ctrl.open(str(path)), ctrl.last_error
    assert ctrl.network.sizes == [2, 3, 1]
    np.testing.assert_array_equal(ctrl.network.layers[0].weights, [[1, 2, 3], [4, 5, 6]])
    assert window.windowTitle().startswith("good.json")
    assert ctrl.undo_stack.count() == 0
    close_message_boxes(window)
