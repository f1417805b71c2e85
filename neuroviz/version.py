"""The version of neuroviz, in a module of its own so that any module can import it without importing the package's
``__init__`` (which offers :func:`neuroviz.show`, and so the window)."""

__version__ = "0.1.0"
