"""neuroviz: watch a small feed-forward neural network fire.

Importing this package loads no Qt: the model (``neuroviz.model``) is pure NumPy and usable from a notebook.
"""

__version__ = "0.1.0"
