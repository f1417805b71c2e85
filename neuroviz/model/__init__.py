"""The model: pure NumPy, no Qt. Activations, networks and their files; usable from a notebook.

from neuroviz.model import activations, Network, NetworkFileError
"""

from neuroviz.model import activations
from neuroviz.model.files import NetworkFileError
from neuroviz.model.network import Layer, Network, Propagation

__all__ = ["Layer", "Network", "NetworkFileError", "Propagation", "activations"]
