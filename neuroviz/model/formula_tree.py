"""The tree of a custom activation formula: its nodes, their values and derivatives, and printing it back.

:mod:`neuroviz.model.formula_parser` builds the tree from text; :mod:`neuroviz.model.formula` differentiates it
once (:func:`differentiate`) and evaluates both trees (:func:`evaluate`). Walking is iterative (no recursion, so a
long formula cannot exhaust the stack) and vectorised over arrays of any shape.

Pure NumPy: this module never imports Qt.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from neuroviz.model.activations import Activation


@dataclass(frozen=True, eq=False)
class Node:
    """One value or operation. ``position`` is where it starts in the text (for error messages)."""

    position: int = field(default=0, kw_only=True)
    #: True when the node is a condition (True/False), False when it is a number.
    is_condition = False

    @property
    def children(self) -> tuple[Node, ...]:
        return ()

    @property
    def varies(self) -> bool:
        """Whether the value depends on ``x`` (cached: nodes are immutable)."""
        cached = self.__dict__.get("_varies")
        if cached is None:
            cached = isinstance(self, Variable) or any(child.varies for child in self.children)
            object.__setattr__(self, "_varies", cached)
        return cached

    def compute(self, x: np.ndarray, params: Mapping[str, float], args: list[Any]) -> Any:
        """This node's value from its children's values ``args``."""
        raise NotImplementedError

    def differentiate(self, dargs: list[Node | None]) -> Node:
        """d(this)/dx from the derivatives of the children (``None`` for conditions)."""
        raise NotImplementedError


@dataclass(frozen=True, eq=False)
class Number(Node):
    value: float
    name: str = ""  # "pi" for the named constant, so that it prints as written

    def compute(self, x, params, args):
        return np.float64(self.value)

    def differentiate(self, dargs):
        return ZERO


@dataclass(frozen=True, eq=False)
class Variable(Node):
    """The input ``x``."""

    def compute(self, x, params, args):
        return x

    def differentiate(self, dargs):
        return ONE


@dataclass(frozen=True, eq=False)
class Parameter(Node):
    name: str

    def compute(self, x, params, args):
        return np.float64(params[self.name])

    def differentiate(self, dargs):
        return ZERO


@dataclass(frozen=True, eq=False)
class Negate(Node):
    operand: Node

    @property
    def children(self):
        return (self.operand,)

    def compute(self, x, params, args):
        return np.negative(args[0])

    def differentiate(self, dargs):
        return _neg(dargs[0])


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.divide,
    "**": np.power,
}


@dataclass(frozen=True, eq=False)
class Arithmetic(Node):
    op: str  # one of + - * / **
    left: Node
    right: Node

    @property
    def children(self):
        return (self.left, self.right)

    def compute(self, x, params, args):
        return _ARITHMETIC[self.op](args[0], args[1])

    def differentiate(self, dargs):
        a, b = self.left, self.right
        da, db = dargs
        if self.op == "+":
            return _add(da, db)
        if self.op == "-":
            return _sub(da, db)
        if self.op == "*":
            return _add(_mul(da, b), _mul(a, db))
        if self.op == "/":
            # d(a/b) = (da - (a/b)·db) / b, reusing this node's value.
            return _div(_sub(da, _mul(self, db)), b)
        # Power: constant exponent -> b·a^(b-1); constant base -> a^b·ln a; otherwise a^b·(b'·ln a + b·a'/a).
        if not b.varies:
            return _mul(_mul(b, _pow(a, _sub(b, ONE))), da)
        if not a.varies:
            return _mul(_mul(self, _call("log", a)), db)
        return _mul(self, _add(_mul(db, _call("log", a)), _div(_mul(b, da), a)))


COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


@dataclass(frozen=True, eq=False)
class Comparison(Node):
    op: str
    left: Node
    right: Node
    is_condition = True

    @property
    def children(self):
        return (self.left, self.right)

    def compute(self, x, params, args):
        return COMPARISONS[self.op](args[0], args[1])


@dataclass(frozen=True, eq=False)
class Logical(Node):
    op: str  # "and" or "or"
    left: Node
    right: Node
    is_condition = True

    @property
    def children(self):
        return (self.left, self.right)

    def compute(self, x, params, args):
        combine = np.logical_and if self.op == "and" else np.logical_or
        return combine(args[0], args[1])


@dataclass(frozen=True, eq=False)
class Not(Node):
    operand: Node
    is_condition = True

    @property
    def children(self):
        return (self.operand,)

    def compute(self, x, params, args):
        return np.logical_not(args[0])


def _sigmoid(u: Any) -> Any:
    """1/(1+e^-u) without overflow: only e^-|u| is ever computed."""
    e = np.exp(-np.abs(u))
    return np.where(np.greater_equal(u, 0), 1.0 / (1.0 + e), e / (1.0 + e))


_MATH_ERF = np.frompyfunc(math.erf, 1, 1)


def _erf(u: Any) -> Any:
    """The error function to full double precision (NumPy has none; math.erf per element)."""
    return np.asarray(_MATH_ERF(np.asarray(u, dtype=np.float64)), dtype=np.float64)


#: The functions a formula may call: name -> (number of arguments, NumPy implementation).
#: ``clip(u, low, high)`` is accepted too and becomes ``minimum(maximum(u, low), high)``.
FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {
    "exp": (1, np.exp),
    "expm1": (1, np.expm1),
    "log": (1, np.log),
    "log1p": (1, np.log1p),
    "sqrt": (1, np.sqrt),
    "abs": (1, np.abs),
    "sign": (1, np.sign),
    "tanh": (1, np.tanh),
    "sinh": (1, np.sinh),
    "cosh": (1, np.cosh),
    "sin": (1, np.sin),
    "cos": (1, np.cos),
    "arctan": (1, np.arctan),
    "erf": (1, _erf),
    "sigmoid": (1, _sigmoid),
    "softplus": (1, lambda u: np.logaddexp(0.0, u)),
    "relu": (1, lambda u: np.maximum(u, 0.0)),
    "maximum": (2, np.maximum),
    "minimum": (2, np.minimum),
    "where": (3, np.where),
    "clip": (3, lambda u, low, high: np.minimum(np.maximum(u, low), high)),
}

#: Named constants a formula may use.
RESERVED_CONSTANTS = {"pi": math.pi}

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


@dataclass(frozen=True, eq=False)
class Call(Node):
    """A call of one of :data:`FUNCTIONS`."""

    function: str
    args: tuple[Node, ...]

    @property
    def children(self):
        return self.args

    def compute(self, x, params, args):
        return FUNCTIONS[self.function][1](*args)

    def differentiate(self, dargs):
        name = self.function
        if name == "where":
            return _where(self.args[0], dargs[1], dargs[2])
        if name == "maximum":  # the larger argument's slope; at a tie the second's (so relu'(0) = 0, as Keras)
            a, b = self.args
            return _where(Comparison(">", a, b), dargs[0], dargs[1])
        if name == "minimum":
            a, b = self.args
            return _where(Comparison("<", a, b), dargs[0], dargs[1])
        u, du = self.args[0], dargs[0]
        if name in ("exp", "expm1"):
            outer = self if name == "exp" else _call("exp", u)
        elif name == "log":
            return _div(du, u)
        elif name == "log1p":
            return _div(du, _add(ONE, u))
        elif name == "sqrt":
            return _div(du, _mul(Number(2.0), self))
        elif name == "abs":
            outer = _call("sign", u)
        elif name == "sign":
            return ZERO
        elif name == "tanh":
            outer = _div(ONE, _pow(_call("cosh", u), Number(2.0)))
        elif name == "sinh":
            outer = _call("cosh", u)
        elif name == "cosh":
            outer = _call("sinh", u)
        elif name == "sin":
            outer = _call("cos", u)
        elif name == "cos":
            outer = _neg(_call("sin", u))
        elif name == "arctan":
            return _div(du, _add(ONE, _pow(u, Number(2.0))))
        elif name == "erf":
            outer = _mul(Number(_TWO_OVER_SQRT_PI), _call("exp", _neg(_pow(u, Number(2.0)))))
        elif name == "sigmoid":  # σ' = σ(u)·σ(-u): exact in both tails, unlike σ(1-σ)
            outer = _mul(self, _call("sigmoid", _neg(u)))
        elif name == "softplus":
            outer = _call("sigmoid", u)
        elif name == "relu":  # Keras's subgradient: 0 at u = 0
            return _where(Comparison(">", u, ZERO), du, ZERO)
        else:  # pragma: no cover - FUNCTIONS and this table are kept in step by the tests
            raise AssertionError(f"no derivative rule for {name}")
        return _mul(outer, du)


@dataclass(frozen=True, eq=False)
class ActivationCall(Node):
    """A registered elementwise activation with its default parameters, or its derivative."""

    activation: Activation
    arg: Node
    derivative: bool = False

    @property
    def children(self):
        return (self.arg,)

    def compute(self, x, params, args):
        if self.derivative:
            return self.activation.derivative(args[0])
        return self.activation(args[0])

    def differentiate(self, dargs):
        if self.derivative:  # pragma: no cover - formulas are differentiated once
            raise AssertionError("second derivatives are not supported")
        return _mul(ActivationCall(self.activation, self.arg, derivative=True), dargs[0])


ZERO = Number(0.0)
ONE = Number(1.0)


# -- simplifying constructors for derivative trees -----------------------------------------------------------
def _is(node: Node, value: float) -> bool:
    return isinstance(node, Number) and node.value == value


def _fold(op: str, a: Node, b: Node) -> Node | None:
    if isinstance(a, Number) and isinstance(b, Number):
        with np.errstate(all="ignore"):
            return Number(float(_ARITHMETIC[op](np.float64(a.value), np.float64(b.value))))
    return None


def _add(a: Node, b: Node) -> Node:
    if _is(a, 0.0):
        return b
    if _is(b, 0.0):
        return a
    return _fold("+", a, b) or Arithmetic("+", a, b)


def _sub(a: Node, b: Node) -> Node:
    if _is(b, 0.0):
        return a
    if _is(a, 0.0):
        return _neg(b)
    return _fold("-", a, b) or Arithmetic("-", a, b)


def _mul(a: Node, b: Node) -> Node:
    if _is(a, 0.0) or _is(b, 0.0):
        return ZERO
    if _is(a, 1.0):
        return b
    if _is(b, 1.0):
        return a
    if _is(a, -1.0):
        return _neg(b)
    if _is(b, -1.0):
        return _neg(a)
    if isinstance(a, Number) and _scaled(b) is not None:  # c·(d·u) -> (c·d)·u
        factor, rest = _scaled(b)
        return _mul(_fold("*", a, factor), rest)
    return _fold("*", a, b) or Arithmetic("*", a, b)


def _scaled(node: Node) -> tuple[Number, Node] | None:
    """(c, u) when ``node`` is c·u with a literal c."""
    if isinstance(node, Arithmetic) and node.op == "*" and isinstance(node.left, Number):
        return node.left, node.right
    return None


def _div(a: Node, b: Node) -> Node:
    if _is(a, 0.0):
        return ZERO
    if _is(b, 1.0):
        return a
    if isinstance(b, Number) and _scaled(a) is not None:  # (c·u)/d -> (c/d)·u
        factor, rest = _scaled(a)
        return _mul(_fold("/", factor, b), rest)
    return _fold("/", a, b) or Arithmetic("/", a, b)


def _pow(a: Node, b: Node) -> Node:
    if _is(b, 0.0):
        return ONE
    if _is(b, 1.0):
        return a
    return _fold("**", a, b) or Arithmetic("**", a, b)


def _neg(a: Node) -> Node:
    if isinstance(a, Number):
        return Number(-a.value) if a.value != 0.0 else ZERO
    if isinstance(a, Negate):
        return a.operand
    return Negate(a)


def _call(name: str, *args: Node) -> Node:
    return Call(name, tuple(args))


def _where(condition: Node, a: Node | None, b: Node | None) -> Node:
    a = ZERO if a is None else a
    b = ZERO if b is None else b
    if _is(a, 0.0) and _is(b, 0.0):
        return ZERO
    return Call("where", (condition, a, b))


# -- walking the tree without recursion ----------------------------------------------------------------------
def _postorder(root: Node) -> list[Node]:
    """Every distinct node of the tree (a DAG after differentiation), children before parents."""
    order: list[Node] = []
    seen: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.children))
    return order


def evaluate(root: Node, x: np.ndarray, params: Mapping[str, float]) -> np.ndarray:
    """Vectorised value of the tree at ``x``; shared sub-trees are computed once."""
    values: dict[int, Any] = {}
    with np.errstate(all="ignore"):
        for node in _postorder(root):
            args = [values[id(child)] for child in node.children]
            values[id(node)] = node.compute(x, params, args)
        out = np.broadcast_to(np.asarray(values[id(root)], dtype=np.float64), x.shape)
        # A NaN input stays NaN even where the formula ignores x (e.g. a where() branch or a constant).
        return np.where(np.isnan(x), np.nan, out)


def differentiate(root: Node) -> Node:
    derivatives: dict[int, Node | None] = {}
    for node in _postorder(root):
        if node.is_condition:
            derivatives[id(node)] = None
        else:
            derivatives[id(node)] = node.differentiate([derivatives[id(child)] for child in node.children])
    result = derivatives[id(root)]
    assert result is not None
    return result


# -- printing a tree (for showing the derivative) ------------------------------------------------------------
_ATOM = 9
_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "compare": 4, "+": 5, "-": 5, "*": 6, "/": 6, "unary": 7, "**": 8}


def _format_number(value: float) -> str:
    if math.isfinite(value) and value == int(value) and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def to_text(root: Node) -> str:
    """The tree written back as a formula, with only the parentheses it needs."""
    texts: dict[int, tuple[str, int]] = {}  # node id -> (text, precedence of its outermost operator)
    unary = _PRECEDENCE["unary"]

    def operand(child: Node, parenthesize_below: int, parenthesize_equal: bool = False) -> str:
        text, precedence = texts[id(child)]
        if precedence < parenthesize_below or (parenthesize_equal and precedence == parenthesize_below):
            return f"({text})"
        return text

    for node in _postorder(root):
        if isinstance(node, Number):
            text = node.name or _format_number(node.value)
            entry = (text, unary if text.startswith("-") else _ATOM)
        elif isinstance(node, Variable):
            entry = ("x", _ATOM)
        elif isinstance(node, Parameter):
            entry = (node.name, _ATOM)
        elif isinstance(node, Negate):
            entry = ("-" + operand(node.operand, unary), unary)
        elif isinstance(node, Not):
            entry = ("not " + operand(node.operand, _PRECEDENCE["not"]), _PRECEDENCE["not"])
        elif isinstance(node, Arithmetic | Logical | Comparison):
            op = node.op
            own = _PRECEDENCE["compare"] if isinstance(node, Comparison) else _PRECEDENCE[op]
            if op == "**":  # right-associative; the exponent may carry a sign
                left, right = operand(node.left, own, True), operand(node.right, unary)
            else:  # left-associative; comparisons never chain when printed
                left = operand(node.left, own, isinstance(node, Comparison))
                right = operand(node.right, own, True)
            entry = (f"{left}{op}{right}" if op in ("*", "/", "**") else f"{left} {op} {right}", own)
        elif isinstance(node, ActivationCall):
            name = node.activation.name + ("'" if node.derivative else "")
            entry = (f"{name}({texts[id(node.arg)][0]})", _ATOM)
        elif isinstance(node, Call):
            entry = (f"{node.function}({', '.join(texts[id(a)][0] for a in node.args)})", _ATOM)
        else:  # pragma: no cover
            raise AssertionError(f"cannot print {node!r}")
        texts[id(node)] = entry
    return texts[id(root)][0]
