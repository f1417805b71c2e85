"""neuroviz: watch a small feed-forward neural network fire.

Importing this package loads no Qt: the model (``neuroviz.model``) is pure NumPy and usable from a notebook.
"""

from neuroviz.version import __version__

__all__ = ["__version__", "show"]


def show(obj=None, settings=None):
    """Open the window on a Network, a file path or a Keras model (see :mod:`neuroviz.notebook`)."""
    from neuroviz.notebook import show as _show

    return _show(obj, settings=settings)
