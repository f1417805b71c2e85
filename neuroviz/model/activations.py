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

Pure NumPy: this module never imports Qt.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

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


# -- numerical building blocks -------------------------------------------------------------------------------
# Every formula below receives float64 arrays (see Activation._run) and is written so that no finite input
# overflows in an intermediate step: exp() only sees non-positive arguments unless the true result is huge.

_SQRT_2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x) without overflow: e^-|x| is at most 1."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sigmoid_slope(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x)·σ(-x) = e^-|x| / (1 + e^-|x|)², exact in both tails."""
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2


def _softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + e^x) = max(x, 0) + log1p(e^-|x|): exact for tiny and huge x alike."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _sech2(y: np.ndarray) -> np.ndarray:
    """sech²(y) = 1 - tanh²(y) without the cancellation near |y| → ∞."""
    e = np.exp(-2.0 * np.abs(y))
    return 4.0 * e / (1.0 + e) ** 2


_ERFC = np.frompyfunc(math.erfc, 1, 1)


def _erfc(x: np.ndarray) -> np.ndarray:
    """Complementary error function, elementwise (NumPy has none; SciPy is not a dependency).

    math.erfc is the C library's, accurate to an ulp; through frompyfunc it is as fast as a vectorised series
    for large arrays and much faster for the small ones a network view evaluates.
    """
    return np.asarray(_ERFC(x), dtype=np.float64)


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    """Φ(x) = erfc(-x/√2)/2: accurate in the left tail where 1 + erf(x/√2) would cancel to 0."""
    return 0.5 * _erfc(-x / _SQRT_2)


