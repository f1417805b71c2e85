"""An opened network says what it is for: the bar above the network shows its description (examples carry one),
closes with its ×, and comes back with Help ▸ About This Network."""

from __future__ import annotations

from PySide6.QtCore import Qt

from neuroviz.model import Network
from neuroviz.model.files import example_path


def test_an_example_shows_its_description_above_the_network(window, qtbot):
    bar = window.description_bar
    window.controller.open_example("xor")
    expected = Network.load(example_path("xor"))
    assert bar.isVisible()
    assert bar.title_label.text() == expected.name
    assert bar.text_label.text() == expected.description and expected.description


def test_close_hides_it_and_help_shows_it_again(window, qtbot):
    bar = window.description_bar
    window.controller.open_example("vanishing_sigmoid")
    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert not bar.isVisible()
    window.actions["about_network"].trigger()
    assert bar.isVisible()
    assert "Help" in bar.close_button.toolTip()


def test_a_network_without_description_shows_no_bar(window):
    window.controller.set_network(Network.from_sizes([2, 3, 1], ["relu", "linear"]), None)
    assert not window.description_bar.isVisible()
    window.actions["about_network"].trigger()  # nothing to show: stays hidden
    assert not window.description_bar.isVisible()


def test_the_bar_follows_the_theme(window):
    window.controller.view_options.set_theme("dark")
    dark_sheet = window.description_bar.styleSheet()
    window.controller.view_options.set_theme("light")
    assert dark_sheet and dark_sheet != window.description_bar.styleSheet()


def test_the_bar_steps_aside_once_the_network_no_longer_matches_it(window, qtbot):
    """A description of the network as opened is wrong once its layers change (after "Fit the Network to the
    Data", say): the bar hides, and Help ▸ About This Network shows it with a line saying so."""
    bar = window.description_bar
    window.controller.open_example("xor")
    assert bar.isVisible() and not bar.note_label.isVisible()
    window.layer_panel.size_box(1).stepUp()  # one more neuron in the first hidden layer
    window.controller.flush()
    assert not bar.isVisible()
    window.actions["about_network"].trigger()
    assert bar.isVisible() and bar.note_label.isVisible()
    assert "changed since" in bar.note_label.text()
    window.actions["undo"].trigger()
    window.controller.flush()
    assert bar.isVisible() and not bar.note_label.isVisible()  # as opened again: the note goes, the bar stays
