"""Display rules shared by every view and export: how a number is written for people.

One rule everywhere text shows a value (tooltips, the inspector, the status bar): 4 significant digits, and the
non-finite values spelled "NaN", "+∞", "−∞" (with a true minus sign, as the charts' markers).
"""

from __future__ import annotations

import math

NAN_TEXT, POS_INF_TEXT, NEG_INF_TEXT = "NaN", "+∞", "−∞"


def format_value(value: float) -> str:
    """Numbers for people: 4 significant digits, NaN and infinities spelled out."""
    value = float(value)
    if math.isnan(value):
        return NAN_TEXT
    if math.isinf(value):
        return POS_INF_TEXT if value > 0 else NEG_INF_TEXT
    return f"{value:.4g}"