def _normal_pdf(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _times_where_nonzero(scale: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """scale·factor, but exactly 0 where factor is 0 (so an infinite scale gives 0, not NaN)."""
    return np.where(factor == 0, 0.0, scale * factor)


def _per_neuron(x: np.ndarray, value: float | np.ndarray, activation: str, name: str) -> float | np.ndarray:
    """A scalar, or one value per neuron broadcast along the last axis of ``x``."""
    if np.ndim(value) == 0:
        return value
    neurons = x.shape[-1] if x.ndim else 1
    if len(value) != neurons:
        raise ValueError(
            f"{activation}: parameter '{name}' has {len(value)} values but the input has {neurons} neuron(s) "
            "along its last axis"
        )
    return value


def _axis_length(x: np.ndarray, axis: int, activation: str) -> int:
    """Length of ``axis``; an axis the input does not have raises ValueError naming the parameter."""
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"{activation}: parameter 'axis' = {axis} is out of range for an input with {x.ndim} dimension(s)"
        )
    return x.shape[axis]


def _strict_between(x: np.ndarray, low: float, high: float) -> np.ndarray:
    return ((x > low) & (x < high)).astype(np.float64)


# -- ReLU family ---------------------------------------------------------------------------------------------
def _leaky_relu(x: np.ndarray, negative_slope: float) -> np.ndarray:
    # max(x, s·x), written as a choice so that a zero slope times -inf gives 0, not NaN
    keeps_x = (x >= 0) == (negative_slope <= 1)
    return np.where(keeps_x, x, _times_where_nonzero(x, negative_slope))


def _leaky_relu_derivative(x: np.ndarray, negative_slope: float) -> np.ndarray:
    # max(x, s·x): for s ≤ 1 the slope is 1 above 0 and s below; at 0 TensorFlow's gradient uses s.
    return np.where(x > 0, max(1.0, negative_slope), min(1.0, negative_slope))


def _relu(x: np.ndarray, negative_slope: float, max_value: float | None, threshold: float) -> np.ndarray:
    """Keras 3.15's relu: x·[x > t], clipped to [0, max_value] only if max_value is set (so with t < 0 the
    values in (t, 0) pass unchanged), minus the slope times the distance below the threshold."""
    if max_value is None and threshold == 0:
        if negative_slope == 0:
            return np.where(x > 0.0, x, 0.0)  # the plain relu, in one step
        return _leaky_relu(x, negative_slope)  # Keras takes this path; it differs only for slopes > 1
    kept = np.where(x > threshold, x, 0.0)
    if max_value is not None:
        kept = np.clip(kept, 0.0, max_value)
    return kept - _times_where_nonzero(np.maximum(threshold - x, 0.0), negative_slope)


def _relu_derivative(x: np.ndarray, negative_slope: float, max_value: float | None, threshold: float) -> np.ndarray:
    if max_value is None and threshold == 0:
        if negative_slope == 0:
            return (x > 0.0).astype(np.float64)
        return _leaky_relu_derivative(x, negative_slope)
    passes = x > threshold
    if max_value is not None:
        passes &= (x > 0) & (x < max_value)
    return passes.astype(np.float64) + np.where(x < threshold, negative_slope, 0.0)


register(
    Activation(
        name="relu",
        fn=_relu,
        dfn=_relu_derivative,
        guide=(
            "The rectified linear unit passes positive inputs unchanged and turns negative ones into 0. It "
            "is the default for hidden layers: cheap, and its gradient does not fade for large inputs. A "
            "neuron whose input stays negative outputs 0 with derivative 0 and can no longer learn ('dying "
            "ReLU'); negative_slope (Keras 2: alpha) keeps a small slope below the threshold, max_value caps "
            "the output. At x == threshold the derivative is taken as 0, as TensorFlow does."
        ),
        family="ReLU family",
        formula="max(x, 0)",
        output_range=(0.0, math.inf),
        output_closed=(True, False),
        params={
            "negative_slope": Param(
                "negative_slope",
                0.0,
                "slope below the threshold (Keras 2 called it alpha)",
                minimum=0.0,
                advice=Advice(
                    "a leak is a slope below 1, the slope above the threshold: at 1 (with threshold 0 and no "
                    "max_value) relu is the identity, no non-linearity; above 1 negative inputs are amplified, "
                    "not leaked",
                    low=0.0,
                    low_closed=True,
                    high=1.0,
                ),
            ),
            "max_value": Param(
                "max_value",
                None,
                "largest output; None means no cap",
                minimum=0.0,
                kind="optional_float",
                advice=Advice(
                    "every input above the threshold is capped at max_value, so the output is flat there "
                    "(derivative 0) and the positive side passes nothing on",
                    low=0.0,
                    above="threshold",
                ),
            ),
            "threshold": Param("threshold", 0.0, "inputs at or below this give 0 (or the negative slope)"),
        },
        monotonic=True,
        param_aliases={"alpha": "negative_slope"},
    )
)

register(
    Activation(
        name="leaky_relu",
        fn=_leaky_relu,
        dfn=_leaky_relu_derivative,
        guide=(
            "Leaky ReLU keeps a small slope for negative inputs, so a neuron never stops passing gradient "
            "and cannot die the way a plain ReLU neuron can. The function's default slope is 0.2 (Keras's "
            "LeakyReLU layer defaults to 0.3). The price is a little less sparsity: negative inputs no "
            "longer give exactly 0."
        ),
        family="ReLU family",
        formula="max(x, s·x)",
        output_range=(-math.inf, math.inf),
        params={
            "negative_slope": Param(
                "negative_slope",
                0.2,
                "slope for negative inputs",
                minimum=0.0,
                advice=Advice(
                    "the leak is a small positive slope: at 0 leaky_relu is a plain relu whose neurons can die, "
                    "at 1 it is the identity (no non-linearity), above 1 it is s·x for positive inputs and x for "
                    "negative ones",
                    low=0.0,
                    high=1.0,
                ),
            )
        },
        param_aliases={"alpha": "negative_slope"},  # Keras 2's LeakyReLU(alpha=0.1), as the tutorials write
        monotonic=True,
    )
)


def _prelu(x: np.ndarray, alpha: float | np.ndarray) -> np.ndarray:
    alpha = _per_neuron(x, alpha, "prelu", "alpha")
    return np.maximum(x, 0.0) + _times_where_nonzero(np.minimum(x, 0.0), alpha)


def _prelu_derivative(x: np.ndarray, alpha: float | np.ndarray) -> np.ndarray:
    alpha = _per_neuron(x, alpha, "prelu", "alpha")
    return np.where(x > 0, 1.0, alpha * np.ones_like(x))


register(
    Activation(
        name="prelu",
        fn=_prelu,
        dfn=_prelu_derivative,
        guide=(
            "Parametric ReLU is a leaky ReLU whose negative slope alpha is learned, one slope per neuron. "
            "Give one number for the whole layer or one per neuron. Here alpha defaults to 0.25 (the value "
            "of the original paper) so the leak is visible; Keras's PReLU layer initialises alpha to zeros, "
            "i.e. it starts as a plain ReLU. The extra freedom can overfit small data sets."
        ),
        family="ReLU family",
        formula="max(x, 0) + α·min(x, 0)",
        output_range=(-math.inf, math.inf),
        params={
            "alpha": Param(
                "alpha",
                0.25,
                "slope for negative inputs, one per neuron or one for all",
                kind="per_neuron",
                advice=Advice(
                    "a negative alpha turns negative inputs into positive outputs (alpha = −1 draws |x|, a V), "
                    "alpha = 1 is the identity (no non-linearity) and above 1 negative inputs are amplified",
                    low=0.0,
                    low_closed=True,
                    high=1.0,
                ),
            )
        },
        monotonic=True,
    )
)

register(
    Activation(
        name="relu6",
        fn=lambda x: np.clip(x, 0.0, 6.0),
        dfn=lambda x: _strict_between(x, 0.0, 6.0),
        guide=(
            "ReLU capped at 6. The bounded range suits low-precision (quantised) networks such as MobileNet. "
            "Above 6 the neuron saturates and its derivative is 0, like below 0."
        ),
        family="ReLU family",
        formula="min(max(x, 0), 6)",
        output_range=(0.0, 6.0),
        output_closed=(True, True),
        monotonic=True,
    )
)


def _elu(x: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(x >= 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def _elu_derivative(x: np.ndarray, alpha: float) -> np.ndarray:
    return np.where(x >= 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


register(
    Activation(
        name="elu",
        fn=_elu,
        dfn=_elu_derivative,
        guide=(
            "The exponential linear unit is the identity for positive inputs and bends smoothly towards "
            "-alpha for negative ones; alpha must be > 0 for that shape (at 0 it is a ReLU, a negative alpha "
            "draws a V). The negative outputs pull the mean activation towards 0, which can speed up training, "
            "and neurons do not die. It costs an exponential, and very negative inputs saturate (derivative → 0)."
        ),
        family="ReLU family",
        formula="x if x ≥ 0, α·(eˣ − 1) otherwise",
        output_range=(-1.0, math.inf),
        params={
            "alpha": Param(
                "alpha",
                1.0,
                "the output approaches -alpha for very negative inputs",
                advice=Advice(
                    "at 0 ELU is a relu (negative inputs all give 0 and neurons can die), and a negative alpha "
                    "turns negative inputs into positive outputs (alpha = −1 draws a V)",
                    low=0.0,
                ),
            )
        },
        monotonic=True,
    )
)

register(
    Activation(
        name="selu",
        fn=lambda x: _SELU_SCALE * _elu(x, _SELU_ALPHA),
        dfn=lambda x: _SELU_SCALE * _elu_derivative(x, _SELU_ALPHA),
        guide=(
            "The scaled ELU uses fixed constants (alpha ≈ 1.6733, scale ≈ 1.0507) chosen so that activations "
            "keep mean 0 and variance 1 from layer to layer: the network normalises itself. That only works "
            "with lecun_normal weight initialisation (and AlphaDropout instead of Dropout) in a plain stack "
            "of dense layers; with other initialisers the promise does not hold."
        ),
        family="ReLU family",
        formula="λ·x if x ≥ 0, λ·α·(eˣ − 1) otherwise",
        output_range=(-_SELU_SCALE * _SELU_ALPHA, math.inf),
        monotonic=True,
    )
)


def _check_celu(values: dict[str, Any]) -> None:
    if values["alpha"] == 0:
        raise ValueError("celu: parameter 'alpha' must not be 0 (the formula divides by it)")


register(
    Activation(
        name="celu",
        fn=lambda x, alpha: np.maximum(x, 0.0) + alpha * np.expm1(np.minimum(x, 0.0) / alpha),
        dfn=lambda x, alpha: np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0) / alpha)),
        guide=(
            "The continuously differentiable ELU divides the input by alpha inside the exponential, so its "
            "slope is 1 on both sides of 0 for every alpha (ELU has a kink there unless alpha = 1). "
            "Otherwise it behaves like ELU: negative outputs down to -alpha and saturation for very negative "
            "inputs. Keep alpha > 0: with a negative alpha the negative side falls exponentially towards −∞."
        ),
        family="ReLU family",
        formula="max(x, 0) + α·(e^(min(x, 0)/α) − 1)",
        output_range=(-1.0, math.inf),
        params={
            "alpha": Param(
                "alpha",
                1.0,
                "scale of the negative part; must not be 0",
                advice=Advice(
                    "with a negative alpha the negative side of CELU falls exponentially towards −∞ instead of "
                    "levelling off at −alpha",
                    low=0.0,
                ),
            )
        },
        monotonic=True,
        validator=_check_celu,
    )
)

register(
    Activation(
        name="threshold",
        fn=lambda x, threshold, default_value: np.where(x > threshold, x, default_value),
        dfn=lambda x, threshold, default_value: (x > threshold).astype(np.float64),
        guide=(
            "Keeps inputs above the threshold and replaces all others with default_value. Keras requires "
            "both values; here they default to 0 and 0, which makes it a ReLU. With default_value different "
            "from the threshold the output jumps, and the derivative is 0 below the threshold, so those "
            "inputs get no gradient."
        ),
        family="ReLU family",
        formula="x if x > t, else v",
        output_range=(0.0, math.inf),
        output_closed=(True, False),
        params={
            "threshold": Param("threshold", 0.0, "inputs at or below this are replaced (no Keras default)"),
            "default_value": Param("default_value", 0.0, "the replacement value (no Keras default)"),
        },
        monotonic=True,
    )
)


# -- Sigmoid and tanh ----------------------------------------------------------------------------------------
register(
    Activation(
        name="sigmoid",
        fn=_sigmoid,
        dfn=_sigmoid_slope,
        guide=(
            "The logistic sigmoid squashes any input into (0, 1), which makes it the natural output for a "
            "yes/no (binary) decision: read the output as a probability. In hidden layers it trains slowly: "
            "the derivative is at most 0.25 and vanishes when the input is far from 0 (saturation), and the "
            "outputs are not centred on 0."
        ),
        family="Sigmoid and tanh",
        formula="1 / (1 + e⁻ˣ)",
        output_range=(0.0, 1.0),
        monotonic=True,
    )
)

register(
    Activation(
        name="tanh",
        fn=np.tanh,
        dfn=lambda x: _sech2(x),
        guide=(
            "The hyperbolic tangent squashes inputs into (-1, 1) and is centred on 0, so it trains better "
            "than the sigmoid in hidden layers and is the classic choice inside recurrent networks. It still "
            "saturates: for inputs beyond about ±3 the derivative almost vanishes and learning stalls."
        ),
        family="Sigmoid and tanh",
        formula="tanh(x)",
        output_range=(-1.0, 1.0),
        monotonic=True,
    )
)

register(
    Activation(
        name="hard_sigmoid",
        fn=lambda x: np.clip(x / 6.0 + 0.5, 0.0, 1.0),
        dfn=lambda x: _strict_between(x, -3.0, 3.0) / 6.0,
        guide=(
            "A piecewise-linear stand-in for the sigmoid: a straight line from (-3, 0) to (3, 1), flat "
            "outside. It is cheap on small devices. Keras 3 uses x/6 + 1/2 (Keras 2 used 0.2·x + 0.5). "
            "Outside [-3, 3] the derivative is exactly 0."
        ),
        family="Sigmoid and tanh",
        formula="clip(x/6 + 1/2, 0, 1)",
        output_range=(0.0, 1.0),
        output_closed=(True, True),
        monotonic=True,
    )
)

register(
    Activation(
        name="sparse_sigmoid",
        fn=lambda x: np.clip(0.5 * (x + 1.0), 0.0, 1.0),
        dfn=lambda x: 0.5 * _strict_between(x, -1.0, 1.0),
        guide=(
            "A sigmoid-like ramp that reaches exactly 0 and 1 (at x = -1 and x = 1), so outputs can be "
            "sparse. It is the two-class case of sparsemax. Outside [-1, 1] the derivative is 0."
        ),
        family="Sigmoid and tanh",
        formula="clip((x + 1)/2, 0, 1)",
        output_range=(0.0, 1.0),
        output_closed=(True, True),
        monotonic=True,
    )
)

register(
    Activation(
        name="hard_tanh",
        fn=lambda x: np.clip(x, -1.0, 1.0),
        dfn=lambda x: _strict_between(x, -1.0, 1.0),
        guide=(
            "The identity clipped to [-1, 1]: a cheap, piecewise-linear tanh. Outside the band the neuron "
            "saturates completely (derivative 0)."
        ),
        family="Sigmoid and tanh",
        formula="clip(x, −1, 1)",
        output_range=(-1.0, 1.0),
        output_closed=(True, True),
        monotonic=True,
    )
)

register(
    Activation(
        name="log_sigmoid",
        fn=lambda x: -_softplus(-x),
        dfn=lambda x: _sigmoid(-x),
        guide=(
            "The logarithm of the sigmoid, computed without overflow. It appears in log-likelihood losses "
            "for binary outputs; as an activation its outputs are always negative, approaching 0 for large "
            "inputs and -x for very negative ones."
        ),
        family="Sigmoid and tanh",
        formula="log(1 / (1 + e⁻ˣ))",
        output_range=(-math.inf, 0.0),
        monotonic=True,
    )
)


def _softsign(x: np.ndarray) -> np.ndarray:
    # For |x| ≥ 1, 1 - 1/(1 + |x|) is a chain of monotone roundings (x/(1 + |x|) is not, above 2⁵³) and
    # reaches ±1 at ±inf; below 1 the quotient keeps full relative precision for tiny x.
    magnitude = np.where(np.abs(x) >= 1.0, 1.0 - 1.0 / (1.0 + np.abs(x)), np.abs(x) / (1.0 + np.abs(x)))
    return np.copysign(magnitude, x)


register(
    Activation(
        name="softsign",
        fn=_softsign,
        dfn=lambda x: 1.0 / (1.0 + np.abs(x)) ** 2,
        guide=(
            "Like tanh it maps inputs into (-1, 1), but it approaches the limits polynomially instead of "
            "exponentially, so it saturates more gently and keeps some gradient for large inputs. It is "
            "cheap to compute."
        ),
        family="Sigmoid and tanh",
        formula="x / (1 + |x|)",
        output_range=(-1.0, 1.0),
        monotonic=True,
    )
)


# -- Smooth ReLU-likes ---------------------------------------------------------------------------------------
register(
    Activation(
        name="softplus",
        fn=_softplus,
        dfn=_sigmoid,
        guide=(
            "A smooth ReLU: log(1 + eˣ) is close to 0 for negative inputs and close to x for positive ones, "
            "and its derivative is the sigmoid. It is always positive, so it suits outputs that must be "
            "positive (a variance, a rate). Unlike ReLU it never gives exact zeros."
        ),
        family="Smooth ReLU-likes",
        formula="log(1 + eˣ)",
        output_range=(0.0, math.inf),
        monotonic=True,
    )
)

register(
    Activation(
        name="silu",
        fn=lambda x: _times_where_nonzero(x, _sigmoid(x)),
        dfn=lambda x: _sigmoid(x) + _times_where_nonzero(x, _sigmoid_slope(x)),
        guide=(
            "SiLU, also called swish, multiplies the input by its own sigmoid. It is smooth, lets small "
            "negative values through (minimum ≈ -0.278 at x ≈ -1.28) and often trains deeper networks a "
            "little better than ReLU. It is not monotonic and costs an exponential per neuron."
        ),
        family="Smooth ReLU-likes",
        formula="x·σ(x)",
        output_range=(-0.27847, math.inf),
        output_closed=(True, False),
        output_rounded=(True, False),
        aliases=("swish",),
    )
)


def _gelu(x: np.ndarray, approximate: bool) -> np.ndarray:
    if approximate:
        # 0.5·x·(1 + tanh(u)) = x·σ(2u); the sigmoid form has no cancellation for very negative x.
        u = _SQRT_2_OVER_PI * (x + _GELU_CUBIC * x**3)
        return _times_where_nonzero(x, _sigmoid(2.0 * u))
    return _times_where_nonzero(x, _normal_cdf(x))


def _gelu_derivative(x: np.ndarray, approximate: bool) -> np.ndarray:
    if approximate:
        u = _SQRT_2_OVER_PI * (x + _GELU_CUBIC * x**3)
        du = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_CUBIC * x**2)
        return _sigmoid(2.0 * u) + _times_where_nonzero(2.0 * x * du, _sigmoid_slope(2.0 * u))
    return _normal_cdf(x) + _times_where_nonzero(x, _normal_pdf(x))


