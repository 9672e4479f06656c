"""What every hostile-input test here asserts about an error, and the hostile files they write."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def assert_one_line(error: BaseException, path: Path | str, *words: str) -> str:
    """The error is one line that names ``path`` and contains each of ``words`` (the fault and what is allowed)."""
    text = str(error)
    assert "\n" not in text, text
    assert str(path) in text, f"{path} not named in: {text}"
    for word in words:
        assert word in text, f"{word!r} not in: {text}"
    return text


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    """YAML anchors ``a0`` .. ``a<levels-1>``, each a list of ``width`` aliases of the one before: ``a8`` expands to
    10**8 strings (about 10 GB as JSON) from about 500 bytes."""
    lines = ['  a0: &a0 "lol"']
    for i in range(1, levels):
        lines.append(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "anchors:\n" + "\n".join(lines) + "\n"


def deep_json(levels: int) -> str:
    return "[" * levels + "]" * levels


def deep_yaml(levels: int) -> str:
    return "x: " + "[" * levels + "]" * levels + "\n"


@contextmanager
def no_hang(seconds: int = 20) -> Iterator[None]:
    """A guard, not a timing assertion: a reader that blocks (on a FIFO) fails the test instead of hanging the suite."""

    def fail(signum: int, frame: object) -> None:
        raise AssertionError(f"the read blocked for {seconds} s")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


DEV_ZERO = Path("/dev/zero")
