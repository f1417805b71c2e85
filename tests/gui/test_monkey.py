"""Robustness: a seeded "monkey" drives thousands of random user actions through the real widgets of the window.

After every action it checks that no exception escaped a slot and that what the views show equals a fresh
``Network.forward`` of the model: the controller's propagation, the outputs chart's bars and the network view's
status marks every action; every ``FULL_CHECK_EVERY`` actions (they cost more to read back) also the activation
plot's curve and points, the colour of every neuron and which links are drawn, and the numbers the layer cards'
parameter editors and the inspector's weight boxes hold and show. The run is deterministic: one seeded generator picks
every action and value, the controller is flushed instead of waiting for its frame timer, and nothing depends on
the clock.

CI runs ``ACTIONS`` = 3,000 actions with seed ``SEED`` (600 of them took 65 s on one core of the reference
machine; since the monkey also trains, races and shows gradients, 5,000 took 10–12 minutes and made the whole CI run
exceed its 15); ``NEUROVIZ_MONKEY_ACTIONS=50000`` (and optionally ``NEUROVIZ_MONKEY_SEED``) runs a larger one. A
failure names the seed, the step and the last actions.

The file also holds the smaller robustness tests: letters typed into number boxes change nothing, and values as
large as ±1e300 from a file show as ±∞/NaN neurons without a crash or a RuntimeWarning.
"""

from __future__ import annotations

import collections
import json
import os
import random

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QCheckBox, QDoubleSpinBox, QSpinBox

from neuroviz.data_source import feature_data
from neuroviz.model import Network, activations, files, picture, training
from neuroviz.model.datasets import DatasetError
from neuroviz.model.network import MAX_HIDDEN_LAYERS, MAX_UNITS
from neuroviz.presenters import catch_up
from neuroviz.views import colors
from neuroviz.views.activation_plot import VIEW_LIMIT
from neuroviz.views.colors import DivergingColorMap
from neuroviz.views.layer_panel import ACTIVATION_ROLE, CUSTOM_CHOICE
from neuroviz.views.network_view import strongest_edges
from neuroviz.views.number_box import format_number

ACTIONS = int(os.environ.get("NEUROVIZ_MONKEY_ACTIONS", "3000"))
SEED = int(os.environ.get("NEUROVIZ_MONKEY_SEED", "20240611"))
FULL_CHECK_EVERY = 10

#: Formulas a person might type that parse (some overflow or give NaN on purpose), with their parameters.
GOOD_FORMULAS = [
    ("x * sigmoid(beta * x)", {"beta": 1.0}),
    ("where(x > 0, x, alpha * expm1(x))", {"alpha": 1.0}),
    ("log(1 + exp(x))", {}),
    ("tanh(x) * k + b", {"k": 2.0, "b": -0.5}),
    ("maximum(x, 0.1 * x)", {}),
    ("clip(x, lo, hi)", {"lo": -1.0, "hi": 1.0}),
    ("exp(x)", {}),
    ("x ** 3 - x", {}),
    ("log(x)", {}),
    ("sqrt(abs(x)) * sign(x)", {}),
    ("1 / x", {}),
    ("erf(x / s)", {"s": 2.0}),
    ("gelu(x) + selu(x) - softsign(x)", {}),
    ("where(x > -1 and x < 1, x, 0)", {}),
]
#: Formulas that must be refused inline: typos, attempts to run code, malformed text, too long, too deep.
BAD_FORMULAS = [
    "x * sigmoid(bta * x)",
    "__import__('os').system('echo pwned')",
    "().__class__.__bases__",
    "x.__dict__",
    "lambda: x",
    "open(x)",
    "[x for x in ()]",
    "x *",
    "((x)",
    "",
    "x" * 600,
    "exp(x, 2)",
    "softmax(x)",
    "where(x, 1, 2)",
    "x ＋ 1",
    "х * 2",  # a Cyrillic 'х'
    "(" * 60 + "x" + ")" * 60,
    "x; import os",
    "gamma * x",  # gamma is not declared
]
NUMBER_EXTREMES = (-1e6, -1e3, -1.0, -1e-4, 0.0, 1e-4, 0.5, 1.0, 3.0, 1e3, 1e6)


