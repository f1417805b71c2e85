"""Colours shared by the views: the light and dark themes and the diverging colour map for values.

One colour legend for everything, as in TensorFlow Playground: orange for negative, a neutral grey for zero,
blue for positive. Orange and blue stay distinct for the common forms of colour blindness. The map has an odd
number of entries so that 0 lands exactly on the neutral colour and ±limit exactly on the end colours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtGui import QBrush, QColor

__all__ = ["DARK", "LIGHT", "DivergingColorMap", "Theme", "flatten", "mix", "theme"]


#: Text that says something is wrong (a typed value refused), per theme (dark: True).
ERROR_TEXT = {False: "#c5221f", True: "#f28b82"}


@dataclass(frozen=True)
class Theme:
    """The colours of one theme, as ``#rrggbb`` strings."""

    name: str
    background: str
    foreground: str  # headers and important text
    muted: str  # secondary text, outlines of quiet things
    outline: str  # ring around every neuron
    negative: str  # colour-map end for -limit
    neutral: str  # colour-map centre (value 0)
    positive: str  # colour-map end for +limit
    dead: str  # ✕ on dead neurons
    saturated: str  # ring around saturated neurons
    nonfinite: str  # fill of NaN / ±inf neurons
    selection: str  # ring around the selected neuron
    dark_text: str  # value labels on light fills
    light_text: str  # value labels on dark fills


LIGHT = Theme(
    name="light",
    background="#ffffff",
    foreground="#202124",
    muted="#6b7075",
    outline="#5f6368",
    negative="#f59322",
    neutral="#e8eaeb",
    positive="#0877bd",
    dead="#3c4043",
    saturated="#d62728",
    nonfinite="#c2189b",
    selection="#202124",
    dark_text="#202124",
    light_text="#ffffff",
)

DARK = Theme(
    name="dark",
    background="#1e1f22",
    foreground="#e3e5e8",
    muted="#9aa0a6",
    outline="#8a9097",
    negative="#f59322",
    neutral="#43464c",
    positive="#3b9ae1",
    dead="#d5d8dc",
    saturated="#ff5c5c",
    nonfinite="#e040c8",
    selection="#f1f3f4",
    dark_text="#15161a",
    light_text="#ffffff",
)


def theme(dark: bool) -> Theme:
    """The dark or the light theme."""
    return DARK if dark else LIGHT


def mix(color: str | QColor, other: str | QColor, amount: float) -> QColor:
    """``color`` moved ``amount`` (0..1) of the way towards ``other``: opaque stand-in for transparency."""
    a, b = QColor(color), QColor(other)
    t = min(max(float(amount), 0.0), 1.0)
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def flatten(color: QColor, background: str | QColor) -> QColor:
    """The opaque colour a translucent ``color`` shows over ``background``.

    Qt's raster engine draws translucent lines an order of magnitude slower than opaque ones, so lines over a
    known plain background (the plots' grid lines) are drawn in this colour instead: the same look, faster.
    """
    return mix(QColor(color.red(), color.green(), color.blue()), background, 1.0 - color.alphaF())


_MAPS: dict[Theme, DivergingColorMap] = {}


class DivergingColorMap:
    """Value → colour lookup table: negative end, neutral at 0, positive end, plus one entry for NaN.

    ``indices(values, limit)`` maps values to table rows; ``colors``/``brushes`` hold pre-made Qt objects for
    every row, so drawing many neurons never creates a QColor or QBrush.
    """

    STEPS = 257  # odd: row 128 is exactly 0
    CENTER = STEPS // 2
    INVALID = STEPS  # row for NaN values

    def __init__(self, negative: str, neutral: str, positive: str, invalid: str) -> None:
        ends = np.array([QColor(c).getRgb()[:3] for c in (negative, neutral, positive)], dtype=np.float64)
        t = np.linspace(-1.0, 1.0, self.STEPS)[:, None]
        low = ends[1] + (ends[0] - ends[1]) * np.clip(-t, 0, 1)
        high = ends[1] + (ends[2] - ends[1]) * np.clip(t, 0, 1)
        rgb = np.where(t < 0, low, high)
        rgb = np.vstack([rgb, QColor(invalid).getRgb()[:3]])
        self.rgb = np.rint(rgb).astype(np.uint8)
        self.colors = [QColor(int(r), int(g), int(b)) for r, g, b in self.rgb]
        self.brushes = np.empty(len(self.colors), dtype=object)
        self.brushes[:] = [QBrush(c) for c in self.colors]
        # relative luminance, to pick dark or light label text on each fill
        linear = (self.rgb / 255.0) ** 2.2
        self.luminance = linear @ np.array([0.2126, 0.7152, 0.0722])

    @classmethod
    def for_theme(cls, th: Theme) -> DivergingColorMap:
        """The map of a theme, made once (258 QColors and QBrushes take ~3 ms) and shared by every view."""
        if th not in _MAPS:
            _MAPS[th] = cls(th.negative, th.neutral, th.positive, th.nonfinite)
        return _MAPS[th]

    def indices(self, values: np.ndarray, limit: float) -> np.ndarray:
        """Table rows for ``values`` normalised by ``limit`` (> 0): clipped to ±limit, NaN → ``INVALID``."""
        v = np.asarray(values, dtype=np.float64)
        nan = np.isnan(v)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            t = np.clip(np.where(nan, 0.0, v) / limit, -1.0, 1.0)
        rows = np.rint((t + 1.0) * self.CENTER).astype(np.intp)
        rows[nan] = self.INVALID
        return rows

    def color(self, value: float, limit: float) -> QColor:
        """The colour of one value."""
        return QColor(self.colors[int(self.indices(np.array([value]), limit)[0])])

    def gradient_stops(self, count: int = 9) -> list[tuple[float, QColor]]:
        """Stops (0..1, colour) for a QLinearGradient running from -limit to +limit."""
        rows = np.rint(np.linspace(0, self.STEPS - 1, count)).astype(int)
        return [(float(r) / (self.STEPS - 1), QColor(self.colors[r])) for r in rows]
