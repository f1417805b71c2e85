"""The selection follows its neuron through layer inserts and removals, or is cleared when the neuron is gone
(issue 10 item 9)."""

from neuroviz.commands import inserted_at, removed_at
from neuroviz.selection import Selection


def test_follow_moves_the_neuron_with_its_layer(qtbot):
    selection = Selection()
    selection.select_neuron(3, 1)
    selection.follow(inserted_at(2, 3), [2, 4, 4, 4, 3])
    assert (selection.layer, selection.neuron) == (4, (4, 1))
    selection.follow(removed_at(4, 4), [2, 4, 4, 3])
    assert selection.neuron is None and selection.layer == 3


def test_follow_clears_a_neuron_its_layer_no_longer_has(qtbot):
    selection = Selection()
    selection.select_neuron(1, 5)
    with qtbot.waitSignal(selection.changed, timeout=100):
        selection.follow(None, [2, 3, 1])
        selection.announce_moves()
    assert selection.neuron is None


def test_removing_the_selected_neurons_layer_clears_the_inspector(window):
    ctrl = window.controller
    assert len(ctrl.network.layers) >= 3 and ctrl.network.sizes[2] >= 3  # hidden 1, hidden 2, ..., output
    window.network_view.neuronClicked.emit(2, 2)
    assert window.inspector.editing() == (2, 2, None)
    window.layer_panel.removeLayerRequested.emit(2)
    assert ctrl.selected_neuron is None
    assert window.inspector.editing() is None  # not "output · neuron 3"
    window.actions["undo"].trigger()
    assert ctrl.selected_neuron is None  # it was cleared, it stays cleared


def test_a_selected_output_neuron_stays_selected_when_a_layer_is_inserted_above(window, qtbot):
    ctrl = window.controller
    last = len(ctrl.network.layers)
    window.network_view.neuronClicked.emit(last, 0)
    weights_before = ctrl.network.layers[-1].weights[:, 0].copy()
    assert weights_before.size > 0
    window.actions["insert_layer"].trigger()  # a new hidden layer before the output
    assert ctrl.selected_neuron == (last + 1, 0)
    editing = window.inspector.editing()
    assert editing == (last + 1, 0, None)  # still the output neuron, not one of the new layer
    assert window.inspector.title().startswith(ctrl.network.layers[-1].name)
    window.inspector.biasEdited.emit(last + 1, 0, 0.75)  # typed bias goes to the output neuron
    assert ctrl.network.layers[-1].biases[0] == 0.75
    window.actions["undo"].trigger()
    window.actions["undo"].trigger()  # the insert is undone: the output moves back
    assert ctrl.selected_neuron == (last, 0)
    assert window.inspector.editing() == (last, 0, None)
