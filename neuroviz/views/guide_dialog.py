"""The activation guide: every activation by family with its formula, parameters, guide and a preview.

It reads only the static activation catalogue; it never touches a network. The filter searches everything a page
shows (name, family, formula, output range, parameters, the guide text with its use cases), word by word. The
preview uses each activation's default parameters on [−5, 5]. Layer-wide activations (softmax, …) are previewed the
way the main plot shows them: one neuron varies while the other two of a three-neuron layer stay at 0. GLU has no
single curve (it multiplies pairs of neurons), so its page says so instead of plotting.
"""

from __future__ import annotations

import html
import math

import numpy as np
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QPalette, QTextDocumentFragment
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from neuroviz.model import activations, advice
from neuroviz.views.activation_plot import ActivationPlot
from neuroviz.views.layer_panel import param_range_text, readable_name

__all__ = [
    "ActivationGuideDialog",
    "guide_html",
    "guide_plain_text",
    "interval_text",
    "overview_html",
    "preview_curve",
]

ACTIVATION_ROLE = Qt.ItemDataRole.UserRole + 1
#: Set on the list's first entry, the overview page ("Which activation where?").
OVERVIEW_ROLE = Qt.ItemDataRole.UserRole + 2
OVERVIEW_TITLE = "Which activation where?"
PREVIEW_X = np.linspace(-5.0, 5.0, 401)
#: Neurons in the imagined layer a layer-wide activation is previewed on.
PREVIEW_LAYER_SIZE = 3


def preview_curve(act: activations.Activation) -> tuple[np.ndarray, np.ndarray, np.ndarray, str] | None:
    """(x, f, f′, note) on [−5, 5] with default parameters, or None when there is no single curve to draw."""
    try:
        params = act.validate()
    except ValueError:
        return None
    params.pop("axis", None)
    if act.name == "glu":
        return None
    x = PREVIEW_X
    if act.elementwise:
        return x, act(x, **params), act.derivative(x, **params), f"{act.name}(z)"
    layer = np.zeros((x.size, PREVIEW_LAYER_SIZE))
    layer[:, 0] = x
    f = act(layer, **params)[:, 0]
    df = act.derivative(layer, **params)[:, 0]
    return x, f, df, f"{act.name}: neuron 1 of {PREVIEW_LAYER_SIZE}, the others at 0"


def guide_html(act: activations.Activation) -> str:
    """The right-hand page for one activation, as rich text."""
    e = html.escape
    scope = "each neuron on its own" if act.elementwise else "the whole layer at once"
    parts = [
        f"<h2>{e(act.name)}</h2>",
        f"<p><i>{e(act.family)}</i>"
        + (f" · also called {', '.join(e(a) for a in act.aliases)}" if act.aliases else "")
        + "</p>",
        f"<p style='font-size:large'><b>f(x) = {e(act.formula)}</b></p>",
        f"<p>Output range: {e(interval_text(act))} with the default parameters · "
        f"{'monotonic' if act.monotonic else 'not monotonic'} · acts on {scope}.</p>",
        "<h3>Parameters</h3>",
    ]
    if act.params:
        rows = "".join(
            f"<tr><td><b>{e(readable_name(p.name))}</b>"
            f"{'' if p.ui else '<br><small>(Python only)</small>'}</td>"
            f"<td>{e(_default_text(p.default))}</td><td>{e(param_range_text(p))}</td><td>{e(p.doc)}"
            + (
                f"<br><small>Meaningful: {e(p.advice.text(p.name))}; otherwise {e(p.advice.reason)}.</small>"
                if p.advice is not None
                else ""
            )
            + "</td></tr>"
            for p in act.params.values()
        )
        parts.append(
            "<table cellspacing='0' cellpadding='4' border='1' style='border-collapse:collapse'>"
            "<tr><th align='left'>name</th><th align='left'>default</th><th align='left'>range</th>"
            f"<th align='left'>meaning</th></tr>{rows}</table>"
        )
    else:
        parts.append("<p>None.</p>")
    parts += ["<h3>When to use it</h3>", f"<p>{e(act.guide)}</p>"]
    if act.name == "glu":
        parts.append(
            "<p><i>No preview: GLU splits the layer into halves a and b and outputs a·σ(b), "
            "so a layer of 2k units shows k outputs and no single curve describes it.</i></p>"
        )
    return "".join(parts)


