"""The model: pure NumPy, no Qt. Activations, networks and their files; usable from a notebook.

from neuroviz.model import activations, Network, NetworkFileError
"""

from neuroviz.model import activations, files, network
from neuroviz.model.errors import NetworkFileError
from neuroviz.model.network import Layer, Network, Propagation
from neuroviz.model.training import gradient_plan

# Network.load and net.save read and write through neuroviz.model.files, which imports network.py: connected
# here, where both are known, so that neither module imports the other's importer.
network.use_file_io(load=files.load, save=files.save)
# Network.gradients computes with neuroviz.model.training, which builds on network.py: plugged in the same way.
network.use_backprop(gradient_plan.gradients)

__all__ = ["Layer", "Network", "NetworkFileError", "Propagation", "activations"]
