"""The tokenizer and parser of custom activation formulas: text in, a tree of formula_tree nodes out.

The text is never given to ``eval``, ``exec``, ``compile`` or Python's ``ast``: a small tokenizer and a
precedence-climbing parser accept a whitelist and raise :class:`FormulaError` for everything else, naming what is
wrong and at which column.

Pure NumPy: this module never imports Qt.
"""

from __future__ import annotations

import difflib
import keyword
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from neuroviz.model import activations
from neuroviz.model.activations import Activation
from neuroviz.model.errors import FormulaError
from neuroviz.model.formula_tree import (
    COMPARISONS,
    FUNCTIONS,
    RESERVED_CONSTANTS,
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
)

#: Deepest nesting of parentheses, calls, signs and exponents.
MAX_NESTING = 50
#: Most values and operations in one formula.
MAX_NODES = 300


# -- tokenizer -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    position: int


_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
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
        name = NAME_PATTERN.match(text, i)
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
    **dict.fromkeys(COMPARISONS, 4),
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


class Parser:
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
            if op in COMPARISONS:
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
            if self.token.text not in COMPARISONS or self.token.kind != "op":
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
        if word == "x" or word in RESERVED_CONSTANTS or word in self.params:
            if called:
                what = "the input" if word == "x" else "a parameter" if word in self.params else "a constant"
                raise FormulaError(f"{word!r} is {what}, not a function", token.position)
            if word == "x":
                return self.new(Variable(position=token.position))
            if word in self.params:
                return self.new(Parameter(word, position=token.position))
            return self.new(Number(RESERVED_CONSTANTS[word], name=word, position=token.position))
        activation = _registered_activation(word)
        if activation is not None:
            return self.call(token, activation)
        raise self.unknown_name(token)

    def unknown_name(self, token: _Token) -> FormulaError:
        known = ["x", *RESERVED_CONSTANTS, *self.params, *FUNCTIONS, *activations.names()]
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