def overview_html() -> str:
    """The overview page: what to use in hidden layers and at the output for each kind of problem, with the loss
    that goes with it; every activation name links to its page."""
    e = html.escape

    def rows(place: str) -> str:
        out = []
        for decision in advice.DECISIONS:
            if decision.place != place:
                continue
            names = ", ".join(f"<a href='activation:{e(n)}'>{e(n)}</a>" for n in decision.activations)
            loss = f"<td>{e(decision.loss)}</td>" if place == "output" else ""
            lesson = f"<a href='lesson:{e(decision.lesson)}'>try it</a>" if decision.lesson else ""
            out.append(
                f"<tr><td>{e(decision.situation)}</td><td><b>{names}</b></td>{loss}"
                f"<td>{e(advice.why_text(decision))}</td><td>{lesson}</td></tr>"
            )
        return "".join(out)

    table = "<table cellspacing='0' cellpadding='4' border='1' style='border-collapse:collapse'>"
    return (
        f"<h2>{OVERVIEW_TITLE}</h2>"
        "<p>A starting point, not a law: try the alternatives on your own data. Click a name to read its page, "
        "<i>try it</i> to open the lesson that shows it.</p>"
        "<h3>Hidden layers</h3>"
        f"{table}<tr><th align='left'>when</th><th align='left'>use</th><th align='left'>why</th><th></th></tr>"
        f"{rows('hidden')}</table>"
        "<h3>The output layer</h3>"
        f"{table}<tr><th align='left'>problem</th><th align='left'>activation</th><th align='left'>loss</th>"
        f"<th align='left'>why</th><th></th></tr>{rows('output')}</table>"
    )


def guide_plain_text(act: activations.Activation) -> str:
    """The page of :func:`guide_html` as plain text: what the filter searches."""
    return QTextDocumentFragment.fromHtml(guide_html(act)).toPlainText()


def interval_text(act: activations.Activation) -> str:
    """The output range with its ends as they are: ``(0, 1)`` for sigmoid, ``[0, ∞)`` for relu, ``[≈−0.27847, ∞)``
    for silu (a bound shown rounded is marked ≈)."""
    (low, high), (low_closed, high_closed) = act.output_range, act.output_closed
    left = "(−∞" if math.isinf(low) else ("[" if low_closed else "(") + _bound(low, act.output_rounded[0])
    right = "∞)" if math.isinf(high) else _bound(high, act.output_rounded[1]) + ("]" if high_closed else ")")
    return f"{left}, {right}"


def _bound(value: float, rounded: bool) -> str:
    text = f"{value:g}"
    approximate = rounded or float(text) != value
    return ("≈" if approximate else "") + text.replace("-", "−")


def _default_text(value) -> str:
    if value is None:
        return "none"
    return f"{value:g}" if isinstance(value, float) else str(value)


