"""One place for display rules: every view writes NaN and the infinities as neuroviz.model.display does, the status
codes are the model's, and only views/pg_options.py sets pyqtgraph's global options."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from neuroviz.model import display, picture
from neuroviz.views import outputs_chart
from neuroviz.views.network_view import format_value as network_text
from neuroviz.views.network_view import style


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_every_view_writes_non_finite_values_alike(value):
    expected = display.format_value(value)
    assert expected in ("NaN", "+∞", "−∞")
    assert network_text(value) == expected
    assert outputs_chart.format_value(value) == expected


def test_the_network_view_uses_the_models_status_codes():
    codes = ("NORMAL", "DEAD", "SATURATED", "NAN", "POS_INF", "NEG_INF")
    assert [getattr(style, name) for name in codes] == [getattr(picture, name) for name in codes]
    assert style.NONFINITE_TEXT == {
        picture.NAN: display.NAN_TEXT,
        picture.POS_INF: display.POS_INF_TEXT,
        picture.NEG_INF: display.NEG_INF_TEXT,
    }


def test_only_pg_options_sets_pyqtgraphs_global_options():
    package = Path(__file__).resolve().parents[2] / "neuroviz"
    setters = sorted(
        str(path.relative_to(package)) for path in package.rglob("*.py") if "setConfigOptions(" in path.read_text()
    )
    assert setters == ["views/pg_options.py"]
