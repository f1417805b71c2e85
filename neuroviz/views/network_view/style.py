"""What every part of the network picture shares: the status codes, how a value is written, pens, fonts, hatches."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen

from neuroviz.model import display
from neuroviz.model.picture import DEAD, NAN, NEG_INF, NORMAL, POS_INF, SATURATED
from neuroviz.views.colors import Theme, mix

# Status codes of set_values: neuroviz.model.picture's, the one place they are defined.
STATUS_NAMES = {
    NORMAL: "normal",
    DEAD: "dead",
    SATURATED: "saturated",
    NAN: "NaN",
    POS_INF: "+inf",
    NEG_INF: "-inf",
}
NONFINITE_TEXT = {NAN: display.NAN_TEXT, POS_INF: display.POS_INF_TEXT, NEG_INF: display.NEG_INF_TEXT}


def format_value(value: float) -> str:
    """A value in at most ~6 characters: ``0.73``, ``12.3``, ``-1.2e3``, ``5e-4``; non-finite values as everywhere
    (:mod:`neuroviz.model.display`): ``NaN``, ``+∞``, ``−∞``."""
    v = float(value)
    if not math.isfinite(v):
        return display.format_value(v)
    a = abs(v)
    if a == 0:
        return "0"
    if 0.01 <= a < 0.995:
        return f"{v:.2f}"
    if 0.995 <= a < 999.5:
        return f"{v:.3g}"
    mantissa, exponent = f"{v:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')}e{int(exponent)}"


#: Mark code of a neuron dead for every input on the map (beside the status codes 0..5): its own mark.
DEAD_EVERYWHERE_MARK = 6


def mark_colours(th: Theme) -> np.ndarray:
    """RGBA of the mark beside a strip, by status code: none, quiet grey for dead (common in ReLU layers), the
    saturation red, the NaN colour for NaN and ±inf (whose bars are the colour map's ends), and the full dead
    colour for "dead everywhere on the map" (``DEAD_EVERYWHERE_MARK``)."""
    colours = [QColor(0, 0, 0, 0), mix(th.dead, th.background, 0.45), QColor(th.saturated)]
    colours += [QColor(th.nonfinite)] * 3 + [QColor(th.dead)]
    return np.array([c.getRgb() for c in colours], dtype=np.uint8)


def never_symbol() -> QPainterPath:
    """The "dead everywhere on the map" mark: a circle struck through (⊘), in pyqtgraph's unit symbol box."""
    path = QPainterPath()
    path.addEllipse(QPointF(0.0, 0.0), 0.42, 0.42)
    d = 0.42 * 0.7071
    path.moveTo(-d, d)
    path.lineTo(d, -d)
    return path


LEFT, RIGHT = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
TOP, VCENTER = Qt.AlignmentFlag.AlignTop, Qt.AlignmentFlag.AlignVCenter
HCENTER = Qt.AlignmentFlag.AlignHCenter
NO_CLIP = Qt.TextFlag.TextDontClip


def text_flags(*flags: Qt.AlignmentFlag | Qt.TextFlag) -> int:
    combined = 0
    for flag in flags:
        combined |= int(flag)
    return combined


def shorter(value: float, text: str) -> str:
    """``text`` (format_value of ``value``) in fewer characters: "3e-4" for "3.2e-4", "-.73" for "-0.73"."""
    if "e" in text and math.isfinite(value):
        mantissa, exponent = f"{value:.0e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return text.replace("0.", ".", 1) if text.lstrip("-").startswith("0.") else text


def pixel_font(pixel_size: int) -> QFont:
    font = QFont()
    font.setPixelSize(pixel_size)
    return font


def cosmetic_pen(colour: str | QColor, width: float) -> QPen:
    """A cosmetic pen: its width is in pixels whatever the painter's scale (exports included)."""
    pen = QPen(QColor(colour))
    pen.setCosmetic(True)
    pen.setWidthF(width)
    return pen


def choose(mask: np.ndarray, yes: object, no: object) -> list:
    """``yes`` where ``mask`` is True, ``no`` elsewhere: per-point pens for pyqtgraph."""
    return [yes if m else no for m in mask.tolist()]


def ring_width(radius: float) -> float:
    """Width of the saturation ring: bold on big neurons, thin where neurons are only a few pixels apart."""
    return float(np.clip(0.15 * radius, 1.5 if radius >= 3.0 else 1.0, 3.0))


def nonfinite_fill(th: Theme, code: int) -> QColor:
    """NaN has a colour of its own; +inf and -inf are the saturated ends of the colour map."""
    return QColor({NAN: th.nonfinite, POS_INF: th.positive, NEG_INF: th.negative}[code])


def hatch_brush(th: Theme, code: int) -> QBrush:
    """Stripes over a non-finite neuron, so it is marked by shape as well as colour and stays quiet behind the
    label: diagonal over NaN, a grid over ±inf (told apart from a large finite value of the same colour)."""
    colour = QColor(th.light_text)
    colour.setAlpha(110 if code == NAN else 150)
    style = Qt.BrushStyle.BDiagPattern if code == NAN else Qt.BrushStyle.CrossPattern
    return QBrush(colour, style)


def xy(pos: QPointF | QPoint | tuple[float, float]) -> tuple[float, float]:
    if isinstance(pos, QPointF | QPoint):
        return float(pos.x()), float(pos.y())
    x, y = pos
    return float(x), float(y)
