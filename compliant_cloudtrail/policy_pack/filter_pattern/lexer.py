"""Splits the body of a JSON filter pattern into tokens that remember where they started."""

from __future__ import annotations

from typing import Literal, NamedTuple

from .errors import FilterPatternError

Kind = Literal["{", "}", "(", ")", "&&", "||", "op", "selector", "word", "string", "regex", "end"]

# Unquoted values: the AWS guide asks for quotes around anything but alphanumerics, yet its own
# examples leave IP prefixes (123.123.*), service names (kms.amazonaws.com) and signed numbers
# unquoted, so those punctuation marks are accepted too.
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.*+-:/")
# Selector characters are scanned generously so that the parser can explain what is wrong
# (a wildcard, a missing index) instead of stopping at the first odd character.
_SELECTOR_CHARS = _WORD_CHARS | frozenset("$[]")


class Token(NamedTuple):
    kind: Kind
    text: str
    position: int
    # For "string": literal runs with None for an unescaped ``*``.
    parts: tuple[str | None, ...] = ()


def tokenize(source: str, start: int, stop: int) -> list[Token]:
    """Tokens of ``source[start:stop]``; positions are offsets in the whole ``source``."""
    tokens: list[Token] = []
    i = start
    while i < stop:
        ch = source[i]
        if ch.isspace():
            i += 1
        elif ch in "{}()":
            tokens.append(Token(ch, ch, i))  # type: ignore[arg-type]
            i += 1
        elif ch in "&|":
            if source.startswith(ch * 2, i):
                tokens.append(Token(ch * 2, ch * 2, i))  # type: ignore[arg-type]
                i += 2
            else:
                raise FilterPatternError(f"expected '{ch * 2}'", i, source)
        elif ch == "!":
            if not source.startswith("!=", i):
                raise FilterPatternError("expected '!='", i, source)
            tokens.append(Token("op", "!=", i))
            i += 2
        elif ch in "<>":
            op = source[i : i + 2] if source.startswith("=", i + 1) else ch
            tokens.append(Token("op", op, i))
            i += len(op)
        elif ch == "=":
            tokens.append(Token("op", "=", i))
            i += 1
        elif ch == "$":
            j = _scan(source, i, stop, _SELECTOR_CHARS)
            tokens.append(Token("selector", source[i:j], i))
            i = j
        elif ch == '"':
            token, i = _quoted(source, i, stop)
            tokens.append(token)
        elif ch == "%":
            end = source.find("%", i + 1, stop)
            if end < 0:
                raise FilterPatternError("expected a closing '%' for the regular expression", stop, source)
            tokens.append(Token("regex", source[i + 1 : end], i))
            i = end + 1
        elif ch in _WORD_CHARS:
            j = _scan(source, i, stop, _WORD_CHARS)
            tokens.append(Token("word", source[i:j], i))
            i = j
        else:
            raise FilterPatternError(
                f"expected a selector, an operator, a value or a parenthesis, not {ch!r} "
                "(values with characters other than letters, digits and . _ - + * : / need double quotes)",
                i,
                source,
            )
    tokens.append(Token("end", "", stop))
    return tokens


def _scan(source: str, i: int, stop: int, allowed: frozenset[str]) -> int:
    while i < stop and source[i] in allowed:
        i += 1
    return i


def _quoted(source: str, start: int, stop: int) -> tuple[Token, int]:
    """A double-quoted value; a backslash makes the next character literal (``\\"``, ``\\*``)."""
    parts: list[str | None] = []
    run: list[str] = []
    i = start + 1
    while i < stop:
        ch = source[i]
        if ch == '"':
            if run:
                parts.append("".join(run))
            return Token("string", source[start : i + 1], start, tuple(parts)), i + 1
        if ch == "\\" and i + 1 < stop:
            run.append(source[i + 1])
            i += 2
            continue
        if ch == "*":
            if run:
                parts.append("".join(run))
                run = []
            parts.append(None)
        else:
            run.append(ch)
        i += 1
    raise FilterPatternError("expected a closing '\"'", stop, source)
