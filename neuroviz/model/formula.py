"""Custom activation formulas such as ``x * sigmoid(beta * x)``, parsed and evaluated safely.

The tutorials end with "create your own activation"; this module lets a person type one and watch it.
A formula (or a shared file holding one) must never be able to run code, so the text is never given to
``eval``, ``exec``, ``compile`` or Python's ``ast``: a small tokenizer and a precedence-climbing parser
accept a whitelist (numbers, ``x``, declared parameters, ``+ - * / **``, comparisons, ``and/or/not``,
parentheses and a fixed set of NumPy-backed functions) and build a tree of the node classes below.
Everything else is a :class:`FormulaError` that says what is wrong and at which column.

The derivative is exact: the tree is differentiated symbolically once, at parse time. Both trees are evaluated
iteratively (no recursion, so a long formula cannot exhaust the stack), vectorised over arrays of any shape.

Pure NumPy: this module never imports Qt.
"""

from __future__ import annotations

import difflib
import keyword
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from neuroviz.model import activations
from neuroviz.model.activations import Activation, Param
from neuroviz.model.errors import FormulaError

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
#: Deepest nesting of parentheses, calls, signs and exponents.
MAX_NESTING = 50
#: Most values and operations in one formula.
MAX_NODES = 300
#: Largest magnitude of a parameter's editor range (defaults beyond it leave the range unbounded).
PARAM_LIMIT = 1e6


# -- the tree ------------------------------------------------------------------------------------------------
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


