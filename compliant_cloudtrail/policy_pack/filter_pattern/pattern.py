"""``parse()``: decides which kind of pattern a text is, and the compiled ``FilterPattern``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .errors import FilterPatternError
from .evaluate import compile_node
from .json_parser import JsonPatternParser
from .terms import compile_terms

MAX_LENGTH = 1024


class FilterPattern:
    """A CloudWatch Logs filter pattern, parsed and compiled once, evaluated many times."""

    __slots__ = ("_matches", "kind", "text")

    def __init__(self, text: str, kind: str, matches: Callable[[Any], bool]) -> None:
        self.text = text
        #: "json" for ``{ ... }`` patterns, "terms" for term and ``%regex%`` patterns.
        self.kind = kind
        self._matches = matches

    def matches(self, event: Any) -> bool:
        """Whether CloudWatch Logs would count ``event``.

        ``event`` is a parsed JSON object or a raw log line. A JSON pattern parses a line as JSON
        and never matches a line that is not a JSON object; a term pattern sees a parsed object as
        its compact JSON text, the way CloudTrail writes it to the log group.
        """
        return self._matches(event)

    def __repr__(self) -> str:
        return f"FilterPattern({self.text!r})"


def parse(text: str) -> FilterPattern:
    if not isinstance(text, str):
        raise FilterPatternError(f"expected the pattern as a str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FilterPatternError(
            f"expected at most {MAX_LENGTH} characters (the pattern has {len(text)})", MAX_LENGTH, text
        )
    stripped = text.lstrip()
    start = len(text) - len(stripped)
    if stripped.startswith("{"):
        predicate = compile_node(JsonPatternParser(text, start).parse())
        return FilterPattern(text, "json", _on_json(predicate))
    if stripped.startswith("["):
        raise FilterPatternError(
            "expected a JSON pattern ({ ... }) or a term pattern; space-delimited [ ... ] patterns "
            "are not supported by this engine",
            start,
            text,
        )
    return FilterPattern(text, "terms", _on_text(compile_terms(text)))


def _on_json(predicate: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def matches(event: Any) -> bool:
        if isinstance(event, str):
            try:
                event = json.loads(event)
            except ValueError:
                return False
        # A JSON pattern only applies to JSON objects; on anything else even NOT EXISTS is false.
        return type(event) is dict and predicate(event)

    return matches


def _on_text(predicate: Callable[[str], bool]) -> Callable[[Any], bool]:
    def matches(event: Any) -> bool:
        if not isinstance(event, str):
            event = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        return predicate(event)

    return matches
