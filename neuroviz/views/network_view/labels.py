"""Value labels: where each neuron's value is written (inside, below, beside it, or nowhere) and at what size.

NaN and ±inf always say what they are; a dead neuron's ✕ stands for its 0. Fitting a label into a circle is cached:
while an input moves most labels keep their text.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFontMetricsF

from neuroviz.views.colors import DivergingColorMap, Theme
from neuroviz.views.network_view.frame import Frame
from neuroviz.views.network_view.items import Text
from neuroviz.views.network_view.layout import (
    BACKDROP_PAD_X,
    BACKDROP_PAD_Y,
    BELOW,
    INSIDE,
    LABEL_BESIDE_FONT_PX,
    LABEL_BESIDE_MIN_GAP,
    LABEL_MIN_FONT_PX,
    NO_LABEL,
    TICK_WIDTH,
    Geometry,
)
from neuroviz.views.network_view.style import (
    DEAD,
    HCENTER,
    LEFT,
    NAN,
    NEG_INF,
    NO_CLIP,
    NONFINITE_TEXT,
    POS_INF,
    TOP,
    VCENTER,
    format_value,
    pixel_font,
    shorter,
    text_flags,
)


class PlacedLabels(NamedTuple):
    """The labels of one frame: the texts to paint, the text on every neuron ('' for none), where each is."""

    entries: list[Text]
    texts: np.ndarray  # (N,) object
    rects: dict[int, QRectF]  # flat neuron index -> rect of its label


class LabelPlacer:
    """Works out the value labels of a frame; keeps the font metrics and the fits it has measured."""

    def __init__(self) -> None:
        self._fits: dict[tuple, tuple | None] = {}  # see _fit_inside
        self._metrics: dict[int, QFontMetricsF] = {}

    def place(
        self,
        geo: Geometry,
        frame: Frame,
        modes: np.ndarray,
        show_values: bool,
        th: Theme,
        cmap: DivergingColorMap,
        rows: np.ndarray,
    ) -> PlacedLabels:
        """Values in (or beside, or under) their neurons (if ``show_values``); NaN and ±inf always.

        ``modes`` says per column where values go (see ``layout.label_modes``), ``rows`` is the colour-table row
        of every neuron (a label on a light fill is dark). A non-finite neuron too small to hold its label is
        labelled beside its column, one label per run of such neurons closer together than a line ("NaN ×12",
        "NaN/+∞ ×5"), so a crowded strip never shows a few of its labels as though they were a pattern.
        """
        self._geo, self._frame, self._theme, self._cmap, self._rows = geo, frame, th, cmap, rows
        f, lay = frame, geo.layout
        texts = np.full(f.values.shape, "", dtype=object)
        mode = modes[geo.column]
        nonfinite = f.status >= NAN
        written = (mode != NO_LABEL) & show_values
        entries: list[Text] = []
        last_beside: dict[int, float] = {}  # per column: y of the last label written beside it
        rects: dict[int, QRectF] = {}
        runs = np.zeros(f.values.shape, dtype=bool)  # non-finite neurons labelled by runs, beside their column
        for n in np.flatnonzero(written | nonfinite):
            code, k = int(f.status[n]), int(geo.column[n])
            text = NONFINITE_TEXT[code] if code >= NAN else format_value(f.values[n])
            entry = None
            if code >= NAN and not lay.strips[k]:  # in its dot if it fits there
                entry = self._label_inside(n, code, text)
            if entry is None and written[n]:
                if mode[n] == INSIDE:
                    if code == DEAD:
                        continue  # its ✕ says "0, dead"; a "0" over it would be unreadable
                    entry = self._label_inside(n, code, text)
                elif mode[n] == BELOW:
                    entry = self._label_below(n, code, text)
                elif geo.py[n] - last_beside.get(k, -math.inf) >= LABEL_BESIDE_MIN_GAP:
                    last_beside[k] = float(geo.py[n])
                    entry = self._label_beside(n, code, text)
            if entry is None:
                runs[n] = code >= NAN  # (a finite value that does not fit is left to the tooltip)
                continue
            entries.append(entry)
            texts[n] = entry.text
            rects[int(n)] = entry.rect
        for n, text in self._run_labels(np.flatnonzero(runs)):
            entry = self._label_beside(n, int(f.status[n]), text)
            entries.append(entry)
            texts[n] = text
            rects[int(n)] = entry.rect
        return PlacedLabels(entries, texts, rects)

    def _run_labels(self, neurons: np.ndarray) -> list[tuple[int, str]]:
        """(neuron, text) of one label per run of ``neurons`` (non-finite, sorted) less than a line apart.

        The text names every kind in the run and how many there are; it goes on the run's middle neuron.
        """
        if not neurons.size:
            return []
        column, y = self._geo.column[neurons], self._geo.py[neurons]
        breaks = np.flatnonzero((np.diff(column) != 0) | (np.diff(y) >= LABEL_BESIDE_MIN_GAP)) + 1
        labels = []
        for run in np.split(neurons, breaks):
            codes = self._frame.status[run]
            kinds = "/".join(NONFINITE_TEXT[code] for code in (NAN, POS_INF, NEG_INF) if np.any(codes == code))
            middle = run[np.argmin(np.abs(self._geo.py[run] - (self._geo.py[run[0]] + self._geo.py[run[-1]]) / 2.0))]
            labels.append((int(middle), kinds if run.size == 1 else f"{kinds} ×{run.size}"))
        return labels

    def _label_inside(self, n: int, code: int, text: str) -> Text | None:
        """The label centred in its neuron at the largest size that fits inside it, or None if none does.

        Non-finite labels sit on a small opaque box in the background colour (readable over the hatch), their
        ∞ bigger than a digit; values that do not fit in full are shortened ("3.2e-4" to "3e-4") before that.
        """
        r, th = float(self._geo.pr[n]), self._theme
        if code >= NAN:
            colour, backdrop = QColor(th.foreground), QColor(th.background)
            largest = int(np.clip(0.85 * r, 10, 17)) if code != NAN else int(np.clip(0.62 * r, 9, 12))
            short = text
        else:
            light_fill = self._cmap.luminance[self._rows[n]] > 0.3
            colour, backdrop = QColor(th.dark_text if light_fill else th.light_text), None
            largest = int(np.clip(0.62 * r, 9, 11))
            short = shorter(float(self._frame.values[n]), text)
        fit = self._fit_inside(text, short, r, largest, backdrop is not None)
        if fit is None:
            return None
        shown, size, box = fit
        rect = box.translated(float(self._geo.px[n]), float(self._geo.py[n]))
        return Text(rect, shown, colour, size, backdrop=backdrop, rounded=backdrop is not None)

    def _fit_inside(self, text: str, short: str, radius: float, largest: int, padded: bool) -> tuple | None:
        """(text, pixel size, box centred on (0, 0)) of the largest label that fits in a circle of ``radius``.

        Readable sizes first, the full text before the short one; the smallest size only as a last resort. Cached:
        while an input moves most labels keep their text.
        """
        key = (text, short, radius, largest, padded)
        if key in self._fits:
            return self._fits[key]
        if len(self._fits) > 4096:  # values change all the time: keep the cache small
            self._fits.clear()
        candidates = [text] if short == text else [text, short]
        attempts = [(c, size) for c in candidates for size in range(largest, LABEL_MIN_FONT_PX, -1)]
        attempts += [(c, LABEL_MIN_FONT_PX) for c in candidates]
        fit = None
        for candidate, size in attempts:
            box = self._glyph_box(candidate, size, padded)
            if math.hypot(box.width() / 2.0, box.height() / 2.0) <= radius - 0.5:
                fit = (candidate, size, box)
                break
        self._fits[key] = fit
        return fit

    def _glyph_box(self, text: str, size: int, padded: bool) -> QRectF:
        """The box ``text`` covers at ``size`` px (padded: with room for a backdrop), centred on (0, 0)."""
        if size not in self._metrics:
            self._metrics[size] = QFontMetricsF(pixel_font(size))
        metrics = self._metrics[size]
        tight = metrics.tightBoundingRect(text)
        width, height = max(metrics.horizontalAdvance(text), tight.width()), tight.height()
        if padded:
            width, height = width + 2 * BACKDROP_PAD_X, height + 2 * BACKDROP_PAD_Y
        return QRectF(-width / 2.0, -height / 2.0, width, height)

    def _label_beside(self, n: int, code: int, text: str) -> Text:
        """On the right of the neuron (of a strip's marks)."""
        in_strip = self._geo.layout.strips[self._geo.column[n]]
        right = self._geo.layout.strip_width / 2.0 + 1.5 + TICK_WIDTH if in_strip else self._geo.pr[n]
        left = self._geo.px[n] + right + 3.0
        rect = QRectF(left, self._geo.py[n] - 8.0, 60.0, 16.0)
        return self._small_label(rect, code, text, text_flags(LEFT, VCENTER, NO_CLIP))

    def _label_below(self, n: int, code: int, text: str) -> Text:
        """Under the neuron, where the column leaves a line of room between neighbours."""
        box = min(self._geo.layout.spacing - 4.0, 60.0)
        rect = QRectF(self._geo.px[n] - box / 2.0, self._geo.py[n] + self._geo.pr[n] + 1.0, box, 11.0)
        return self._small_label(rect, code, text, text_flags(HCENTER, TOP, NO_CLIP))

    def _small_label(self, rect: QRectF, code: int, text: str, flags: int) -> Text:
        """A value written next to its neuron, over a patch of background so it reads across the links."""
        th = self._theme
        colour = QColor(th.nonfinite if code >= NAN else th.foreground)
        backdrop = QColor(th.background)
        backdrop.setAlpha(200)
        size = LABEL_BESIDE_FONT_PX + 2 if "∞" in text else LABEL_BESIDE_FONT_PX  # the ∞ glyph is small
        return Text(rect, text, colour, size, flags, backdrop)


def hidden_reason(modes: np.ndarray, show_values: bool) -> str:
    """Why values asked for are not written on some columns ('' when they all are, or none are asked for)."""
    hidden = int(np.count_nonzero(modes == NO_LABEL)) if show_values else 0
    if not hidden:
        return ""
    where = "all columns" if hidden == modes.size else f"{hidden} of {modes.size} columns"
    return f"Values are not written in {where}: the neurons are too close. Hover a neuron to read it."
