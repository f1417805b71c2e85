"""The document: live changes in place, edits as one undo step each, value changes drawn once per frame and
always from the network as it is now (issue 10 item 8), a run of live changes committed as one step."""

import numpy as np
import pytest

from neuroviz.document import Document
from neuroviz.model import Network
from tests.gui.driving import choose, shown_matches_forward


@pytest.fixture
def document(qtbot):
    return Document(Network.from_sizes([3, 4, 2], activations=["relu", "sigmoid"], seed=0))


def test_an_input_change_mutates_the_network_in_place_and_is_drawn_once_per_frame(document, qtbot):
    network = document.network
    drawn = []
    document.valuesChanged.connect(drawn.append)
    document.set_input(0, 0.5)
    document.set_input(1, -0.25)
    assert document.network is network  # no copy for a live change
    assert drawn == []  # coalesced: nothing yet within the frame
    with qtbot.waitSignal(document.valuesChanged, timeout=1000):
        pass
    assert drawn == [0]
    np.testing.assert_array_equal(document.propagation.activations[0], [0.5, -0.25, 0.0])


def test_an_edit_costs_one_copy_and_undo_swaps_the_objects_back(document):
    original = document.network
    document.edit("bias", lambda n: n.set_bias(1, 0, 2.0), 1)
    edited = document.network
    assert edited is not original and edited.layers[0].biases[0] == 2.0
    document.undo_stack.undo()
    assert document.network is original and original.layers[0].biases[0] == 0.0
    document.undo_stack.redo()
    assert document.network is edited


def test_an_input_change_then_an_edit_in_the_same_frame_draws_the_new_input(document):
    """Issue 10 item 8: the edit's redraw from layer 1 must not reuse a propagation of the old input."""
    document.set_input(0, 1.0)  # pending, not drawn yet
    document.edit("tanh", lambda n: n.set_activation(2, "tanh"), 2)
    fresh = document.network.forward()
    for k in range(len(fresh.activations)):
        np.testing.assert_array_equal(document.propagation.activations[k], fresh.activations[k])


def test_a_run_of_live_changes_is_committed_as_one_undo_step(document):
    before = document.network.copy()
    original = document.network.layers[1].weights.copy()
    for step in range(5):  # as training steps would: in place, announced as values from layer 1
        document.network.layers[1].weights += 0.1 * (step + 1)
        document.mark_values_changed(1)
        document.flush()
    trained = document.network.layers[1].weights.copy()
    document.commit_live_changes("Train 5 steps", before)
    assert document.undo_stack.count() == 1 and document.undo_stack.undoText() == "Train 5 steps"
    assert document.is_modified()
    document.undo_stack.undo()
    np.testing.assert_array_equal(document.network.layers[1].weights, original)
    np.testing.assert_array_equal(document.propagation.activations[-1], document.network.forward().activations[-1])
    document.undo_stack.redo()
    np.testing.assert_array_equal(document.network.layers[1].weights, trained)


def test_in_the_window_an_activation_chosen_within_a_frame_of_an_input_change_shows_the_new_input(window):
    """Issue 10 item 8, as a person does it: move an input, then at once pick another activation."""
    spin = window.input_panel.spin_box(0)
    spin.setValue(spin.maximum())
    choose(window, 1, "tanh")  # within the same frame: the input's redraw is still pending
    fresh = window.controller.network.forward()
    np.testing.assert_array_equal(window.outputs_chart.bar_heights(), fresh.activations[-1])
    shown_matches_forward(window)
