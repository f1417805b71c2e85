"""The activation guide (issue 10, item 18): open and closed ends of output ranges, a filter that reads the pages."""

import pytest

from neuroviz.model import activations
from neuroviz.views.guide_dialog import ACTIVATION_ROLE, ActivationGuideDialog, guide_html, interval_text

#: Every activation's output range with the default parameters, each end as it is (layer-wide: two or more neurons).
EXPECTED_RANGES = {
    "relu": "[0, ∞)",
    "leaky_relu": "(−∞, ∞)",
    "prelu": "(−∞, ∞)",
    "relu6": "[0, 6]",
    "elu": "(−1, ∞)",
    "selu": "(≈−1.7581, ∞)",
    "celu": "(−1, ∞)",
    "threshold": "[0, ∞)",
    "sigmoid": "(0, 1)",
    "tanh": "(−1, 1)",
    "hard_sigmoid": "[0, 1]",
    "sparse_sigmoid": "[0, 1]",
    "hard_tanh": "[−1, 1]",
    "log_sigmoid": "(−∞, 0)",
    "softsign": "(−1, 1)",
    "softplus": "(0, ∞)",
    "silu": "[≈−0.27847, ∞)",
    "gelu": "[≈−0.16998, ∞)",
    "mish": "[≈−0.30885, ∞)",
    "hard_silu": "[−0.375, ∞)",
    "squareplus": "(0, ∞)",
    "sparse_plus": "[0, ∞)",
    "softmax": "(0, 1)",
    "log_softmax": "(−∞, 0)",
    "sparsemax": "[0, 1]",
    "glu": "(−∞, ∞)",
    "linear": "(−∞, ∞)",
    "exponential": "(0, ∞)",
    "soft_shrink": "(−∞, ∞)",
    "hard_shrink": "(−∞, ∞)",
    "tanh_shrink": "(−∞, ∞)",
}


def test_the_table_covers_every_activation():
    assert set(EXPECTED_RANGES) == set(activations.primary_names())


@pytest.mark.parametrize(("name", "expected"), EXPECTED_RANGES.items())
def test_output_range_ends_are_open_or_closed_as_they_are(name, expected):
    act = activations.get(name)
    assert interval_text(act) == expected
    assert f"Output range: {expected} with the default parameters" in guide_html(act)


@pytest.fixture
def dialog(qtbot):
    widget = ActivationGuideDialog()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def visible(dialog) -> set[str]:
    items = [dialog.list_widget().item(row) for row in range(dialog.list_widget().count())]
    return {item.data(ACTIVATION_ROLE) for item in items if not item.isHidden() and item.data(ACTIVATION_ROLE)}


@pytest.mark.parametrize(
    ("words", "must", "must_not"),
    [
        ("binary", {"sigmoid", "log_sigmoid"}, {"relu", "tanh"}),
        ("regression", {"linear"}, {"sigmoid", "softmax"}),
        ("output", {"sigmoid", "softmax", "linear", "softplus", "exponential"}, set()),
        ("hidden", {"relu", "tanh", "sigmoid", "linear"}, {"softmax"}),
        ("vanish", {"sigmoid", "tanh", "tanh_shrink"}, {"relu", "leaky_relu"}),
        ("Transformer", {"gelu", "glu"}, {"relu"}),  # a use case
        ("binary output", {"log_sigmoid"}, {"linear"}),  # every word must be on the page
        ("(0, 1)", {"sigmoid", "softmax"}, {"relu6", "hard_sigmoid"}),  # the range as shown
        ("alpha > 0", {"elu", "celu"}, {"sigmoid", "tanh"}),  # the meaningful range of a parameter
    ],
)
def test_the_filter_finds_words_of_the_guide_text_and_use_cases(dialog, qtbot, words, must, must_not):
    qtbot.keyClicks(dialog.filter_box(), words)
    shown = visible(dialog)
    assert must <= shown, must - shown
    assert not (must_not & shown), must_not & shown
    assert dialog.selected() in shown
    assert words.split()[0].lower() in dialog.text_browser().toPlainText().lower()


def test_the_guide_states_the_meaningful_range_of_elu_alpha(dialog):
    dialog.select("elu")
    text = dialog.text_browser().toPlainText()
    assert "Meaningful: alpha > 0" in text
    assert "alpha must be > 0" in text
