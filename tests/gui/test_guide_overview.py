"""The guide's overview: which activation in hidden layers and at the output for each kind of problem, with the
matching loss; names link to their pages; the numbers it states are computed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl

from neuroviz.model import activations, advice
from neuroviz.model.training import losses
from neuroviz.views.guide_dialog import OVERVIEW_ROLE, ActivationGuideDialog


@pytest.fixture
def dialog(qtbot):
    widget = ActivationGuideDialog()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_guide_opens_on_the_overview(dialog):
    assert dialog.showing_overview() and dialog.selected() == ""
    assert dialog.list_widget().item(0).data(OVERVIEW_ROLE)
    text = dialog.text_browser().toPlainText()
    for decision in advice.DECISIONS:
        assert decision.situation in text
        for name in decision.activations:
            assert name in text
        assert decision.loss in text
    assert not dialog.has_preview()


def test_every_row_names_real_activations_and_losses():
    for decision in advice.DECISIONS:
        assert decision.place in ("hidden", "output")
        for name in decision.activations:
            assert activations.get(name).name == name
        if decision.place == "output":
            losses.get(decision.loss)  # a loss the trainer knows
        else:
            assert decision.loss == ""


def test_the_stated_sigmoid_slope_is_computed(dialog):
    slope = advice.largest_slope("sigmoid")
    assert slope == pytest.approx(0.25)
    assert f"at most {slope:.4g}" in dialog.text_browser().toPlainText()


def test_a_name_in_the_table_opens_its_page(dialog):
    dialog.text_browser().anchorClicked.emit(QUrl("activation:leaky_relu"))
    assert dialog.selected() == "leaky_relu" and not dialog.showing_overview()
    assert "leaky_relu" in dialog.text_browser().toPlainText()
    dialog.show_overview()
    assert dialog.showing_overview()


def test_filtering_goes_from_the_overview_to_the_first_matching_activation(dialog, qtbot):
    qtbot.keyClicks(dialog.filter_box(), "softmax")
    assert dialog.selected() == "softmax"
    assert not dialog.list_widget().item(0).isHidden()  # the overview mentions softmax too
    dialog.filter_box().clear()
    qtbot.keyClicks(dialog.filter_box(), "tanh_shrink")
    assert dialog.list_widget().item(0).isHidden()
