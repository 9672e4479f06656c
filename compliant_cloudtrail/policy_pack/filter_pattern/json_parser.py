"""Recursive-descent parser for JSON filter patterns: ``{ <condition> && <condition> || ... }``.

Precedence follows the AWS guide: parentheses, then ``&&``, then ``||``.
"""

from __future__ import annotations

import re
from typing import cast

from .errors import FilterPatternError
from .lexer import Token, tokenize
from .nodes import (
    And,
    Check,
    Comparison,
    Node,
    NumberValue,
    Operator,
    Or,
    RegexValue,
    Selector,
    Step,
    Test,
    TextValue,
    Value,
)

# The number forms the AWS guide lists: optional sign, integer or decimal, optional exponent.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z0-9_-]+")
_INDEX = re.compile(r"\[(\d+)\]")
# What the guide allows inside %...%: letters, digits, a few symbols and regex operators; it
# rejects parentheses outright. A space is allowed because AWS's own CDK examples use one.
_REGEX_ALLOWED = re.compile(r"[A-Za-z0-9:_#=@/;,\-^$?\[\]{}|\\*+. ]*")
MAX_REGEXES = 2
# AWS documents no nesting limit, but its 1024-character limit allows about 500 levels, which would exhaust
# Python's recursion here (three frames a level) and in evaluation; no real pattern comes near 100.
MAX_NESTING = 100


class JsonPatternParser:
    def __init__(self, source: str, open_brace: int) -> None:
        self.source = source
        self.tokens = tokenize(source, open_brace + 1, len(source))
        self.index = 0
        self.regex_count = 0
        self.depth = 0

    def parse(self) -> Node:
        node = self._or()
        token = self._next()
        if token.kind != "}":
            expected = "'(' before this ')'" if token.kind == ")" else "'&&', '||' or the closing '}'"
            raise self._error(f"expected {expected}", token)
        trailing = self._next()
        if trailing.kind != "end":
            raise self._error("expected nothing after the closing '}'", trailing)
        return node

    def _peek(self) -> Token:
        return self.tokens[self.index]

    def _next(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _error(self, message: str, token: Token) -> FilterPatternError:
        return FilterPatternError(message, token.position, self.source)

    def _or(self) -> Node:
        parts = [self._and()]
        while self._peek().kind == "||":
            self._next()
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def _and(self) -> Node:
        parts = [self._primary()]
        while self._peek().kind == "&&":
            self._next()
            parts.append(self._primary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def _primary(self) -> Node:
        token = self._next()
        if token.kind == "(":
            self.depth += 1
            if self.depth > MAX_NESTING:
                raise self._error(f"expected at most {MAX_NESTING} nested parentheses", token)
            node = self._or()
            self.depth -= 1
            closing = self._next()
            if closing.kind != ")":
                raise self._error("expected ')'", closing)
            return node
        if token.kind == "selector":
            return self._condition(self._selector(token))
        raise self._error("expected a selector starting with '$.' or '('", token)

    def _selector(self, token: Token) -> Selector:
        text = token.text
        steps: list[Step] = []
        i = 1
        while i < len(text):
            if text[i] == ".":
                name = _NAME.match(text, i + 1)
                if name is None:
                    what = "expected a property name (wildcard selectors such as '$.*' are not supported)"
                    if i + 1 >= len(text) or text[i + 1] != "*":
                        what = "expected a property name (letters, digits, '-' or '_')"
                    raise FilterPatternError(what, token.position + i + 1, self.source)
                steps.append(name.group())
                i = name.end()
            elif text[i] == "[" and steps:
                index = _INDEX.match(text, i)
                if index is None:
                    raise FilterPatternError("expected an array index like [0]", token.position + i, self.source)
                steps.append(int(index.group(1)))
                i = index.end()
            else:
                what = "expected '.' and a property name" if not steps else "expected '.name' or '[index]'"
                raise FilterPatternError(what, token.position + i, self.source)
        if not steps:
            raise FilterPatternError("expected '.' and a property name after '$'", token.position + 1, self.source)
        return Selector(tuple(steps), text)

    def _condition(self, selector: Selector) -> Node:
        token = self._next()
        if token.kind == "op":
            return Comparison(selector, cast(Operator, token.text), self._value(token))
        keyword = token.text.upper() if token.kind == "word" else ""
        if keyword == "IS":
            what = self._next()
            check = "IS " + what.text.upper()
            if what.kind != "word" or check not in ("IS NULL", "IS TRUE", "IS FALSE"):
                raise self._error("expected NULL, TRUE or FALSE after IS", what)
            return Test(selector, cast(Check, check))
        if keyword == "NOT":
            what = self._next()
            if what.kind != "word" or what.text.upper() != "EXISTS":
                raise self._error("expected EXISTS after NOT", what)
            return Test(selector, "NOT EXISTS")
        raise self._error("expected an operator (= != < > <= >=), IS NULL, IS TRUE, IS FALSE or NOT EXISTS", token)

    def _value(self, operator: Token) -> Value:
        token = self._next()
        relational = operator.text not in ("=", "!=")
        if token.kind == "word" and _NUMBER.fullmatch(token.text):
            return NumberValue(_number(token.text), token.text)
        if relational:
            raise self._error(f"expected a number after '{operator.text}'", token)
        if token.kind == "word":
            return TextValue(_unquoted_parts(token.text), token.text)
        if token.kind == "string":
            return TextValue(token.parts, token.text)
        if token.kind == "regex":
            return self._regex(token)
        raise self._error(f"expected a value after '{operator.text}'", token)

    def _regex(self, token: Token) -> RegexValue:
        self.regex_count += 1
        if self.regex_count > MAX_REGEXES:
            raise self._error(f"expected at most {MAX_REGEXES} %regex% values in one pattern", token)
        return RegexValue(check_regex(token.text, token.position + 1, self.source))


def check_regex(body: str, position: int, source: str) -> str:
    """Reject what AWS rejects in ``%...%`` and what Python cannot compile."""
    if not body:
        raise FilterPatternError("expected a regular expression between the '%' signs", position, source)
    allowed = _REGEX_ALLOWED.match(body)
    end = allowed.end() if allowed else 0
    if end < len(body):
        bad = body[end]
        why = "parentheses are not supported in %regex%" if bad in "()" else f"{bad!r} is not supported in %regex%"
        raise FilterPatternError(f"expected a supported regex character ({why})", position + end, source)
    try:
        re.compile(body)
    except re.error as exc:
        offset = exc.pos if exc.pos is not None else 0
        raise FilterPatternError(
            f"expected a valid regular expression ({exc.msg})", position + offset, source
        ) from None
    except OverflowError:  # a repeat count such as {4294967296}, beyond what the regex engine can hold
        raise FilterPatternError("expected a regex repeat count below 4294967295", position, source) from None
    return body


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _unquoted_parts(text: str) -> tuple[str | None, ...]:
    parts: list[str | None] = []
    for i, run in enumerate(text.split("*")):
        if i:
            parts.append(None)
        if run:
            parts.append(run)
    return tuple(parts)
