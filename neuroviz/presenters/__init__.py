"""One presenter per view: it listens to the document and the selection and feeds its view what it needs.

Adding a view: write its presenter (a class taking ``(view, document, selection)``) and register it in
:data:`PRESENTERS` under the MainWindow attribute that holds the view. Nothing else changes. A presenter class
with ``USES_MAPS = True`` also gets the window's :class:`~neuroviz.map_source.MapSource` as ``map_source=``, one
with ``USES_GRADIENTS = True`` the :class:`~neuroviz.gradient_source.GradientSource` as ``gradient_source=``; one
with ``EXTRA_VIEWS = ("plot_tools",)`` gets those window attributes as keyword arguments (None where missing).
A presenter with ``DOCK = "plot_dock"`` and an ``on_screen`` (:class:`~neuroviz.presenters.on_screen.OnScreen`)
holds its redraws back while that dock of the window is off screen; :func:`catch_up` draws what waited before a
picture of a view is taken.
"""

from __future__ import annotations

from neuroviz.presenters.activation_plot import ActivationPlotPresenter
from neuroviz.presenters.description import DescriptionPresenter
from neuroviz.presenters.inputs import InputPanelPresenter
from neuroviz.presenters.inspector import InspectorPresenter
from neuroviz.presenters.layers import LayerPanelPresenter
from neuroviz.presenters.network import NetworkPresenter
from neuroviz.presenters.outputs import OutputsPresenter

#: MainWindow attribute of the view → its presenter class. The order is the order they draw in.
PRESENTERS = {
    "network_view": NetworkPresenter,
    "input_panel": InputPanelPresenter,
    "layer_panel": LayerPanelPresenter,
    "activation_plot": ActivationPlotPresenter,
    "outputs_chart": OutputsPresenter,
    "inspector": InspectorPresenter,
    "description_bar": DescriptionPresenter,
}


def build_presenters(views, document, selection, map_source=None, gradient_source=None) -> dict:
    """A presenter for each registered view that ``views`` (a MainWindow, or any object with the attributes) has."""
    presenters = {}
    for name, cls in PRESENTERS.items():
        extra = {"map_source": map_source} if getattr(cls, "USES_MAPS", False) else {}
        if getattr(cls, "USES_GRADIENTS", False):
            extra["gradient_source"] = gradient_source
        extra.update({attribute: getattr(views, attribute, None) for attribute in getattr(cls, "EXTRA_VIEWS", ())})
        presenters[name] = cls(getattr(views, name), document, selection, **extra)
        dock = getattr(views, getattr(cls, "DOCK", ""), None)
        if dock is not None:
            presenters[name].on_screen.attach(dock)
    return presenters


def catch_up(presenters: dict) -> None:
    """Every redraw held back while a dock was off screen, made now (before an export or an animation's frame)."""
    for presenter in presenters.values():
        on_screen = getattr(presenter, "on_screen", None)
        if on_screen is not None:
            on_screen.catch_up()