register(
    Activation(
        name="gelu",
        fn=_gelu,
        dfn=_gelu_derivative,
        guide=(
            "The Gaussian error linear unit weights each input by the probability that a standard normal "
            "value is below it, x·Φ(x). It is the standard activation in Transformers (BERT, GPT). Keras "
            "computes it exactly with erf by default; approximate=True uses the tanh formula with 0.044715. "
            "Like SiLU it dips slightly below 0 (minimum ≈ -0.17) and is not monotonic."
        ),
        family="Smooth ReLU-likes",
        formula="x·Φ(x)",
        output_range=(-0.16998, math.inf),
        output_closed=(True, False),
        output_rounded=(True, False),
        params={"approximate": Param("approximate", False, "use the tanh approximation instead of erf", kind="bool")},
    )
)


def _mish(x: np.ndarray) -> np.ndarray:
    return _times_where_nonzero(x, np.tanh(_softplus(x)))


def _mish_derivative(x: np.ndarray) -> np.ndarray:
    softplus = _softplus(x)
    return np.tanh(softplus) + _times_where_nonzero(x, _sech2(softplus) * _sigmoid(x))


register(
    Activation(
        name="mish",
        fn=_mish,
        dfn=_mish_derivative,
        guide=(
            "Mish, x·tanh(softplus(x)), is a smooth self-gated activation close to SiLU: unbounded above, a "
            "small negative dip (minimum ≈ -0.309) and no dead neurons. It was popular in object detectors "
            "(YOLOv4). It is not monotonic and is among the more expensive activations."
        ),
        family="Smooth ReLU-likes",
        formula="x·tanh(softplus(x))",
        output_range=(-0.30885, math.inf),
        output_closed=(True, False),
        output_rounded=(True, False),
    )
)


