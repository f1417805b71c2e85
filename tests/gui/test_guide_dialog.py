"""The activation guide lists every activation by family and explains and previews the selected one."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from neuroviz.model import activations
from neuroviz.views.guide_dialog import ACTIVATION_ROLE, ActivationGuideDialog, guide_html, preview_curve


@pytest.fixture
def dialog(qtbot):
    widget = ActivationGuideDialog()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def listed(dialog):
    """The activations' entries and family headers (the overview entry first is not one of them)."""
    items = [dialog.list_widget().item(r) for r in range(1, dialog.list_widget().count())]
    return [(i.text().strip(), i.data(ACTIVATION_ROLE), i.flags()) for i in items]


def test_lists_every_activation_grouped_by_family(dialog):
    rows = listed(dialog)
    names = [name for _text, name, _flags in rows if name is not None]
    assert names == activations.primary_names()
    headers = [text for text, name, _flags in rows if name is None]
    assert headers == list(dict.fromkeys(a.family for a in activations.catalog()))
    for _text, name, flags in rows:
        if name is None:
            assert not flags & Qt.ItemFlag.ItemIsSelectable


def test_select_shows_formula_parameters_and_guide(dialog):
    dialog.select("elu")
    assert dialog.selected() == "elu"
    act = activations.get("elu")
    text = dialog.text_browser().toPlainText()
    assert act.formula in text
    assert "alpha" in text and "1" in text  # the parameter and its default
    assert act.params["alpha"].doc in text
    assert act.guide[:40] in text


def test_relu_page_lists_readable_parameter_names_and_ranges(dialog):
    dialog.select("relu")
    text = dialog.text_browser().toPlainText()
    for name in ("negative slope", "max value", "threshold"):
        assert name in text
    assert "0 … ∞" in text  # negative_slope's range
    assert "none" in text  # max_value's default


def test_alias_selects_its_activation(dialog):
    dialog.select("swish")
    assert dialog.selected() == "silu"
    with pytest.raises(ValueError, match="relu"):
        dialog.select("relux")


def test_preview_plots_defaults_on_minus_five_to_five(dialog):
    dialog.select("tanh")
    assert dialog.has_preview()
    x, f = dialog.preview().curve_data()
    assert x[0] == -5.0 and x[-1] == 5.0
    np.testing.assert_allclose(f, np.tanh(x))
    _, df = dialog.preview().derivative_data()
    np.testing.assert_allclose(df, 1 - np.tanh(x) ** 2, atol=1e-12)


def test_preview_of_softmax_varies_one_neuron(dialog):
    dialog.select("softmax")
    assert dialog.has_preview()
    x, f = dialog.preview().curve_data()
    expected = np.exp(x) / (np.exp(x) + 2.0)
    np.testing.assert_allclose(f, expected)
    assert "others at 0" in dialog.preview().title()


def test_glu_has_no_preview_but_says_why(dialog):
    dialog.select("glu")
    assert not dialog.has_preview()
    assert "no single curve" in dialog.text_browser().toPlainText()
    assert preview_curve(activations.get("glu")) is None


def test_keyboard_browsing_skips_headers(dialog, qtbot):
    dialog.select("threshold")  # last of the ReLU family
    dialog.list_widget().setFocus()
    qtbot.keyClick(dialog.list_widget(), Qt.Key.Key_Down)
    assert dialog.selected() == "sigmoid"
    assert "sigmoid" in dialog.text_browser().toPlainText()


def test_filter_narrows_the_list(dialog, qtbot):
    qtbot.keyClicks(dialog.filter_box(), "shrink")
    visible = [
        dialog.list_widget().item(r).data(ACTIVATION_ROLE)
        for r in range(1, dialog.list_widget().count())  # after the overview entry
        if not dialog.list_widget().item(r).isHidden()
    ]
    assert visible == [None, "soft_shrink", "hard_shrink", "tanh_shrink"]  # one family header
    assert dialog.selected() == "soft_shrink"
    dialog.filter_box().clear()
    assert all(not dialog.list_widget().item(r).isHidden() for r in range(dialog.list_widget().count()))


def test_every_activation_has_a_page_and_a_preview_without_warnings():
    for act in activations.catalog():
        page = guide_html(act)
        assert act.name in page
        curve = preview_curve(act)
        if act.name == "glu":
            continue
        assert curve is not None, act.name
        x, f, df, _note = curve
        assert f.shape == x.shape == df.shape
        assert np.isfinite(f).all() and np.isfinite(df).all(), act.name


def test_dark_palette_darkens_the_preview(dialog):
    assert not dialog.preview().is_dark()
    dialog.set_dark(True)
    assert dialog.preview().is_dark()


def test_screenshot(dialog):
    dialog.select("elu")
    assert dialog.grab().save("/tmp/panel_guide.png")