_COMPARISONS: dict[str, Callable[[Any, Any], Any]] = {
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
        return _COMPARISONS[self.op](args[0], args[1])


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
_RESERVED_CONSTANTS = {"pi": math.pi}

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


def _evaluate(root: Node, x: np.ndarray, params: Mapping[str, float]) -> np.ndarray:
    """Vectorised value of the tree at ``x``; shared sub-trees are computed once."""
    values: dict[int, Any] = {}
    with np.errstate(all="ignore"):
        for node in _postorder(root):
            args = [values[id(child)] for child in node.children]
            values[id(node)] = node.compute(x, params, args)
        out = np.broadcast_to(np.asarray(values[id(root)], dtype=np.float64), x.shape)
        # A NaN input stays NaN even where the formula ignores x (e.g. a where() branch or a constant).
        return np.where(np.isnan(x), np.nan, out)


def _differentiate(root: Node) -> Node:
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


# -- tokenizer -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    position: int


_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = ("**", "<=", ">=", "==", "!=", "+", "-", "*", "/", "(", ")", ",", "<", ">")
_LOGICAL_WORDS = ("and", "or", "not")

#: Characters a formula never needs, with the reason the user is told.
_REFUSED_CHARACTERS = {
    "'": "quotes are not allowed: a formula has no strings",
    '"': "quotes are not allowed: a formula has no strings",
    "[": "square brackets are not allowed: a formula has no lists or subscripts",
    "]": "square brackets are not allowed: a formula has no lists or subscripts",
    "{": "braces are not allowed",
    "}": "braces are not allowed",
    ";": "';' is not allowed: a formula is a single expression",
    ":": "':' is not allowed: a formula has no lambdas, slices or ':='",
    "=": "'=' is not allowed: a formula has no assignments or keyword arguments (compare with '==')",
    ".": "'.' is only allowed inside a number: a formula has no attribute access",
    "\\": "backslashes are not allowed",
    "#": "'#' is not allowed: a formula has no comments",
    "%": "'%' is not supported",
    "^": "'^' is not allowed: write powers as a**b",
    "&": "'&' is not allowed: combine conditions with 'and'",
    "|": "'|' is not allowed: combine conditions with 'or'",
    "~": "'~' is not allowed: negate conditions with 'not'",
    "!": "'!' is not allowed: negate conditions with 'not' (or compare with '!=')",
}


def _describe_character(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{code} {name}" if name else code


def _check_characters(text: str) -> None:
    """Refuse look-alike letters (only ASCII is allowed), line breaks and control characters up front."""
    for i, char in enumerate(text):
        if not char.isascii():
            raise FormulaError(
                f"character {char!r} ({_describe_character(char)}) is not allowed",
                i,
                "formulas use plain ASCII letters, digits and operators only",
            )
        if char in "\n\r":
            raise FormulaError("line breaks are not allowed", i, "a formula is one line")
        if char != "\t" and not char.isprintable():
            raise FormulaError(f"control character {_describe_character(char)} is not allowed", i)


def _tokenize(text: str) -> list[_Token]:
    _check_characters(text)
    tokens: list[_Token] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char in " \t":
            i += 1
            continue
        number = _NUMBER.match(text, i)
        if number:
            end = number.end()
            if end < n and (text[end].isalnum() or text[end] in "_."):
                raise FormulaError(
                    f"unexpected {text[end]!r} right after the number {number.group()!r}",
                    end,
                    "put an operator between a number and what follows, e.g. 2*x",
                )
            value = float(number.group())
            if not math.isfinite(value):
                raise FormulaError(f"the number {number.group()!r} is too large", i)
            tokens.append(_Token("number", number.group(), i))
            i = end
            continue
        name = _NAME.match(text, i)
        if name:
            word = name.group()
            if "__" in word:
                raise FormulaError(f"the name {word!r} is not allowed: names may not contain '__'", i)
            if keyword.iskeyword(word) and word not in _LOGICAL_WORDS:
                hint = "use where(condition, a, b)" if word in ("if", "else") else "a formula is one expression"
                raise FormulaError(f"the Python keyword {word!r} is not allowed", i, hint)
            tokens.append(_Token("name", word, i))
            i = name.end()
            continue
        if text.startswith("//", i):
            raise FormulaError("'//' (floor division) is not supported", i, "use '/'")
        operator = next((op for op in _OPERATORS if text.startswith(op, i)), None)
        if operator is not None:
            tokens.append(_Token("op", operator, i))
            i += len(operator)
            continue
        raise FormulaError(_REFUSED_CHARACTERS.get(char, f"the character {char!r} is not allowed"), i)
    tokens.append(_Token("end", "", n))
    return tokens


# -- parser --------------------------------------------------------------------------------------------------
_INFIX_PRECEDENCE = {
    "or": 1,
    "and": 2,
    **dict.fromkeys(_COMPARISONS, 4),
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "**": 8,
}
_UNARY_PRECEDENCE = 7
_NOT_PRECEDENCE = 3


def _registered_activation(name: str) -> Activation | None:
    """The registered activation called exactly ``name``; layer-wide ones are refused by the caller."""
    if name not in activations.names():
        return None
    return activations.get(name)


class _Parser:
    """Precedence climbing over the token list; builds the tree and checks numbers versus conditions."""

    def __init__(self, text: str, params: Mapping[str, float]) -> None:
        self.text = text
        self.params = params
        self.tokens = _tokenize(text)
        self.index = 0
        self.nesting = 0
        self.nodes = 0

    # -- helpers
    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def new(self, node: Node) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise FormulaError(
                f"the formula is too big (more than {MAX_NODES} values and operations)",
                self.tokens[self.index - 1].position,
            )
        return node

    def enter(self, position: int) -> None:
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise FormulaError(f"the formula is nested too deeply (more than {MAX_NESTING} levels)", position)

    def leave(self) -> None:
        self.nesting -= 1

    def need_number(self, node: Node, where: str) -> Node:
        if node.is_condition:
            raise FormulaError(
                f"a condition cannot be used as a number {where}",
                node.position,
                "turn it into a number with where(condition, a, b)",
            )
        return node

    def need_condition(self, node: Node, where: str) -> Node:
        if not node.is_condition:
            raise FormulaError(f"{where} must be a condition such as x > 0", node.position)
        return node

    # -- grammar
    def parse(self) -> Node:
        if self.token.kind == "end":
            raise FormulaError("the formula is empty", 0, "type an expression of x, e.g. x * sigmoid(x)")
        root = self.expression(0)
        token = self.token
        if token.kind != "end":
            if token.text == ")":
                raise FormulaError("unmatched ')'", token.position)
            raise FormulaError(f"unexpected {token.text!r}", token.position, "is an operator missing before it?")
        return self.need_number(root, "as the result of the formula")

    def expression(self, min_precedence: int) -> Node:
        left = self.prefix()
        while True:
            token = self.token
            op = token.text if token.kind in ("op", "name") else None
            precedence = _INFIX_PRECEDENCE.get(op) if op else None
            if precedence is None or precedence < min_precedence:
                return left
            self.advance()
            if op in _COMPARISONS:
                left = self.comparison_chain(left, token)
            elif op in ("and", "or"):
                right = self.expression(precedence + 1)
                self.need_condition(left, f"the left side of '{op}'")
                self.need_condition(right, f"the right side of '{op}'")
                left = self.new(Logical(op, left, right, position=left.position))
            elif op == "**":  # right-associative, and the exponent may carry a sign: 2**-x
                self.enter(token.position)
                right = self.expression(_UNARY_PRECEDENCE)
                self.leave()
                left = self.arithmetic(op, left, right)
            else:
                left = self.arithmetic(op, left, self.expression(precedence + 1))

    def arithmetic(self, op: str, left: Node, right: Node) -> Node:
        self.need_number(left, f"on the left of '{op}'")
        self.need_number(right, f"on the right of '{op}'")
        return self.new(Arithmetic(op, left, right, position=left.position))

    def comparison_chain(self, left: Node, first: _Token) -> Node:
        """``a < b <= c`` means ``a < b and b <= c``, as in Python."""
        operands = [left]
        operators = [first]
        while True:
            operands.append(self.expression(_INFIX_PRECEDENCE["+"]))
            if self.token.text not in _COMPARISONS or self.token.kind != "op":
                break
            operators.append(self.advance())
        for operand in operands:
            self.need_number(operand, f"in a comparison ('{first.text}')")
        result: Node | None = None
        for op, a, b in zip(operators, operands, operands[1:], strict=False):
            compare = self.new(Comparison(op.text, a, b, position=a.position))
            result = compare if result is None else self.new(Logical("and", result, compare, position=left.position))
        assert result is not None
        return result

    def prefix(self) -> Node:
        token = self.advance()
        if token.kind == "number":
            return self.new(Number(float(token.text), position=token.position))
        if token.kind == "name":
            return self.name(token)
        if token.kind == "end":
            before = self.tokens[self.index - 2].text if self.index >= 2 else ""
            raise FormulaError(f"the formula ends too early: a value is missing after {before!r}", token.position)
        op = token.text
        if op in ("-", "+"):
            self.enter(token.position)
            operand = self.need_number(self.expression(_UNARY_PRECEDENCE), f"after unary '{op}'")
            self.leave()
            if op == "+":
                return operand
            return self.new(Negate(operand, position=token.position))
        if op == "(":
            self.enter(token.position)
            if self.token.text == ")":
                raise FormulaError("empty parentheses", token.position, "put an expression inside")
            inner = self.expression(0)
            self.expect_closing(token)
            self.leave()
            return inner
        if op == ")":
            raise FormulaError("a value is missing before ')'", token.position)
        if op == ",":
            raise FormulaError("unexpected ','", token.position, "commas only separate a function's arguments")
        raise FormulaError(f"'{op}' needs a value on its left", token.position)

    def expect_closing(self, opening: _Token) -> None:
        token = self.token
        if token.text == ")" and token.kind == "op":
            self.advance()
            return
        if token.kind == "end":
            raise FormulaError(
                "missing ')'", token.position, f"the '(' at column {opening.position + 1} is never closed"
            )
        raise FormulaError(f"unexpected {token.text!r}", token.position, "is an operator or ')' missing before it?")

    def name(self, token: _Token) -> Node:
        word = token.text
        called = self.token.kind == "op" and self.token.text == "("
        if word == "not":
            self.enter(token.position)
            operand = self.need_condition(self.expression(_NOT_PRECEDENCE), "the operand of 'not'")
            self.leave()
            return self.new(Not(operand, position=token.position))
        if word in ("and", "or"):
            raise FormulaError(f"'{word}' needs a condition on its left", token.position)
        if word in FUNCTIONS:
            return self.call(token, None)
        if word == "x" or word in _RESERVED_CONSTANTS or word in self.params:
            if called:
                what = "the input" if word == "x" else "a parameter" if word in self.params else "a constant"
                raise FormulaError(f"{word!r} is {what}, not a function", token.position)
            if word == "x":
                return self.new(Variable(position=token.position))
            if word in self.params:
                return self.new(Parameter(word, position=token.position))
            return self.new(Number(_RESERVED_CONSTANTS[word], name=word, position=token.position))
        activation = _registered_activation(word)
        if activation is not None:
            return self.call(token, activation)
        raise self.unknown_name(token)

    def unknown_name(self, token: _Token) -> FormulaError:
        known = ["x", *_RESERVED_CONSTANTS, *self.params, *FUNCTIONS, *activations.names()]
        close = difflib.get_close_matches(token.text, known, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        if not hint:
            hint = "a formula can use x, its parameters, numbers and functions such as exp, tanh, where"
        return FormulaError(f"unknown name {token.text!r}", token.position, hint)

    def call(self, name: _Token, activation: Activation | None) -> Node:
        if not (self.token.kind == "op" and self.token.text == "("):
            raise FormulaError(f"{name.text!r} is a function", name.position, f"call it: {name.text}(...)")
        opening = self.advance()
        self.enter(opening.position)
        args: list[Node] = []
        if self.token.text != ")":
            while True:
                args.append(self.expression(0))
                if self.token.text != "," or self.token.kind != "op":
                    break
                self.advance()
        self.expect_closing(opening)
        self.leave()
        word = name.text
        if activation is not None:
            return self.activation_call(name, activation, args)
        arity = FUNCTIONS[word][0]
        if len(args) != arity:
            plural = "argument" if arity == 1 else "arguments"
            raise FormulaError(f"{word} takes {arity} {plural}, got {len(args)}", name.position)
        if word == "where":
            self.need_condition(args[0], "the first argument of where")
            for arg in args[1:]:
                self.need_number(arg, "as a branch of where")
        else:
            for arg in args:
                self.need_number(arg, f"as an argument of {word}")
        if word == "clip":  # clip(u, low, high) = minimum(maximum(u, low), high)
            u, low, high = args
            inner = self.new(Call("maximum", (u, low), position=name.position))
            return self.new(Call("minimum", (inner, high), position=name.position))
        return self.new(Call(word, tuple(args), position=name.position))

    def activation_call(self, name: _Token, activation: Activation, args: list[Node]) -> Node:
        if not activation.elementwise:
            raise FormulaError(
                f"{name.text!r} acts on a whole layer, so it cannot be used in a formula",
                name.position,
                "only elementwise activations can be called",
            )
        if len(args) != 1:
            raise FormulaError(f"{name.text} takes 1 argument, got {len(args)}", name.position)
        try:
            activation.validate()
        except ValueError:
            raise FormulaError(
                f"{name.text!r} has parameters without defaults, so it cannot be called in a formula",
                name.position,
            ) from None
        self.need_number(args[0], f"as the argument of {name.text}")
        return self.new(ActivationCall(activation, args[0], position=name.position))


#: Names Activation's methods take as plain arguments besides ``x`` (``act.jvp(x, v, **params)``,
#: ``act.validate(**params)`` on ``self``); a parameter of that name could not be given by keyword, so it is refused.
_RESERVED_PARAMETER_NAMES = ("self", "v")


# -- parameters ----------------------------------------------------------------------------------------------
def _check_param_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise FormulaError(f"parameter name {name!r} is not an identifier (letters, digits and '_', ASCII only)")
    if "__" in name:
        raise FormulaError(f"parameter name {name!r} may not contain '__'")
    if name == "x":
        raise FormulaError("'x' is the input and cannot be a parameter name")
    if name in FUNCTIONS or name in activations.names():
        raise FormulaError(f"parameter name {name!r} is a function name")
    if name in _RESERVED_PARAMETER_NAMES:
        raise FormulaError(f"parameter name {name!r} is reserved: an activation's methods take {name!r} themselves")
    if name in _RESERVED_CONSTANTS or keyword.iskeyword(name):
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
        return _evaluate(self.expression, _as_array(x), self._values(params))

    def derivative(self, x: Any, /, **params: Any) -> np.ndarray:
        """f'(x), from the symbolically differentiated tree."""
        return _evaluate(self.derivative_expression, _as_array(x), self._values(params))

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
    expression = _Parser(text, checked).parse()
    return Formula(text, MappingProxyType(checked), expression, _differentiate(expression))


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