def _hard_silu_derivative(x: np.ndarray) -> np.ndarray:
    return np.where(x >= 3.0, 1.0, np.where(x > -3.0, (2.0 * x + 3.0) / 6.0, 0.0))


register(
    Activation(
        name="hard_silu",
        fn=lambda x: _times_where_nonzero(x, np.clip(x / 6.0 + 0.5, 0.0, 1.0)),
        dfn=_hard_silu_derivative,
        guide=(
            "Hard SiLU (hard swish) replaces the sigmoid in SiLU by the hard sigmoid: 0 below -3, x above 3 "
            "and the parabola x·(x + 3)/6 in between. It was designed for fast mobile networks "
            "(MobileNetV3). Like SiLU it has a small negative dip (minimum -0.375 at x = -1.5)."
        ),
        family="Smooth ReLU-likes",
        formula="x·clip(x/6 + 1/2, 0, 1)",
        output_range=(-0.375, math.inf),
        output_closed=(True, False),
        aliases=("hard_swish",),
    )
)


def _squareplus(x: np.ndarray, b: float) -> np.ndarray:
    root = np.hypot(x, math.sqrt(b))  # √(x² + b) without overflow
    # For x < 0, x + √(x² + b) cancels; (b/4)/((√(x² + b) - x)/2) is the same number without cancellation.
    return np.where(x >= 0, (x + root) / 2.0, (b / 4.0) / (root / 2.0 - x / 2.0))


