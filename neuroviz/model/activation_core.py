"""The core of the activation registry: :class:`Activation`, its :class:`Param` and :class:`Advice`, and the registry.

The activations themselves are defined, one family per module, in ``activations_relu``, ``activations_sigmoid``,
``activations_smooth``, ``activations_layerwide`` and ``activations_others``; each registers its functions here
with :func:`register` when imported. :mod:`neuroviz.model.activations` imports all of them and is the place to
import the registry from: this module alone holds an empty registry.

Pure NumPy: this module never imports Qt.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "FAMILIES",
    "KERAS_LAYER_NAMES",
    "Activation",
    "Advice",
    "Param",
    "catalog",
    "get",
    "names",
    "param_warning",
    "param_warnings",
    "primary_names",
    "register",
]

#: Display groups, in the order the application lists them.
FAMILIES = (
    "ReLU family",
    "Sigmoid and tanh",
    "Smooth ReLU-likes",
    "Layer-wide",
    "Others",
)


@dataclass(frozen=True)
class Advice:
    """Where a parameter's value does what its activation is for, and what goes wrong outside.

    Keras accepts the other values too (so does neuroviz); the editor marks them with ``reason``. The range is
    ``low < value < high`` (``<=`` at a closed end; None: no end) and, with ``above``, also ``value > params[above]``
    (relu's max_value must exceed its threshold).
    """

    reason: str
    low: float | None = None
    high: float | None = None
    low_closed: bool = False
    high_closed: bool = False
    above: str | None = None

    def holds(self, value: float, params: Mapping[str, Any] | None = None) -> bool:
        """Whether ``value`` is in the meaningful range (given the other parameters' ``params``)."""
        if self.low is not None and not (value >= self.low if self.low_closed else value > self.low):
            return False
        if self.high is not None and not (value <= self.high if self.high_closed else value < self.high):
            return False
        other = (params or {}).get(self.above) if self.above is not None else None
        return other is None or np.ndim(other) > 0 or value > other

    def text(self, name: str) -> str:
        """The range as a reader says it, e.g. ``alpha > 0`` or ``0 ≤ negative_slope < 1``."""
        left = "" if self.low is None else f"{self.low:g} {'≤' if self.low_closed else '<'} "
        right = "" if self.high is None else f" {'≤' if self.high_closed else '<'} {self.high:g}"
        if not left and not right and self.above is None:
            return name
        if self.low is not None and self.high is None:
            text = f"{name} {'≥' if self.low_closed else '>'} {self.low:g}"
        else:
            text = f"{left}{name}{right}"
        return text + (f" and {name} > {self.above}" if self.above is not None else "")


@dataclass(frozen=True)
class Param:
    """One keyword parameter of an activation.

    ``kind`` tells the application which editor to show:
    ``"float"``; ``"optional_float"`` (``None`` allowed, e.g. relu's ``max_value``); ``"bool"``; ``"int"``;
    ``"per_neuron"`` (a scalar or one value per neuron, e.g. prelu's ``alpha``).
    ``minimum``/``maximum`` are inclusive bounds (``None`` = unbounded). ``ui`` is False for parameters that
    only make sense from Python (``axis``). ``advice`` is the narrower range where the value does what the
    activation is for (see :class:`Advice` and :func:`param_warning`).
    """

    name: str
    default: Any
    doc: str
    minimum: float | None = None
    maximum: float | None = None
    kind: str = "float"
    ui: bool = True
    advice: Advice | None = None

    def check(self, value: Any, activation: str) -> Any:
        """Return ``value`` normalised, or raise ValueError naming this parameter."""
        where = f"{activation}: parameter '{self.name}'"
        if self.kind == "bool":
            if isinstance(value, bool | np.bool_):
                return bool(value)
            raise ValueError(f"{where} must be True or False, got {value!r}")
        if self.kind == "optional_float" and value is None:
            return None
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise ValueError(f"{where} must be an integer, got {value!r}")
            value = int(value)
            self._check_bounds(value, where)
            return value
        if self.kind == "per_neuron" and np.ndim(value) > 0:
            try:
                arr = np.asarray(value, dtype=np.float64)
            except (TypeError, ValueError, OverflowError):  # text, ragged lists, integers beyond float range
                raise ValueError(f"{where} must be a number or a 1-D list of finite numbers") from None
            if arr.ndim != 1 or not np.all(np.isfinite(arr)):
                raise ValueError(f"{where} must be a number or a 1-D list of finite numbers")
            for v in arr:
                self._check_bounds(float(v), where)
            return arr
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            raise ValueError(f"{where} must be a number, got {value!r}")
        try:
            value = float(value)
        except OverflowError:  # an integer beyond the float range
            raise ValueError(f"{where} must be finite, got an integer too large to represent") from None
        if not math.isfinite(value):
            raise ValueError(f"{where} must be finite, got {value!r}")
        self._check_bounds(value, where)
        return value

    def _check_bounds(self, value: float, where: str) -> None:
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"{where} must be ≥ {self.minimum}, got {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"{where} must be ≤ {self.maximum}, got {value!r}")


Func = Callable[..., np.ndarray]


@dataclass(frozen=True, eq=False)
class Activation:
    """An activation function with its derivative, parameters, output range and guide text.

    ``fn(x, **params)`` and ``dfn(x, **params)`` receive a float ndarray and fully validated parameters.
    ``jvp_fn(x, v, **params)`` is only needed for layer-wide activations (for elementwise ones J·v = f'(x)·v).
    ``output_range`` is (low, high) for the default parameters, with ±inf for unbounded sides (bounds that are
    not round numbers are rounded outward, and ``output_rounded`` says which); ``output_closed`` says which ends
    are reached (sigmoid's (0, 1) is open, relu's [0, ∞) is closed at 0); ``monotonic`` means non-decreasing for
    the default parameters.
    """

    name: str
    fn: Func
    dfn: Func
    guide: str
    family: str
    formula: str
    output_range: tuple[float, float]
    params: Mapping[str, Param] = field(default_factory=dict)
    elementwise: bool = True
    monotonic: bool = False
    aliases: tuple[str, ...] = ()
    jvp_fn: Func | None = None
    validator: Callable[[dict[str, Any]], None] | None = None
    #: Other accepted keyword names for a parameter (old name -> current name), e.g. Keras 2's relu ``alpha``.
    param_aliases: Mapping[str, str] = field(default_factory=dict)
    #: Optional ``(fn(x), dfn(x))`` computed together, for activations whose derivative reuses the value.
    value_and_derivative_fn: Func | None = None
    #: Whether the low and the high end of ``output_range`` are reached (an infinite end never is).
    output_closed: tuple[bool, bool] = (False, False)
    #: Whether an end of ``output_range`` is the true bound rounded outward (silu's minimum −0.278465 as −0.27847).
    output_rounded: tuple[bool, bool] = (False, False)

    def __repr__(self) -> str:
        return f"<Activation {self.name}>"

    # -- parameters ------------------------------------------------------------------------------------------
    def defaults(self) -> dict[str, Any]:
        """The Keras defaults of every parameter."""
        return {name: p.default for name, p in self.params.items()}

    def validate(self, **params: Any) -> dict[str, Any]:
        """All parameters with defaults filled in; unknown or invalid ones raise ValueError naming them."""
        params = self._resolve_aliases(params)
        unknown = sorted(set(params) - set(self.params))
        if unknown:
            known = ", ".join(self.params) or "none"
            raise ValueError(f"{self.name}: unknown parameter '{unknown[0]}' (its parameters: {known})")
        values = self.defaults()
        for name, value in params.items():
            values[name] = self.params[name].check(value, self.name)
        for name, value in values.items():
            if value is None and self.params[name].kind != "optional_float":
                raise ValueError(f"{self.name}: parameter '{name}' has no default and must be given")
        if self.validator is not None:
            self.validator(values)
        return values

    def _by_name(self, args: tuple[Any, ...], params: dict[str, Any]) -> dict[str, Any]:
        """Positional parameters named in Keras's order."""
        if not args:
            return params
        names = list(self.params)
        if len(args) > len(names):
            raise ValueError(f"{self.name}: takes {len(names)} parameter(s) after x, got {len(args)}")
        named = dict(params)
        for name, value in zip(names, args, strict=False):
            if name in named:
                raise ValueError(f"{self.name}: parameter '{name}' given twice (by position and by keyword)")
            named[name] = value
        return named

    def _resolve_aliases(self, params: dict[str, Any]) -> dict[str, Any]:
        """Rename alias keywords to their current names; giving both spellings is ambiguous."""
        if not self.param_aliases:
            return params
        resolved = dict(params)
        for alias, name in self.param_aliases.items():
            if alias in resolved:
                if name in params:
                    raise ValueError(f"{self.name}: give either '{name}' or its old name '{alias}', not both")
                resolved[name] = resolved.pop(alias)
        return resolved

    # -- evaluation ------------------------------------------------------------------------------------------
    def __call__(self, x: Any, *args: Any, **params: Any) -> np.ndarray:
        """The activation of ``x`` (any shape; float32 stays float32, everything else becomes float64).

        Parameters may be given by keyword or, as in Keras, by position: ``relu(x, 0.7, max_value=3)``.
        """
        return self._run(self.fn, x, self._by_name(args, params))

    def derivative(self, x: Any, *args: Any, **params: Any) -> np.ndarray:
        """Elementwise derivative; for layer-wide activations the diagonal of the Jacobian."""
        return self._run(self.dfn, x, self._by_name(args, params))

    def jvp(self, x: Any, v: Any, *args: Any, **params: Any) -> np.ndarray:
        """Jacobian-vector product J(x)·v along the activation's axis; v has the shape of x."""
        x, v = self._as_float(x, "x"), self._as_float(v, "v")
        if v.shape != x.shape:
            raise ValueError(f"{self.name}: v has shape {v.shape} but x has shape {x.shape}; they must match")
        if self.jvp_fn is None:
            slope = self.derivative(x, *args, **params)
            with np.errstate(all="ignore"):
                return np.asarray(slope * v, dtype=x.dtype)
        values = self.validate(**self._by_name(args, params))
        with np.errstate(all="ignore"):
            out = self.jvp_fn(_working(x), _working(v), **values)
            return np.asarray(out, dtype=x.dtype)

    def value_and_derivative(
        self, x: Any, params: Mapping[str, Any] | None = None, *, validated: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """``(f(x), f'(x))`` in one call: what a forward pass needs for every layer.

        ``params`` are keyword parameters as for ``__call__``. ``validated=True`` says they are a complete dict
        this activation's :meth:`validate` returned (a ``Layer.params``) and skips checking them again, which is
        most of the cost of a call on a few neurons; anything else must go through validation.
        """
        x = self._as_float(x, "x")
        values = params if validated else self.validate(**dict(params or {}))
        with np.errstate(all="ignore"):  # the cast too: a finite float64 result can overflow float32 (e^100)
            out, slope = self._evaluate(_working(x), values)
            return np.asarray(out, dtype=x.dtype), np.asarray(slope, dtype=x.dtype)

    def _evaluate(self, work: np.ndarray, values: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
        """f and f' of a float64 array with validated parameters; the caller sets ``np.errstate``.

        The core of :meth:`value_and_derivative`, for the forward pass of a network (whose pre-activations are
        float64 and whose layer parameters are validated), where each skipped conversion counts.
        """
        if self.value_and_derivative_fn is not None:
            out, slope = self.value_and_derivative_fn(work, **values)
        else:
            out, slope = self.fn(work, **values), self.dfn(work, **values)
        # As _nan_in_nan_out, for both at once; a sum is NaN if any input is (one call instead of two when none is)
        if self.elementwise and math.isnan(work.sum()):
            nan = np.isnan(work)
            out, slope = np.where(nan, np.nan, out), np.where(nan, np.nan, slope)
        return out, slope

    def _run(self, func: Func, x: Any, params: dict[str, Any]) -> np.ndarray:
        # Computing in float64 and rounding once makes float32 results correctly rounded and keeps every
        # intermediate (x**3, exp, x**2) far from float32 overflow.
        x = self._as_float(x, "x")
        values = self.validate(**params)
        work = _working(x)
        with np.errstate(all="ignore"):
            out = self._nan_in_nan_out(work, func(work, **values))
            return np.asarray(out, dtype=x.dtype)

    def _nan_in_nan_out(self, work: np.ndarray, out: np.ndarray) -> np.ndarray:
        """Elementwise: NaN wherever the input is NaN (comparisons are False for NaN, so piecewise formulas
        would map it to a branch value)."""
        if self.elementwise:
            nan = np.isnan(work)
            if nan.any():
                return np.where(nan, np.nan, out)
        return out

    def _as_float(self, x: Any, what: str) -> np.ndarray:
        """``x`` as a float32 or float64 array; anything that is not real numbers raises ValueError."""
        try:
            arr = np.asarray(x)
        except ValueError as error:  # ragged nested lists
            raise ValueError(f"{self.name}: {what} must be an array of real numbers ({error})") from None
        if arr.dtype == np.float32 or arr.dtype == np.float64:
            return arr
        if arr.dtype.kind not in "biuf":
            raise ValueError(f"{self.name}: {what} must contain real numbers, got dtype {arr.dtype}")
        return arr.astype(np.float64)


def _working(x: np.ndarray) -> np.ndarray:
    return x.astype(np.float64, copy=False)


# -- the registry --------------------------------------------------------------------------------------------
_REGISTRY: dict[str, Activation] = {}
_PRIMARY: list[Activation] = []


def register(activation: Activation) -> Activation:
    """Add an activation (and its aliases) to the registry; a taken name leaves the registry unchanged."""
    keys = (activation.name, *activation.aliases)
    for key in keys:
        if key in _REGISTRY:
            raise ValueError(f"activation name '{key}' is already registered")
    for key in keys:
        _REGISTRY[key] = activation
    _PRIMARY.append(activation)
    return activation


def names() -> list[str]:
    """Every registered name, aliases included, sorted."""
    return sorted(_REGISTRY)


def primary_names() -> list[str]:
    """One name per activation (no aliases), in display order: grouped by family."""
    return [a.name for a in catalog()]


def catalog() -> list[Activation]:
    """Every activation once, grouped by :data:`FAMILIES` and in registration order within a family."""
    order = {family: i for i, family in enumerate(FAMILIES)}
    return sorted(_PRIMARY, key=lambda a: order.get(a.family, len(order)))


#: Keras activation layers and the activation each computes: ``get("LeakyReLU")`` is leaky_relu. They are
#: resolved by :func:`get` only (any case, with or without underscores) and are not registered names, so
#: ``names()`` and the formula language stay as they are. The defaults are the functions', not the layers':
#: Keras's LeakyReLU layer defaults to a slope of 0.3, the leaky_relu function (and ``get("LeakyReLU")``) to 0.2.
KERAS_LAYER_NAMES: Mapping[str, str] = {
    "ReLU": "relu",
    "LeakyReLU": "leaky_relu",
    "PReLU": "prelu",
    "ELU": "elu",
    "Softmax": "softmax",
}
_KERAS_LAYER_KEYS = {layer.lower(): function for layer, function in KERAS_LAYER_NAMES.items()}


def get(name: str) -> Activation:
    """The activation called ``name`` (Keras name, alias, or Keras activation layer name such as
    ``"LeakyReLU"``); unknown names raise ValueError with hints."""
    if isinstance(name, Activation):
        return name
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        pass
    key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
    if key in _REGISTRY:
        return _REGISTRY[key]
    layer_key = key.replace("_", "")
    if layer_key in _KERAS_LAYER_KEYS:
        return _REGISTRY[_KERAS_LAYER_KEYS[layer_key]]
    close = difflib.get_close_matches(key, list(_REGISTRY), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(f"unknown activation {name!r}{hint}")


def param_warning(name: str, param: str, value: Any, params: Mapping[str, Any] | None = None) -> str | None:
    """Why ``value`` of ``param`` of activation ``name`` does not do what the activation is for, or None.

    Keras accepts such values (so does neuroviz); the editor marks them. ``params`` are the layer's other parameter
    values, for advice that depends on them (relu's max_value against its threshold). A per-neuron value (prelu's
    alpha) is checked neuron by neuron. Unknown activations and parameters have no advice.
    """
    try:
        spec = get(name).params.get(param)
    except ValueError:
        return None
    if spec is None or spec.advice is None or value is None or isinstance(value, bool):
        return None
    advice = spec.advice
    try:
        values = np.atleast_1d(np.asarray(value, dtype=np.float64))
    except (TypeError, ValueError):
        return None
    outside = [float(v) for v in values if not advice.holds(float(v), params)]
    if not outside:
        return None
    wanted = advice.text(param)
    if values.size == 1:
        shown = f"{param} = {outside[0]:g}"
        if advice.above is not None and params and np.ndim(params.get(advice.above)) == 0:
            other = params.get(advice.above)
            if other is not None:
                shown += f" (with {advice.above} = {float(other):g})"
        return f"{shown} is outside {wanted}: {advice.reason}"
    return f"{param}: {len(outside)} of {values.size} neurons are outside {wanted}: {advice.reason}"


def param_warnings(name: str, params: Mapping[str, Any]) -> dict[str, str]:
    """:func:`param_warning` for every parameter in ``params`` that has one (parameter name → reason)."""
    warnings = {}
    for param, value in params.items():
        warning = param_warning(name, param, value, params)
        if warning is not None:
            warnings[param] = warning
    return warnings