class Monkey:
    """Random user actions on the real widgets of ``window``, each one a method; ``rng`` decides everything."""

    def __init__(self, window, qtbot, tmp_path, seed: int) -> None:
        self.window = window
        self.ctrl = window.controller
        #: The inputs as in the file last opened or saved: moving them away marks the window modified.
        window.monkey_saved_inputs = inputs_of(self.ctrl.network)
        self.qtbot = qtbot
        self.tmp_path = tmp_path
        self.rng = random.Random(seed)
        self.names = activations.primary_names()
        self.examples = window.examples_menu.actions()
        self.log: collections.deque[str] = collections.deque(maxlen=25)
        self.counts: collections.Counter[str] = collections.Counter()
        # weights: mostly the main loop of use (inputs, parameters, activations), structural edits less often
        self.actions = [
            (self.move_slider, 20),
            (self.type_input, 10),
            (self.change_input_range, 5),
            (self.edit_parameter, 12),
            (self.choose_activation, 8),
            (self.custom_formula, 3),
            (self.bad_custom_formula, 3),
            (self.edit_custom_formula, 2),
            (self.edit_weight, 6),
            (self.click_neuron, 4),
            (self.click_edge, 2),
            (self.click_background, 3),
            (self.select_layer_card, 3),
            (self.type_letters, 3),
            (self.undo, 5),
            (self.redo, 3),
            (self.insert_layer, 2),
            (self.remove_layer, 2),
            (self.resize_layer, 3),
            (self.save_and_reopen, 1),
            (self.open_example, 1),
            (self.view_option, 2),
            (self.reset_inputs, 2),
            (self.train, 2),
            (self.race, 1),
        ]
        self._weights = [weight for _, weight in self.actions]

    # -- driving ---------------------------------------------------------------------------------------------
    def step(self) -> None:
        action = self.rng.choices([a for a, _ in self.actions], weights=self._weights)[0]
        self.counts[action.__name__] += 1
        action()

    def note(self, text: str) -> None:
        self.log.append(text)

    @property
    def net(self) -> Network:
        return self.ctrl.network

    def layer_position(self) -> int:
        return self.rng.randint(1, len(self.net.layers))

    def number(self, low: float, high: float) -> float:
        """A value in [low, high]: the ends, an extreme, zero or something ordinary."""
        kind = self.rng.random()
        if kind < 0.15:
            return low
        if kind < 0.3:
            return high
        if kind < 0.6:
            return float(min(max(self.rng.choice(NUMBER_EXTREMES), low), high))
        return self.rng.uniform(max(low, -5.0), min(high, 5.0)) if max(low, -5.0) < min(high, 5.0) else low

    # -- actions ---------------------------------------------------------------------------------------------
    def choose_activation(self) -> None:
        k = self.layer_position()
        name = self.rng.choice(self.names)
        self.note(f"layer {k} activation {name}")
        combo = self.window.layer_panel.combo(k)
        combo.setCurrentIndex(combo.findData(name, ACTIVATION_ROLE))

    def _open_editor(self, k: int):
        combo = self.window.layer_panel.combo(k)
        combo.setCurrentIndex(combo.findData(CUSTOM_CHOICE, ACTIVATION_ROLE))
        editor = self.ctrl.formula_editor
        assert editor is not None and editor.isVisible()
        return editor

    def _declare(self, editor, params: dict[str, float]) -> None:
        while editor.param_count():
            editor.param_remove_button(0).click()
        for name, default in params.items():
            editor.add_param_button.click()
            row = editor.param_count() - 1
            editor.param_name_edit(row).setText(name)
            box = editor.param_value_box(row)
            box.setValue(default if self.rng.random() < 0.7 else self.number(box.minimum(), box.maximum()))

    def custom_formula(self) -> None:
        k = self.layer_position()
        text, params = self.rng.choice(GOOD_FORMULAS)
        self.note(f"layer {k} custom {text!r}")
        editor = self._open_editor(k)
        editor.formula_edit.setText(text)
        self._declare(editor, params)
        assert editor.is_valid(), editor.error()
        expected = editor.params()
        editor.ok_button().click()
        assert self.ctrl.formula_editor is None
        layer = self.net.layers[k - 1]
        if layer.units <= MAX_UNITS:
            assert (layer.activation, layer.formula, layer.params) == ("custom", text, expected)
        else:  # a glu layer of more than 256 units cannot become elementwise: refused, said in the status bar
            assert layer.formula is None and "256" in self.ctrl.last_error

    def bad_custom_formula(self) -> None:
        k = self.layer_position()
        text = self.rng.choice(BAD_FORMULAS)
        self.note(f"layer {k} bad custom {text[:40]!r}")
        before = self.net.layers[k - 1].copy()
        count = self.ctrl.undo_stack.count()
        editor = self._open_editor(k)
        editor.formula_edit.setText(text)
        assert editor.error() is not None and not editor.ok_button().isEnabled()
        assert editor.error_label.text() == str(editor.error())
        editor.ok_button().click()
        editor.accept()  # refused: the dialog stays open
        assert editor.isVisible()
        editor.reject()
        layer = self.net.layers[k - 1]
        assert (layer.activation, layer.formula, layer.params) == (before.activation, before.formula, before.params)
        assert self.ctrl.undo_stack.count() == count
        assert self.window.layer_panel.combo(k).activation() == layer.activation

    def edit_custom_formula(self) -> None:
        custom = [k for k, layer in enumerate(self.net.layers, start=1) if layer.formula is not None]
        if not custom:
            self.custom_formula()
            return
        k = self.rng.choice(custom)
        self.note(f"layer {k} edit formula")
        self.window.layer_panel.edit_formula_button(k).click()
        editor = self.ctrl.formula_editor
        assert editor.formula() == self.net.layers[k - 1].formula
        if editor.param_count():
            box = editor.param_value_box(self.rng.randrange(editor.param_count()))
            box.setValue(self.number(box.minimum(), box.maximum()))
        if self.rng.random() < 0.5:
            editor.ok_button().click()
        else:
            editor.reject()

    def edit_parameter(self) -> None:
        k = self.layer_position()
        panel = self.window.layer_panel
        names = panel.param_names(k)
        if not names:
            return
        name = self.rng.choice(names)
        editor = panel.param_editor(k, name)
        if isinstance(editor, QCheckBox):
            self.note(f"layer {k} toggle {name}")
            editor.click()
            return
        try:
            limit = panel.param_limit_box(k, name)
        except ValueError:
            limit = None
        if limit is not None and (not limit.isChecked() or self.rng.random() < 0.2):
            self.note(f"layer {k} limit {name}")
            limit.click()
            return
        if isinstance(editor, QSpinBox):
            value = self.rng.randint(editor.minimum(), editor.maximum())
        else:
            value = self.number(editor.minimum(), editor.maximum())
        self.note(f"layer {k} {name} = {value!r}")
        editor.setValue(value)

    def move_slider(self) -> None:
        i = self.rng.randrange(self.window.input_panel.count())
        slider = self.window.input_panel.slider(i)
        position = self.rng.choice([slider.minimum(), slider.maximum(), self.rng.randint(0, slider.maximum())])
        self.note(f"slider {i} -> {position}")
        slider.setValue(position)

    def type_input(self) -> None:
        i = self.rng.randrange(self.window.input_panel.count())
        box = self.window.input_panel.spin_box(i)
        value = self.number(box.minimum(), box.maximum())
        self.note(f"input {i} = {value!r}")
        box.setValue(value)

    def change_input_range(self) -> None:
        i = self.rng.randrange(self.window.input_panel.count())
        low_box, high_box = self.window.input_panel.range_boxes(i)
        box = self.rng.choice([low_box, high_box])
        value = self.rng.choice([-1e6, -100.0, -5.0, -1.0, 0.0, 1.0, 5.0, 100.0, 1e6, self.rng.uniform(-10, 10)])
        self.note(f"input {i} {'low' if box is low_box else 'high'} = {value!r}")
        box.setValue(value)

    def insert_layer(self) -> None:
        k = self.layer_position()
        self.note(f"insert above {k}")
        hidden = len(self.net.layers) - 1
        self.window.layer_panel.insert_button(k).click()
        assert len(self.net.layers) - 1 == min(hidden + 1, MAX_HIDDEN_LAYERS)

    def remove_layer(self) -> None:
        k = self.layer_position()
        button = self.window.layer_panel.remove_button(k)
        self.note(f"remove {k} ({'enabled' if button.isEnabled() else 'disabled'})")
        count = len(self.net.layers)
        button.click()
        assert len(self.net.layers) == (count - 1 if k < count else count)

    def resize_layer(self) -> None:
        k = self.layer_position()
        box = self.window.layer_panel.size_box(k)
        units = self.rng.randint(1, 10) if self.rng.random() < 0.97 else self.rng.randint(1, MAX_UNITS)
        self.note(f"resize {k} -> {units}")
        box.setValue(units)

    def _pixel(self, scene_pos) -> tuple[QPoint, QPointF]:
        """The viewport pixel a click at ``scene_pos`` lands on, and that pixel back in scene coordinates."""
        view = self.window.network_view
        pixel = view.mapFromScene(scene_pos)
        return pixel, view.mapToScene(pixel)

    def _click(self, pixel: QPoint) -> None:
        self.qtbot.mouseClick(self.window.network_view.viewport(), Qt.MouseButton.LeftButton, pos=pixel)

    def click_neuron(self) -> None:
        view = self.window.network_view
        sizes = self.net.sizes
        k = self.rng.randrange(len(sizes))
        i = self.rng.randrange(sizes[k])
        pixel, where = self._pixel(view.neuron_position(k, i))
        expected = view.neuron_at(where)
        self.note(f"click neuron {k},{i} (hit {expected})")
        self._click(pixel)
        if expected is not None:
            assert self.ctrl.selected_neuron == expected
            if expected[0] >= 1:
                layer = self.net.layers[expected[0] - 1]
                assert self.window.inspector.weight_count() == layer.fan_in

    def click_edge(self) -> None:
        view = self.window.network_view
        k = self.layer_position()
        edges = view.drawn_edges(k)
        if len(edges) == 0:
            return
        source, target = edges[self.rng.randrange(len(edges))]
        a, b = view.neuron_position(k - 1, int(source)), view.neuron_position(k, int(target))
        pixel, where = self._pixel((a + b) / 2)
        expected = view.edge_at(where) if view.neuron_at(where) is None else None
        self.note(f"click edge {k}:{source}->{target} (hit {expected})")
        self._click(pixel)
        if expected is not None:
            k_hit, s_hit, t_hit = expected
            assert self.window.inspector.editing() == (k_hit, t_hit, s_hit)

    def click_background(self) -> None:
        """A click on empty space (left of the input column): nothing selected, the inspector is empty."""
        view = self.window.network_view
        pixel, where = self._pixel(view.neuron_position(0, 0) - QPointF(3 * view.neuron_radius() + 4, 0))
        hit = view.neuron_at(where) or view.edge_at(where)
        self.note(f"click background (hit {hit})")
        self._click(pixel)
        if hit is None:
            assert self.ctrl.selected_neuron is None and self.window.inspector.editing() is None

    def edit_weight(self) -> None:
        inspector = self.window.inspector
        editing = inspector.editing()
        if editing is None:
            self.click_neuron()
            return
        k, target, edge_source = editing
        sources = [edge_source] if edge_source is not None else list(range(inspector.weight_count()))
        if edge_source is None and self.rng.random() < 0.25:
            box, what = inspector.bias_box(), "bias"
        else:
            source = self.rng.choice(sources)
            box, what = inspector.weight_box(source), f"weight {source}"
        value = self.number(box.minimum(), box.maximum())
        self.note(f"layer {k} neuron {target} {what} = {value!r}")
        box.setValue(value)
        changed = box.changed()  # differs from the model's value at the box's 4 decimals
        box.editingFinished.emit()  # what Enter or leaving the box does
        layer = self.net.layers[k - 1]
        stored = layer.biases[target] if what == "bias" else layer.weights[int(what.split()[1]), target]
        assert stored == box.value() or not changed

    def select_layer_card(self) -> None:
        k = self.layer_position()
        self.note(f"click card {k}")
        self.qtbot.mouseClick(self.window.layer_panel.card(k), Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
        assert self.ctrl.selected_layer == k

    def type_letters(self) -> None:
        """Letters typed into a number box are refused: nothing changes."""
        panel, inputs = self.window.layer_panel, self.window.input_panel
        boxes = [inputs.spin_box(0), *inputs.range_boxes(0), panel.size_box(1)]
        k = self.layer_position()
        boxes += [b for n in panel.param_names(k) if isinstance(b := panel.param_editor(k, n), QDoubleSpinBox)]
        if self.window.inspector.editing() is not None:
            boxes.append(self.window.inspector.weight_box(self.window.inspector.editing()[2] or 0))
        box = self.rng.choice(boxes)
        self.note(f"type letters into {box.accessibleName() or type(box).__name__}")
        value, count, text = box.value(), self.ctrl.undo_stack.count(), box.text()
        inputs_before = list(self.net.input_values)
        box.setFocus()
        box.selectAll()
        self.qtbot.keyClicks(box, "abc")
        assert box.text() == text
        self.qtbot.keyClick(box, Qt.Key.Key_Return)
        assert box.value() == value and self.ctrl.undo_stack.count() == count
        assert list(self.net.input_values) == inputs_before

    def undo(self) -> None:
        self.note(f"undo (index {self.ctrl.undo_stack.index()})")
        self.window.actions["undo"].trigger()

    def redo(self) -> None:
        self.note(f"redo (index {self.ctrl.undo_stack.index()})")
        self.window.actions["redo"].trigger()

    def save_and_reopen(self) -> None:
        path = self.tmp_path / "monkey.json"
        self.note(f"save and reopen {path.name}")
        self.ctrl.choose_save_path = lambda: str(path)
        saved = files.to_dict(self.net)
        assert self.ctrl.save_as(), self.ctrl.last_error
        assert not self.window.isWindowModified()
        assert self.ctrl.open(str(path), ask=False), self.ctrl.last_error
        assert files.to_dict(self.net) == saved
        assert self.ctrl.undo_stack.count() == 0
        self.window.monkey_saved_inputs = inputs_of(self.net)

    def open_example(self) -> None:
        action = self.rng.choice(self.examples)
        self.note(f"open example {action.text()}")
        action.trigger()  # the window's tests answer "discard" to the unsaved-changes question: it opens
        self.window.monkey_saved_inputs = inputs_of(self.net)

    def train(self) -> None:
        """The Training dock's buttons as a person presses them: a few frames of Play then Pause, Step One Epoch,
        Reset Weights, or another data set (which may not fit the network: then a message, nothing trained)."""
        run = self.ctrl.training.run
        run.budget_ms = None  # whole epochs per frame: the numbers never depend on the clock
        kind = self.rng.choice(["play", "play", "step", "reset", "data"])
        before = run.epoch
        if kind == "data":
            name = self.rng.choice(["circle", "xor", "gauss", "spiral", "plane", "multi_gauss", "iris"])
            self.note(f"data {name}")
            self.window.actions[f"data_{name}"].trigger()
            assert run.epoch == 0 and not run.running
        elif kind == "play":
            frames = self.rng.randint(1, 3)
            self.note(f"play {frames} frames (epoch {before})")
            self.window.actions["train_play"].trigger()
            for _ in range(frames):
                run.tick()
            if run.running:
                self.window.actions["train_play"].trigger()
                assert run.epoch == before + frames
            assert not run.running
        elif kind == "step":
            self.note(f"step one epoch (epoch {before})")
            self.window.actions["train_step"].trigger()
            assert run.epoch in (before, before + 1)
        else:
            self.note("reset weights")
            self.window.actions["train_reset"].trigger()
        charts = self.window.training_charts  # the loss chart draws the run's history
        same(charts.loss.series("loss")[1], run.history.column("loss"), "loss chart")
        same(charts.loss.series("loss (test)")[1], run.history.column("val_loss"), "test loss chart")

    def race(self) -> None:
        """A tiny race: two contenders, one or two epochs, then keep one (an undo step) or close."""
        self.window.actions["race_activations"].trigger()
        dialog, race = self.window.race_dialog, self.ctrl.training.race
        race.budget_ms = None
        names = self.rng.sample(dialog.choice_names(), 2)
        for name in dialog.choice_names():
            dialog.set_choice(name, name in names)
        dialog.epochs_box.setValue(self.rng.randint(1, 2))
        self.note(f"race {names} for {dialog.epochs_box.value()} epochs")
        dialog.race_button.click()
        while race.running:
            race.tick()
        stack = self.ctrl.undo_stack
        index = stack.index()  # (not count(): a new step replaces the steps undone before it)
        if race.race is not None and race.race.finished and self.rng.random() < 0.6:
            kept = dialog.keep_combo.currentData()
            dialog.keep_button.click()
            if not dialog.isVisible():  # kept: the hidden layers have the contender's activation, one undo step
                assert stack.index() == index + 1 == stack.count()
                assert stack.undoText().startswith("Keep ")
                hidden = [layer for layer in self.net.layers[:-1] if layer.activation != "custom"]
                assert all(layer.activation == kept for layer in hidden) or kept == "custom"
                return
        dialog.close_button.click()
        assert not dialog.isVisible() and race.race is None

    def view_option(self) -> None:
        key = self.rng.choice(["show_values", "edges_weight", "edges_signal", "edges_gradient"])
        self.note(f"view {key}")
        action = self.window.actions[key]
        action.setChecked(not action.isChecked() if key == "show_values" else True)

    def reset_inputs(self) -> None:
        self.note("reset inputs")
        self.window.actions["reset_inputs"].trigger()


# -- what the views show against a fresh forward pass --------------------------------------------------------
def inputs_of(net: Network) -> tuple:
    """What of the inputs a file holds: values and ranges."""
    return list(map(float, net.input_values)), [tuple(map(float, r)) for r in net.input_ranges]


def same(actual, expected, what: str = "") -> None:
    """Equal arrays, NaN where NaN; the quick test first, NumPy's detailed message only on failure."""
    if not np.array_equal(actual, expected, equal_nan=True):
        np.testing.assert_array_equal(actual, expected, err_msg=what)


def check_cheap(window) -> None:
    """Propagation, outputs chart and status marks equal a fresh Network.forward; the panels match the model.

    A view on a tab behind another holds its redraw back (presenters/on_screen.py): it is read as it is drawn when
    its tab comes to the front (``catch_up``, the same redraw that showing it makes)."""
    ctrl = window.controller
    ctrl.flush()
    catch_up(ctrl.presenters)
    net = ctrl.network
    fresh = net.forward()
    prop = ctrl.propagation
    assert len(prop.activations) == len(fresh.activations) == len(net.layers) + 1
    for k in range(len(fresh.activations)):
        same(prop.pre_activations[k], fresh.pre_activations[k])
        same(prop.activations[k], fresh.activations[k])
        same(prop.derivatives[k], fresh.derivatives[k])
    outputs = np.asarray(fresh.activations[-1], dtype=np.float64)
    heights = window.outputs_chart.bar_heights()
    finite = np.isfinite(outputs)
    same(heights[finite], outputs[finite])  # the bars' heights are the outputs, however large (drawn scaled)
    # NaN and +∞: a marker bar up to the top of the axis (which has room above 0 for it), −∞ down to its bottom
    assert np.all(heights[~finite & ~np.isneginf(outputs)] > 0)
    assert np.all(heights[np.isneginf(outputs)] < 0)
    view = window.network_view
    same(view.status_marks(0), picture.neuron_status(fresh.activations[0], np.ones(net.n_inputs)))
    for k, layer in enumerate(net.layers, start=1):
        a = picture.visible_outputs(layer, fresh.activations[k])
        d = picture.visible_outputs(layer, fresh.derivatives[k])
        same(view.status_marks(k), picture.neuron_status(a, d))
    panel = window.layer_panel
    assert panel.count() == len(net.layers)
    for k, layer in enumerate(net.layers, start=1):
        assert panel.combo(k).activation() == layer.activation
        assert panel.size_box(k).value() == layer.units
    assert window.input_panel.count() == net.n_inputs
    # to the last bit but one: a slider at the end of a range like −5 … 6.8 computes −5 + 11.8 = 6.800000000000001,
    # which the model clamps to 6.8 (reported to the input panel's owner)
    np.testing.assert_allclose(window.input_panel.values(), net.input_values, rtol=1e-12, atol=0)
    assert window.input_panel.ranges() == [tuple(r) for r in net.input_ranges]
    # modified: an edit on the undo stack, or inputs and ranges that differ from the file (they are saved in it)
    # (a monkey records them whenever it opens or saves a file; the smaller tests below do not)
    saved = getattr(window, "monkey_saved_inputs", None)
    if saved is not None:
        assert window.isWindowModified() == (not ctrl.undo_stack.isClean() or saved != inputs_of(net))


def check_network_picture(window, fresh) -> None:
    """Neuron colours and the links drawn equal what a fresh forward pass gives, through the model's picture."""
    ctrl, view = window.controller, window.network_view
    pic = picture.network_picture(ctrl.network, fresh, *edge_arrays(ctrl))
    cmap = DivergingColorMap.for_theme(colors.theme(view.is_dark()))
    for k, values in enumerate(pic.values):
        rows = cmap.indices(values, pic.value_limit)
        status = pic.status[k]
        rows[status == picture.NAN] = cmap.INVALID
        rows[status == picture.POS_INF] = cmap.STEPS - 1
        rows[status == picture.NEG_INF] = 0
        assert [c.rgb() for c in view.neuron_colors(k)] == [QColor(cmap.colors[r]).rgb() for r in rows], k
    chosen = strongest_edges(pic.edges, view.max_edges())
    for k, (edges, keep) in enumerate(zip(pic.edges, chosen, strict=True), start=1):
        expected = np.column_stack(np.divmod(np.sort(keep), edges.shape[1]))
        drawn = view.drawn_edges(k)
        same(drawn[np.lexsort((drawn[:, 1], drawn[:, 0]))], expected, f"links into column {k}")


def edge_arrays(ctrl) -> tuple[str, list | None]:
    """What the links should show: in gradient mode backprop's ∂L/∂w over the training rows, computed here; the
    weights when there are no training rows that fit (the status bar says why)."""
    if ctrl.edge_mode != "gradient":
        return ctrl.edge_mode, None
    run, net = ctrl.training.run, ctrl.network
    if run.data_problem():
        return "weight", None
    loss = run.loss_name()
    try:
        train = feature_data(run.data.train, net)
        with np.errstate(all="ignore"):
            grads = training.gradients(net, train.x, train.targets_for(net, loss), loss)
    except (DatasetError, ValueError):
        return "weight", None
    return "gradient", grads.weights


def check_editors(window) -> None:
    """The numbers in the layer cards and the inspector are the model's, exactly, and read as such."""
    ctrl, panel = window.controller, window.layer_panel
    for k, layer in enumerate(ctrl.network.layers, start=1):
        for name in panel.param_names(k):
            editor, value = panel.param_editor(k, name), layer.params[name]
            if isinstance(editor, QCheckBox):
                assert editor.isChecked() == bool(value), (k, name)
            elif isinstance(editor, QDoubleSpinBox) and value is not None and np.ndim(value) == 0:
                assert editor.value() == value and editor.text() == format_number(value), (k, name, value)
    editing = window.inspector.editing()
    if editing is not None:
        k_edit, target, edge_source = editing
        layer = ctrl.network.layers[k_edit - 1]
        sources = range(layer.fan_in) if edge_source is None else [edge_source]
        for s in sources:
            box, weight = window.inspector.weight_box(s), layer.weights[s, target]
            assert box.value() == weight and box.text() == format_number(weight), (s, weight)


def check_full(window) -> None:
    """The slower read-backs: activation plot, neuron colours and links, parameter editors, inspector."""
    ctrl = window.controller
    catch_up(ctrl.presenters)  # as in check_cheap
    net, prop = ctrl.network, ctrl.propagation
    check_network_picture(window, net.forward())
    check_editors(window)
    k = ctrl.selected_layer
    neuron = ctrl.selected_neuron[1] if ctrl.selected_neuron and ctrl.selected_neuron[0] == k else None
    curve = picture.activation_curve(net, prop, k, neuron)
    plot = window.activation_plot
    assert plot.title() == curve.title
    x, f = plot.curve_data()
    np.testing.assert_array_equal(x, curve.x)
    low, high = plot.y_window()
    span = high - low
    expected = np.where(np.isfinite(curve.f), np.clip(curve.f, low - 10 * span, high + 10 * span), np.nan)
    np.testing.assert_array_equal(f, expected)
    z, a = plot.point_data()
    shown = np.isfinite(curve.z) & np.isfinite(curve.a)
    np.testing.assert_array_equal(z, np.clip(curve.z[shown], -VIEW_LIMIT, VIEW_LIMIT))  # beyond: at the edge
    np.testing.assert_array_equal(a, np.clip(curve.a[shown], -VIEW_LIMIT, VIEW_LIMIT))
    panel = window.layer_panel
    for position, layer in enumerate(net.layers, start=1):
        if layer.formula is not None:
            assert panel.param_names(position) == list(layer.params)
            assert panel.combo(position).currentText().startswith("custom: ")
        else:
            act = activations.get(layer.activation)
            assert panel.param_names(position) == [p.name for p in act.params.values() if p.ui]
    editing = window.inspector.editing()
    if editing is not None:
        k_edit, target, edge_source = editing
        layer = net.layers[k_edit - 1]
        if edge_source is None:
            boxes = [window.inspector.weight_box(s) for s in range(layer.fan_in)]
            assert [box.model_value for box in boxes] == list(layer.weights[:, target])
            assert window.inspector.bias_box().model_value == layer.biases[target]
        else:
            assert window.inspector.weight_box(edge_source).model_value == layer.weights[edge_source, target]


def test_monkey_drives_random_user_actions_and_the_views_stay_true(window, qtbot, tmp_path):
    monkey = Monkey(window, qtbot, tmp_path, SEED)
    window.resize(1400, 900)
    QApplication.processEvents()
    check_cheap(window)
    for step in range(ACTIONS):
        with qtbot.captureExceptions() as exceptions:
            try:
                monkey.step()
                check_cheap(window)
                if step % FULL_CHECK_EVERY == 0:
                    check_full(window)
            except AssertionError as error:
                recent = "\n  ".join(monkey.log)
                raise AssertionError(f"seed {SEED}, action {step}: {error}\nlast actions:\n  {recent}") from None
        if exceptions:
            recent = "\n  ".join(monkey.log)
            raise AssertionError(f"seed {SEED}, action {step}: exception in a slot {exceptions}\n  {recent}")
        if step % 25 == 0:  # let Qt delete the widgets replaced by rebuilds (deleteLater), as its loop would
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # every kind of action ran, most of them many times (a short run, NEUROVIZ_MONKEY_ACTIONS=300, may miss rare ones)
    if ACTIONS >= 2000:
        assert set(monkey.counts) == {action.__name__ for action, _ in monkey.actions}
        assert min(monkey.counts.values()) >= ACTIONS // 500


# -- smaller robustness tests --------------------------------------------------------------------------------
def test_letters_typed_into_number_boxes_change_nothing(window, qtbot):
    ctrl = window.controller
    window.network_view.neuronClicked.emit(1, 0)
    panel = window.layer_panel
    boxes = [
        window.input_panel.spin_box(0),
        window.input_panel.range_boxes(0)[1],
        panel.size_box(2),
        panel.param_editor(1, "negative_slope"),
        window.inspector.weight_box(0),
        window.inspector.bias_box(),
    ]
    before = files.to_dict(ctrl.network)
    for box in boxes:
        value, text = box.value(), box.text()
        box.setFocus()
        box.selectAll()
        qtbot.keyClicks(box, "abc")
        assert box.text() == text
        qtbot.keyClick(box, Qt.Key.Key_Return)
        assert box.value() == value
        box.clearFocus()
    assert files.to_dict(ctrl.network) == before
    assert ctrl.undo_stack.count() == 0 and not window.isWindowModified()


#: f(+∞) = +∞, f(−∞) = −∞, f(−2) = −2·√(−1) = NaN, f(0) = 0: every kind of mark from one layer.
HUGE_FORMULA = "where(x > -5, x * sqrt(x + 1), x)"


def huge_network_file(path) -> None:
    """Inputs and weights as large as ±1e300: their products overflow to ±∞, and the formula makes a NaN."""
    data = {
        "format": "neuroviz-network",
        "version": 1,
        "name": "huge",
        "inputs": [
            {"name": "x1", "value": 1e300, "min": -1e300, "max": 1e300},
            {"name": "x2", "value": -1e300, "min": -1e300, "max": 1e300},
        ],
        "layers": [
            {
                "activation": "custom",
                "formula": HUGE_FORMULA,
                "weights": [[1e300, -1e300, 0.0, 0.5], [0.0, 0.0, 0.0, 0.5]],
                "biases": [0.0, 0.0, -2.0, 0.0],
            },
            {"activation": "tanh", "weights": [[1.0], [1.0], [1.0], [1.0]], "biases": [0.0]},
        ],
    }
    path.write_text(json.dumps(data), encoding="utf-8")


def test_values_of_1e300_show_as_infinite_and_nan_neurons(window, tmp_path):
    path = tmp_path / "huge.json"
    huge_network_file(path)
    ctrl = window.controller
    assert ctrl.open(str(path)), ctrl.last_error
    check_cheap(window)
    hidden = ctrl.propagation.activations[1]
    assert hidden[0] == np.inf and hidden[1] == -np.inf and np.isnan(hidden[2]) and hidden[3] == 0.0
    marks = list(window.network_view.status_marks(1))
    assert marks == [picture.POS_INF, picture.NEG_INF, picture.NAN, picture.NORMAL]
    assert list(window.network_view.status_marks(0)) == [picture.NORMAL, picture.NORMAL]
    assert np.isnan(ctrl.propagation.outputs[0])  # NaN goes on through every sum
    assert window.outputs_chart.bar_heights()[0] > 0  # the marker bar
    window.network_view.neuronClicked.emit(1, 0)
    facts = dict(window.inspector.facts())
    assert facts["z (pre-activation)"] == "+∞" and facts["a (activation)"] == "+∞"
    window.network_view.neuronClicked.emit(1, 2)
    assert dict(window.inspector.facts())["a (activation)"] == "NaN"
    check_full(window)  # the plot of this layer draws the finite part of the curve, the points that are finite
    # a value edit on top of it still works: x2 = 0 makes the last neuron overflow too
    window.input_panel.spin_box(1).setValue(0.0)
    check_cheap(window)
    marks = list(window.network_view.status_marks(1))
    assert marks == [picture.POS_INF, picture.NEG_INF, picture.NAN, picture.POS_INF]
    window.inspector.weightEdited.emit(1, 0, 0, 1e-300)  # and a weight edit: z = 1e300 · 1e-300 = 1
    check_cheap(window)
    assert ctrl.propagation.activations[1][0] == np.sqrt(2.0)
    assert window.network_view.status_marks(1)[0] == picture.NORMAL
    check_full(window)


def test_overflowing_activations_in_the_window_are_marked_not_raised(window):
    ctrl = window.controller
    net = Network.from_sizes([1, 2, 1], activations=["exponential", "linear"], seed=0)
    net.set_input_range(0, -1e6, 1e6)
    net.set_weight(1, 0, 0, 1e6)
    net.set_weight(1, 0, 1, -1e6)
    ctrl.set_network(net, None)
    window.input_panel.spin_box(0).setValue(1e6)
    check_cheap(window)
    assert ctrl.propagation.activations[1][0] == np.inf and ctrl.propagation.activations[1][1] == 0.0
    assert window.network_view.status_marks(1)[0] == picture.POS_INF
    check_full(window)


@pytest.mark.parametrize("seed", [1, 2])
def test_short_monkey_runs_with_other_seeds(window, qtbot, tmp_path, seed):
    monkey = Monkey(window, qtbot, tmp_path, seed)
    for step in range(150):
        with qtbot.captureExceptions() as exceptions:
            monkey.step()
            check_cheap(window)
            if step % FULL_CHECK_EVERY == 0:
                check_full(window)
        assert not exceptions, (seed, step, list(monkey.log))


# -- what the monkey found, pinned down ----------------------------------------------------------------------
def test_resizing_the_layer_before_a_selected_neuron_keeps_the_inspector_in_step(window):
    ctrl = window.controller
    window.network_view.neuronClicked.emit(2, 0)
    assert window.inspector.weight_count() == 6
    window.layer_panel.size_box(1).setValue(3)  # layer 2 now reads 3 values: its editors follow
    assert window.inspector.editing() == (2, 0, None) and window.inspector.weight_count() == 3
    window.layer_panel.size_box(2).setValue(1)  # the selected neuron 0 still exists
    window.network_view.neuronClicked.emit(2, 0)
    window.layer_panel.remove_button(1).click()  # the selected neuron's layer moves to position 1: so does it
    assert ctrl.selected_neuron == (1, 0) and window.inspector.editing() == (1, 0, None)  # issue 10 item 9
    assert window.inspector.weight_count() == ctrl.network.layers[0].fan_in
    units = ctrl.network.layers[1].units
    assert units < 5
    window.layer_panel.size_box(2).setValue(5)
    window.network_view.neuronClicked.emit(2, 4)
    window.actions["undo"].trigger()  # layer 2 back to fewer neurons: neuron 5 is gone, so are its editors
    assert ctrl.network.layers[1].units == units
    assert ctrl.selected_neuron is None and window.inspector.editing() is None
    check_cheap(window)
    check_full(window)


def test_clicking_an_input_leaves_no_weight_editors_of_the_neuron_before(window):
    window.network_view.neuronClicked.emit(1, 2)
    assert window.inspector.editing() == (1, 2, None)
    window.network_view.neuronClicked.emit(0, 1)
    assert window.inspector.editing() is None
    assert window.inspector.title() == "input x2"


def test_clicking_the_background_shows_the_layer_curve_again(window):
    ctrl = window.controller
    last = len(ctrl.network.layers)
    window.network_view.neuronClicked.emit(last, 2)  # softmax: the curve of neuron 3, the others fixed
    assert "neuron 3" in window.activation_plot.title()
    window.network_view.backgroundClicked.emit()
    assert "neuron 1" in window.activation_plot.title()
    check_full(window)


def test_editors_rebuilt_under_the_focus_do_not_select_another_layer(window, qtbot):
    ctrl = window.controller
    panel = window.layer_panel
    window.activateWindow()
    box = panel.param_editor(1, "threshold")  # relu's last editor: the next widget is layer 2's first
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    selected = []
    panel.layerSelected.connect(selected.append)
    ctrl.edit("tanh", lambda net: net.set_activation(1, "tanh"), 1)  # as undo/redo would: layer 1's editors go
    assert not box.isVisible() and panel.param_names(1) == []
    assert selected == [] and ctrl.selected_layer == 1 and panel.selected() == 1
    window.actions["undo"].trigger()
    window.actions["redo"].trigger()
    assert selected == [] and ctrl.selected_layer == 1
    check_cheap(window)


def test_deltas_near_the_float_limit_show_as_infinite_gradients_without_a_warning():
    """Found by the monkey with training data loaded: a weight of -1.8e308 makes backprop's deltas so large that
    their sum over the rows overflowed with a RuntimeWarning inside the inspector's slot."""
    import warnings

    from neuroviz.gradient_source import DataGradients

    huge = np.full((3, 2), 1e308)
    grads = training.Gradients([np.zeros((2, 2))], [np.zeros(2)], [huge], [{}], 0.0)
    gradients = DataGradients(grads, 3, "mean_squared_error")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert list(gradients.mean_delta(1)) == [np.inf, np.inf]
        assert list(gradients.mean_abs_delta(1)) == [np.inf, np.inf]