def _squareplus_derivative(x: np.ndarray, b: float) -> np.ndarray:
    root = np.hypot(x, math.sqrt(b))
    ratio = np.where(np.isposinf(x), 1.0, x / root)  # x/√(x² + b) → 1 as x → ∞, where ∞/∞ would give NaN
    slope = np.where(x >= 0, 0.5 + 0.5 * ratio, (b / 2.0) / root / (root - x))
    return np.where(root == 0, 0.5, slope)  # b = 0 at x = 0: every b > 0 gives slope 1/2 there


register(
    Activation(
        name="squareplus",
        fn=_squareplus,
        dfn=_squareplus_derivative,
        guide=(
            "Squareplus is a softplus-like curve built from a square root instead of exp and log, so it is "
            "cheap. The smoothness b sets how round the corner at 0 is: b = 0 gives ReLU exactly, larger b a "
            "gentler bend. Outputs are always positive."
        ),
        family="Smooth ReLU-likes",
        formula="(x + √(x² + b)) / 2",
        output_range=(0.0, math.inf),
        params={"b": Param("b", 4.0, "smoothness of the corner (0 gives ReLU)", minimum=0.0)},
        monotonic=True,
    )
)

register(
    Activation(
        name="sparse_plus",
        fn=lambda x: np.where(x <= -1.0, 0.0, np.where(x < 1.0, 0.25 * (x + 1.0) ** 2, x)),
        dfn=lambda x: np.where(x <= -1.0, 0.0, np.where(x < 1.0, 0.5 * (x + 1.0), 1.0)),
        guide=(
            "SparsePlus is a softplus that reaches exactly 0 for x ≤ -1 and exactly x for x ≥ 1, joined by a "
            "parabola, so it is smooth (continuous slope) and still gives sparse outputs. Below -1 the "
            "derivative is 0, as with ReLU."
        ),
        family="Smooth ReLU-likes",
        formula="0 | (x + 1)²/4 | x",
        output_range=(0.0, math.inf),
        output_closed=(True, False),
        monotonic=True,
    )
)


