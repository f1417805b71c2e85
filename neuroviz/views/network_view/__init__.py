"""The network picture: columns of neurons coloured by value, links coloured and sized by weight or signal.

Modules by responsibility: ``layout`` (where everything goes, per neuron: ``Geometry``), ``items`` (the graphics
items, made once), ``links`` (which links are drawn and how), ``labels`` (where values are written), ``legend`` (the
footer), ``focus`` (hit testing and the keyboard's focus ring), ``frame`` (checking what the view is given),
``style`` (pens, fonts; status codes and number texts from ``neuroviz.model.picture``/``display``), ``thumbnails``
(Neuron Maps: a picture of its response map in each neuron, placed by ``Geometry.neuron_rects``), ``queries`` (what
the view tells about its picture) and ``view`` (the widget that composes them).
"""

from neuroviz.views.network_view.layout import Geometry
from neuroviz.views.network_view.links import link_budget, link_crowding, strongest_edges
from neuroviz.views.network_view.style import STATUS_NAMES, format_value
from neuroviz.views.network_view.view import NetworkView

__all__ = [
    "STATUS_NAMES",
    "Geometry",
    "NetworkView",
    "format_value",
    "link_budget",
    "link_crowding",
    "strongest_edges",
]
