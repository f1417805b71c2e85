"""Custom activation formulas such as ``x * sigmoid(beta * x)``, parsed and evaluated safely.

The tutorials end with "create your own activation"; this module lets a person type one and watch it.
A formula (or a shared file holding one) must never be able to run code, so the text is never given to
``eval``, ``exec``, ``compile`` or Python's ``ast``: a small tokenizer and a precedence-climbing parser
accept a whitelist (numbers, ``x``, declared parameters, ``+ - * / **``, comparisons, ``and/or/not``,
parentheses and a fixed set of NumPy-backed functions) and build a tree of formula nodes.
Everything else is a :class:`FormulaError` that says what is wrong and at which column.

The derivative is exact: the tree is differentiated symbolically once, at parse time. Both trees are evaluated
iteratively (no recursion, so a long formula cannot exhaust the stack), vectorised over arrays of any shape.

The tree (nodes, :data:`FUNCTIONS`, derivative rules, printing) is in :mod:`neuroviz.model.formula_tree`, the
tokenizer and parser in :mod:`neuroviz.model.formula_parser`; this module checks parameters and is the public API
(:func:`parse`, :func:`from_formula`, :class:`Formula`): import from here.

Pure NumPy: this module never imports Qt.
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from neuroviz.model import activations
from neuroviz.model.activations import Activation, Param
from neuroviz.model.errors import FormulaError
from neuroviz.model.formula_parser import MAX_NESTING, MAX_NODES, NAME_PATTERN, Parser

# The tree and its node classes were defined in this module before the split: all stay importable from here.
from neuroviz.model.formula_tree import (  # noqa: F401
    FUNCTIONS,
    ONE,
    RESERVED_CONSTANTS,
    ZERO,
    ActivationCall,
    Arithmetic,
    Call,
    Comparison,
    Logical,
    Negate,
    Node,
    Not,
    Number,
    Parameter,
    Variable,
    differentiate,
    evaluate,
    to_text,
)

__all__ = [
    "FUNCTIONS",
    "MAX_LENGTH",
    "MAX_NESTING",
    "MAX_NODES",
    "Formula",
    "FormulaError",
    "from_formula",
    "parse",
]

#: Longest formula accepted, in characters.
MAX_LENGTH = 500
#: Largest magnitude of a parameter's editor range (defaults beyond it leave the range unbounded).
PARAM_LIMIT = 1e6


#: Names Activation's methods take as plain arguments besides ``x`` (``act.jvp(x, v, **params)``,
#: ``act.validate(**params)`` on ``self``); a parameter of that name could not be given by keyword, so it is refused.
_RESERVED_PARAMETER_NAMES = ("self", "v")


# -- parameters ----------------------------------------------------------------------------------------------
def _check_param_name(name: Any) -> str:
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise FormulaError(f"parameter name {name!r} is not an identifier (letters, digits and '_', ASCII only)")
    if "__" in name:
        raise FormulaError(f"parameter name {name!r} may not contain '__'")
    if name == "x":
        raise FormulaError("'x' is the input and cannot be a parameter name")
    if name in FUNCTIONS or name in activations.names():
        raise FormulaError(f"parameter name {name!r} is a function name")
    if name in _RESERVED_PARAMETER_NAMES:
        raise FormulaError(f"parameter name {name!r} is reserved: an activation's methods take {name!r} themselves")
    if name in RESERVED_CONSTANTS or keyword.iskeyword(name):
        raise FormulaError(f"parameter name {name!r} is reserved")
    return name


def _check_param_value(name: str, value: Any) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer | np.floating):
        raise FormulaError(f"formula parameter {name!r} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise FormulaError(f"formula parameter {name!r} must be finite, got {value!r}")
    return number


# -- public API ----------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Formula:
    """A parsed formula: call it for values, ``.derivative`` for its exact derivative, both vectorised.

    ``params`` holds the declared parameters and their default values; keywords override them per call.
    """

    text: str
    params: Mapping[str, float]
    expression: Node = field(repr=False)
    derivative_expression: Node = field(repr=False)

    def __call__(self, x: Any, /, **params: Any) -> np.ndarray:
        """f(x) as float64, same shape as ``x``; NaN in gives NaN out."""
        return evaluate(self.expression, _as_array(x), self._values(params))

    def derivative(self, x: Any, /, **params: Any) -> np.ndarray:
        """f'(x), from the symbolically differentiated tree."""
        return evaluate(self.derivative_expression, _as_array(x), self._values(params))

    @property
    def derivative_text(self) -> str:
        """The derivative written as a formula, e.g. ``3*x**2 - 2`` for ``x**3 - 2*x``."""
        return to_text(self.derivative_expression)

    def _values(self, overrides: Mapping[str, Any]) -> dict[str, float]:
        values = dict(self.params)
        for name, value in overrides.items():
            if name not in values:
                known = ", ".join(values) or "none"
                raise FormulaError(f"unknown formula parameter {name!r} (its parameters: {known})")
            values[name] = _check_param_value(name, value)
        return values


def _as_array(x: Any) -> np.ndarray:
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"formula input must be numbers: {error}") from None


def parse(text: str, params: Mapping[str, float] | None = None) -> Formula:
    """Parse ``text`` with the declared parameters (name -> default value) into a :class:`Formula`.

    Raises :class:`FormulaError` naming the problem and its column; nothing in ``text`` is ever executed.
    """
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is too long ({len(text)} characters; at most {MAX_LENGTH})", MAX_LENGTH)
    params = dict(params or {})
    checked = {_check_param_name(name): _check_param_value(name, value) for name, value in params.items()}
    expression = Parser(text, checked).parse()
    return Formula(text, MappingProxyType(checked), expression, differentiate(expression))


def from_formula(text: str, /, **params: float) -> Activation:
    """An :class:`Activation` named "custom" computing ``text``; not added to the registry.

    Each keyword becomes a float parameter with that default (range ±1e6 when the default lies within it).
    ``text`` is positional only, so that any parameter name can be a keyword (``from_formula("x*text", text=1)``).
    The names Activation's methods take themselves (``self``, ``x``, jvp's ``v``) are refused by :func:`parse`.
    """
    formula = parse(text, params)
    specs: dict[str, Param] = {}
    for name, default in formula.params.items():
        limit = PARAM_LIMIT if abs(default) <= PARAM_LIMIT else None
        specs[name] = Param(
            name=name,
            default=default,
            doc="formula parameter",
            minimum=None if limit is None else -limit,
            maximum=limit,
            kind="float",
        )
    return Activation(
        name="custom",
        fn=formula,
        dfn=formula.derivative,
        guide=text,
        family="Others",
        formula=text,
        output_range=(-math.inf, math.inf),
        params=MappingProxyType(specs),
        elementwise=True,
        monotonic=False,
    )