# -- Layer-wide ----------------------------------------------------------------------------------------------
def _softmax(x: np.ndarray, axis: int) -> np.ndarray:
    if _axis_length(x, axis, "softmax") == 0:
        return x.copy()
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_with_diagonal(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    s = _softmax(x, axis)
    return s, s * (1.0 - s)


def _softmax_jvp(x: np.ndarray, v: np.ndarray, axis: int) -> np.ndarray:
    s = _softmax(x, axis)
    return s * (v - np.sum(s * v, axis=axis, keepdims=True))


register(
    Activation(
        name="softmax",
        fn=_softmax,
        dfn=lambda x, axis: _softmax_with_diagonal(x, axis)[1],
        value_and_derivative_fn=_softmax_with_diagonal,
        guide=(
            "Softmax turns a whole layer into probabilities: every output is in (0, 1) and they sum to 1. It "
            "is the output activation for choosing one class out of several. Adding the same number to all "
            "inputs changes nothing, but scaling them does: larger inputs give a sharper, more confident "
            "distribution. Each output depends on every input, so the derivative shown is the diagonal of "
            "the Jacobian."
        ),
        family="Layer-wide",
        formula="eˣⁱ / Σⱼ eˣʲ",
        output_range=(0.0, 1.0),
        params={"axis": Param("axis", -1, "axis along which the layer lies", kind="int", ui=False)},
        elementwise=False,
        jvp_fn=_softmax_jvp,
    )
)


def _log_softmax(x: np.ndarray, axis: int) -> np.ndarray:
    if _axis_length(x, axis, "log_softmax") == 0:
        return x.copy()
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


register(
    Activation(
        name="log_softmax",
        fn=_log_softmax,
        dfn=lambda x, axis: 1.0 - _softmax(x, axis),
        guide=(
            "The logarithm of softmax, computed stably (the largest input is subtracted first). It gives "
            "log-probabilities, which is what cross-entropy losses need; exponentiate to get probabilities. "
            "All outputs are ≤ 0."
        ),
        family="Layer-wide",
        formula="xᵢ − log Σⱼ eˣʲ",
        output_range=(-math.inf, 0.0),
        params={"axis": Param("axis", -1, "axis along which the layer lies", kind="int", ui=False)},
        elementwise=False,
        jvp_fn=lambda x, v, axis: v - np.sum(_softmax(x, axis) * v, axis=axis, keepdims=True),
    )
)


def _sparsemax(x: np.ndarray, axis: int) -> np.ndarray:
    """Euclidean projection of each slice onto the probability simplex (Martins & Astudillo 2016)."""
    size = _axis_length(x, axis, "sparsemax")
    if size == 0:
        return x.copy()
    z = np.moveaxis(x, axis, -1)
    z = z - np.max(z, axis=-1, keepdims=True)  # sparsemax ignores shifts; keeps the sums below finite
    ordered = -np.sort(-z, axis=-1)
    running_sum = np.cumsum(ordered, axis=-1)
    rank = np.arange(1, size + 1)
    support_size = np.sum(1.0 + rank * ordered > running_sum, axis=-1, keepdims=True)
    support_sum = np.take_along_axis(running_sum, np.maximum(support_size - 1, 0), axis=-1)
    tau = (support_sum - 1.0) / np.maximum(support_size, 1)
    out = np.maximum(z - tau, 0.0)
    out = np.where(np.any(np.isnan(z), axis=-1, keepdims=True), np.nan, out)
    return np.moveaxis(out, -1, axis)


def _sparsemax_support(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Indicator of the outputs that are > 0, and how many there are per slice."""
    support = (_sparsemax(x, axis) > 0).astype(np.float64)
    return support, np.maximum(np.sum(support, axis=axis, keepdims=True), 1.0)


def _sparsemax_derivative(x: np.ndarray, axis: int) -> np.ndarray:
    support, count = _sparsemax_support(x, axis)
    return support * (1.0 - 1.0 / count)


def _sparsemax_jvp(x: np.ndarray, v: np.ndarray, axis: int) -> np.ndarray:
    support, count = _sparsemax_support(x, axis)
    return support * (v - np.sum(support * v, axis=axis, keepdims=True) / count)


register(
    Activation(
        name="sparsemax",
        fn=_sparsemax,
        dfn=_sparsemax_derivative,
        guide=(
            "Sparsemax is a softmax that can output exact zeros: it projects the layer onto the probability "
            "simplex, so outputs are ≥ 0, sum to 1, and unlikely classes get exactly 0. This is the correct "
            "projection; Keras 3.15.1's sparsemax gives wrong values whenever more than one output stays "
            "above 0 (keras-team/keras issue 23425), e.g. sparsemax([.1, .2, .3, -.5]) is [.2333, .3333, "
            ".4333, 0]."
        ),
        family="Layer-wide",
        formula="max(xᵢ − τ(x), 0)",
        output_range=(0.0, 1.0),
        output_closed=(True, True),
        params={"axis": Param("axis", -1, "axis along which the layer lies", kind="int", ui=False)},
        elementwise=False,
        jvp_fn=_sparsemax_jvp,
    )
)


def _glu_halves(x: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    size = _axis_length(x, axis, "glu")
    if size % 2:
        raise ValueError(
            f"glu: parameter 'axis' = {axis} selects an axis of odd length {size}; glu splits it into two equal halves"
        )
    a, b = np.split(x, 2, axis=axis)
    return a, b


def _glu(x: np.ndarray, axis: int) -> np.ndarray:
    a, b = _glu_halves(x, axis)
    return a * _sigmoid(b)


def _glu_derivative(x: np.ndarray, axis: int) -> np.ndarray:
    # Shape of the input: ∂out_i/∂a_i = σ(b_i) for the first half, ∂out_i/∂b_i = a_i·σ'(b_i) for the second.
    a, b = _glu_halves(x, axis)
    return np.concatenate([_sigmoid(b), a * _sigmoid_slope(b)], axis=axis)


def _glu_jvp(x: np.ndarray, v: np.ndarray, axis: int) -> np.ndarray:
    a, b = _glu_halves(x, axis)
    va, vb = np.split(v, 2, axis=axis)
    return _sigmoid(b) * va + a * _sigmoid_slope(b) * vb


register(
    Activation(
        name="glu",
        fn=_glu,
        dfn=_glu_derivative,
        guide=(
            "The gated linear unit splits the layer into two halves a and b and outputs a·σ(b): the second "
            "half decides how much of the first passes, like a gate. A GLU layer of 2k units therefore shows "
            "k outputs, and the unit count must be even. Gated variants are common in Transformer "
            "feed-forward blocks."
        ),
        family="Layer-wide",
        formula="a·σ(b), x = [a, b]",
        output_range=(-math.inf, math.inf),
        params={"axis": Param("axis", -1, "axis that is split into halves", kind="int", ui=False)},
        elementwise=False,
        jvp_fn=_glu_jvp,
    )
)


# -- Others --------------------------------------------------------------------------------------------------
register(
    Activation(
        name="linear",
        fn=lambda x: x.copy(),
        dfn=np.ones_like,
        guide=(
            "The identity: the neuron outputs its weighted sum unchanged. Use it for regression outputs "
            "(predicting any real number). A network whose layers are all linear collapses to a single "
            "linear map, however deep it is, so hidden layers need a non-linear activation."
        ),
        family="Others",
        formula="x",
        output_range=(-math.inf, math.inf),
        monotonic=True,
    )
)

register(
    Activation(
        name="exponential",
        fn=np.exp,
        dfn=np.exp,
        guide=(
            "eˣ: always positive and growing very fast. Useful as an output for strictly positive "
            "quantities, such as a rate or a scale. Inputs above about 709 (88 in float32) overflow to "
            "infinity, as in NumPy."
        ),
        family="Others",
        formula="eˣ",
        output_range=(0.0, math.inf),
        monotonic=True,
    )
)

register(
    Activation(
        name="soft_shrink",
        fn=lambda x, threshold: np.where(x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0)),
        dfn=lambda x, threshold: (np.abs(x) > threshold).astype(np.float64),
        guide=(
            "Soft shrinkage sets inputs within ±threshold to 0 and moves all others towards 0 by the "
            "threshold. It comes from denoising and sparse coding (it is the proximal step of an L1 "
            "penalty). Inside the dead band the derivative is 0."
        ),
        family="Others",
        formula="x − t·sign(x) if |x| > t, else 0",
        output_range=(-math.inf, math.inf),
        params={
            "threshold": Param(
                "threshold",
                0.5,
                "half-width of the band that maps to 0",
                minimum=0.0,
                advice=Advice(
                    "with threshold 0 nothing is shrunk: soft_shrink is the identity (no non-linearity)", low=0.0
                ),
            )
        },
        monotonic=True,
    )
)

register(
    Activation(
        name="hard_shrink",
        fn=lambda x, threshold: np.where(np.abs(x) > threshold, x, 0.0),
        dfn=lambda x, threshold: (np.abs(x) > threshold).astype(np.float64),
        guide=(
            "Hard shrinkage sets inputs within ±threshold to 0 and passes all others unchanged, so the "
            "output jumps at ±threshold. It removes small values (noise) while keeping large ones exact."
        ),
        family="Others",
        formula="x if |x| > t, else 0",
        output_range=(-math.inf, math.inf),
        params={
            "threshold": Param(
                "threshold",
                0.5,
                "half-width of the band that maps to 0",
                minimum=0.0,
                advice=Advice(
                    "with threshold 0 nothing is shrunk: hard_shrink is the identity (no non-linearity)", low=0.0
                ),
            )
        },
        monotonic=True,
    )
)


#: x - tanh(x) = x³·(1/3 - 2x²/15 + 17x⁴/315 - …): coefficients of the polynomial in x², highest power first.
_TANH_SHRINK_SERIES = [-21844 / 6081075, 1382 / 155925, -62 / 2835, 17 / 315, -2 / 15, 1 / 3]


def _tanh_shrink(x: np.ndarray) -> np.ndarray:
    # x - tanh(x) ≈ x³/3 cancels for small |x|; there its Taylor series is exact to ~1e-15.
    series = x**3 * np.polyval(_TANH_SHRINK_SERIES, x * x)
    return np.where(np.abs(x) < 0.1, series, x - np.tanh(x))


register(
    Activation(
        name="tanh_shrink",
        fn=_tanh_shrink,
        dfn=lambda x: np.tanh(x) ** 2,
        guide=(
            "x − tanh(x): nearly flat (cubic) around 0 and close to x ∓ 1 for large inputs, so small inputs "
            "are suppressed smoothly. It is rarely used outside sparse-coding experiments; near 0 the "
            "derivative vanishes."
        ),
        family="Others",
        formula="x − tanh(x)",
        output_range=(-math.inf, math.inf),
        monotonic=True,
    )
)
