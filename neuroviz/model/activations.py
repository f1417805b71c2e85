"""The registry of activation functions, matching ``keras.activations`` of Keras 3.15.

Every activation is an :class:`Activation`: call it for values, ``.derivative`` for the elementwise
derivative (the diagonal of the Jacobian for layer-wide ones), ``.jvp`` for a Jacobian-vector product,
``.params`` for its parameters. Names, keyword arguments and defaults are Keras's, so what a tutorial writes
works here unchanged. Deliberate differences from Keras: ``sparsemax`` is the correct simplex
projection (Keras 3.15.1's is wrong, keras issue 23425), ``threshold`` has UI defaults (0, 0), NaN inputs
always give NaN, and ``prelu`` (a Keras layer, not a function) is included.

Numerics: results are computed in float64 and rounded once to the input's dtype (float32 stays float32), with
formulations that stay exact for huge and tiny inputs (e.g. softplus = max(x, 0) + log1p(e^-|x|)).
Derivatives are analytical. At a kink the derivative takes the value TensorFlow's gradient gives: the flat
or clipped piece wins, so relu's derivative is 0 at x == threshold and relu6's is 0 at 0 and at 6.

The types and the registry are in :mod:`neuroviz.model.activation_core`, the numerical building blocks in
:mod:`neuroviz.model.activation_numerics`, and the activations, one family per module, in ``activations_relu``,
``activations_sigmoid``, ``activations_smooth``, ``activations_layerwide`` and ``activations_others``. This
module registers them all (by importing those modules) and is the public API: import from here.

Pure NumPy: this module never imports Qt.
"""

from __future__ import annotations

# Importing a family module registers its activations; catalog() orders them by FAMILIES, whatever the import order.
from neuroviz.model import (  # noqa: F401
    activations_layerwide,
    activations_others,
    activations_relu,
    activations_sigmoid,
    activations_smooth,
)
from neuroviz.model.activation_core import (
    FAMILIES,
    KERAS_LAYER_NAMES,
    Activation,
    Advice,
    Func,  # noqa: F401 - defined here before the split
    Param,
    catalog,
    get,
    names,
    param_warning,
    param_warnings,
    primary_names,
    register,
)
from neuroviz.model.errors import FormulaError

__all__ = [
    "FAMILIES",
    "KERAS_LAYER_NAMES",
    "Activation",
    "Advice",
    "FormulaError",
    "Param",
    "catalog",
    "get",
    "names",
    "param_warning",
    "param_warnings",
    "primary_names",
    "register",
]