class ActivationGuideDialog(QDialog):
    """Browse the activations: list by family on the left, explanation and preview on the right.

    ``lessonRequested(key)``: a "try it" link of the overview was clicked (the window opens that lesson).
    """

    lessonRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Activation guide")
        self.resize(900, 620)

        self._filter = QLineEdit()
        self._filter.setPlaceholderText("Filter…")
        self._filter.setClearButtonEnabled(True)
        self._filter.setToolTip(
            "Type words to narrow the list: names, formulas and everything the pages say (e.g. binary, hidden, vanish)."
        )
        self._filter.textChanged.connect(self._apply_filter)
        self._list = QListWidget()
        self._list.setToolTip("Every activation, grouped by family. Use the arrow keys to browse.")
        bold = QFont()
        bold.setBold(True)
        family = None
        #: Lower-case text of each page, for the filter.
        self._haystacks: dict[str, str] = {}
        overview = QListWidgetItem(OVERVIEW_TITLE)
        overview.setData(OVERVIEW_ROLE, True)
        overview.setFont(bold)
        overview.setToolTip("What to use in hidden layers and at the output, with the matching loss")
        self._list.addItem(overview)
        self._overview_text = QTextDocumentFragment.fromHtml(overview_html()).toPlainText().lower()
        for act in activations.catalog():
            self._haystacks[act.name] = " ".join([*act.aliases, guide_plain_text(act)]).lower()
            if act.family != family:
                family = act.family
                header = QListWidgetItem(family)
                header.setFlags(Qt.ItemFlag.NoItemFlags)  # arrow keys and clicks skip it
                header.setFont(bold)
                self._list.addItem(header)
            item = QListWidgetItem("    " + act.name)
            item.setData(ACTIVATION_ROLE, act.name)
            item.setToolTip(f"{act.name}: {act.formula}")
            self._list.addItem(item)
        self._list.currentItemChanged.connect(self._on_current_changed)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self._filter)
        left_layout.addWidget(self._list)

        self._text = QTextBrowser()
        self._text.setOpenExternalLinks(False)
        self._text.setOpenLinks(False)  # links name activations: they select that page
        self._text.anchorClicked.connect(self._on_link)
        self._text.setToolTip("What the selected activation computes, its parameters and when to use it.")
        self._plot = ActivationPlot()
        self._plot.setMinimumHeight(200)
        self._no_preview = QLabel("No single curve to preview.")
        self._no_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._no_preview.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self._text)
        right.addWidget(self._plot)
        right.addWidget(self._no_preview)
        right.setSizes([340, 260, 0])

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 700])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setToolTip("Close the guide.")
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        QWidget.setTabOrder(self._filter, self._list)
        QWidget.setTabOrder(self._list, self._text)

        self._sync_theme()
        self.show_overview()

    # -- public ----------------------------------------------------------------------------------------------
    def select(self, name: str) -> None:
        """Show the activation ``name`` (aliases too); an unknown name raises ValueError with suggestions."""
        canonical = activations.get(name).name
        for row in range(self._list.count()):
            item = self._list.item(row)
            if item.data(ACTIVATION_ROLE) == canonical:
                item.setHidden(False)
                self._list.setCurrentItem(item)
                self._list.scrollToItem(item)
                return
        raise ValueError(f"activation {name!r} is not listed in the guide")

    def selected(self) -> str:
        """The activation whose page is shown ('' for the overview)."""
        item = self._list.currentItem()
        return (item.data(ACTIVATION_ROLE) or "") if item is not None else ""

    def show_overview(self) -> None:
        """Show the overview page (the list's first entry)."""
        self._list.item(0).setHidden(False)
        self._list.setCurrentRow(0)

    def showing_overview(self) -> bool:
        item = self._list.currentItem()
        return item is not None and bool(item.data(OVERVIEW_ROLE))

    def set_dark(self, dark: bool) -> None:
        self._plot.set_dark(dark)

    # accessors for tests
    def list_widget(self) -> QListWidget:
        return self._list

    def filter_box(self) -> QLineEdit:
        return self._filter

    def text_browser(self) -> QTextBrowser:
        return self._text

    def preview(self) -> ActivationPlot:
        return self._plot

    def has_preview(self) -> bool:
        return not self._plot.isHidden()

    # -- internals -------------------------------------------------------------------------------------------
    def _on_link(self, url) -> None:
        if url.scheme() == "activation":
            self._filter.clear()
            self.select(url.path())
        elif url.scheme() == "lesson":
            self.lessonRequested.emit(url.path())

    def _on_current_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None and current.data(OVERVIEW_ROLE):
            self._text.setHtml(overview_html())
            self._plot.setVisible(False)
            self._no_preview.setVisible(False)
            return
        if current is None or current.data(ACTIVATION_ROLE) is None:
            return
        act = activations.get(current.data(ACTIVATION_ROLE))
        self._text.setHtml(guide_html(act))
        curve = preview_curve(act)
        self._plot.setVisible(curve is not None)
        self._no_preview.setVisible(curve is None)
        if curve is not None:
            x, f, df, note = curve
            self._plot.set_curve(x, f, df, note)

    def _apply_filter(self, text: str) -> None:
        words = text.lower().split()
        header: QListWidgetItem | None = None
        header_has_match = False
        for row in range(self._list.count()):
            item = self._list.item(row)
            if item.data(OVERVIEW_ROLE):
                item.setHidden(not all(word in self._overview_text for word in words))
                continue
            name = item.data(ACTIVATION_ROLE)
            if name is None:
                if header is not None:
                    header.setHidden(not header_has_match)
                header, header_has_match = item, False
                continue
            haystack = self._haystacks[name]
            match = all(word in haystack for word in words)
            item.setHidden(not match)
            header_has_match = header_has_match or match
        if header is not None:
            header.setHidden(not header_has_match)
        current = self._list.currentItem()
        # typing in the filter looks for activations: from the overview, go to the first one that matches
        if current is None or current.isHidden() or (words and current.data(OVERVIEW_ROLE)):
            for row in range(self._list.count()):
                item = self._list.item(row)
                if not item.isHidden() and item.data(ACTIVATION_ROLE) is not None:
                    self._list.setCurrentItem(item)
                    break

    def _sync_theme(self) -> None:
        palette = self.palette()
        self._plot.set_dark(palette.color(QPalette.ColorRole.Window).lightness() < 128)
        # disabled items are drawn faded; family headers should read as headings, in the normal text colour
        text = palette.brush(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
        for row in range(self._list.count()):
            item = self._list.item(row)
            if item.data(ACTIVATION_ROLE) is None and not item.data(OVERVIEW_ROLE):
                item.setForeground(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._sync_theme()
        super().changeEvent(event)
