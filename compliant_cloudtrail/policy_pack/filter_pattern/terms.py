"""Term patterns for unstructured lines: ``ERROR``, ``"exact phrase"``, ``-excluded``, ``?either ?or``.

Every plain term must appear, no excluded term may appear, and when ``?`` terms are present at
least one of them must appear. Terms match anywhere in the line (``ERROR`` matches ``ERRORCODE``),
case-sensitively.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import FilterPatternError
from .json_parser import check_regex

_BARE_TERM = re.compile(r"[A-Za-z0-9_]+")


def compile_terms(source: str) -> Callable[[str], bool]:
    stripped = source.strip()
    if len(stripped) >= 2 and stripped[0] == "%" and stripped[-1] == "%":
        start = source.index("%")
        search = re.compile(check_regex(stripped[1:-1], start + 1, source)).search
        return lambda line: search(line) is not None
    required, excluded, optional = _split_terms(source)

    def matches(line: str) -> bool:
        return (
            all(term in line for term in required)
            and not any(term in line for term in excluded)
            and (not optional or any(term in line for term in optional))
        )

    return matches


def _split_terms(source: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    buckets: dict[str, list[str]] = {"": [], "-": [], "?": []}
    i, end = 0, len(source)
    while i < end:
        if source[i].isspace():
            i += 1
            continue
        prefix = ""
        if source[i] in "-?":
            prefix = source[i]
            i += 1
            # The AWS guide writes an exclusion as "ERROR" - "Exiting", with a space after the minus.
            while i < end and source[i].isspace():
                i += 1
            if i == end:
                raise FilterPatternError(f"expected a term after '{prefix}'", i, source)
        term, i = _term(source, i)
        buckets[prefix].append(term)
    return tuple(buckets[""]), tuple(buckets["-"]), tuple(buckets["?"])


def _term(source: str, i: int) -> tuple[str, int]:
    if source[i] == '"':
        chars: list[str] = []
        j = i + 1
        while j < len(source):
            if source[j] == "\\" and j + 1 < len(source):
                chars.append(source[j + 1])
                j += 2
            elif source[j] == '"':
                return "".join(chars), j + 1
            else:
                chars.append(source[j])
                j += 1
        raise FilterPatternError("expected a closing '\"'", len(source), source)
    bare = _BARE_TERM.match(source, i)
    if bare is None:
        raise FilterPatternError(
            f"expected a term of letters, digits or '_' (put {source[i]!r} inside double quotes)", i, source
        )
    after = bare.end()
    if after < len(source) and not source[after].isspace():
        raise FilterPatternError(
            f"expected a space after the term (put {source[after]!r} inside double quotes)", after, source
        )
    return bare.group(), after
