"""A progress line on stderr while a large program is checked, so a long check is not mistaken for a hang.

Small programs (the usual stack of tens of resources) finish in a couple of seconds and print nothing: the
report is all the user needs. From :data:`LARGE_PROGRAM` resources on, each phase is announced, and the
per-resource ``Analyze`` calls are counted: in place on a terminal, and at every tenth on a log (CI output
keeps every line, so redrawing there would flood it).

The line goes to stderr, never stdout, so ``--json`` output stays one JSON object.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["LARGE_PROGRAM", "ProgressLine", "StacksProgress"]

#: Resources from which a check reports progress; the example stack has about 50, a landing zone thousands.
LARGE_PROGRAM = 200

_PREFIX = "checking:"
_MILESTONES = (LARGE_PROGRAM, 500, 1000, 2000, 5000, 10000)


class ProgressLine:
    """Receives the check's phases (see :func:`.cli.run_check`) and shows them on ``stream``."""

    def __init__(self, stream: TextIO | None = None, *, threshold: int = LARGE_PROGRAM) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._threshold = threshold
        self._redraw = self._stream.isatty()
        self._started = time.monotonic()
        self._shown = False
        self._last_tenth = -1
        self._active = False

    def registered(self, count: int) -> None:
        """Called by the engine after each registration, while the program runs (from its server's threads)."""
        if count < self._threshold:
            return
        if self._redraw:
            if count % 50 == 0:
                self._stream.write(f"\r{_PREFIX} running the program: {count} resources registered ({self._elapsed()})")
                self._stream.flush()
                self._shown = True
        elif count in _MILESTONES or (count > _MILESTONES[-1] and count % _MILESTONES[-1] == 0):
            # On a log every line stays: a few milestones, not one line per resource.
            self._line(f"running the program: {count} resources registered ({self._elapsed()})")

    def program_ran(self, resources: int) -> None:
        self._active = resources >= self._threshold
        self._last_tenth = -1
        if self._active:
            self._line(f"the program registered {resources} resources ({self._elapsed()})")

    def analyzed(self, done: int, total: int) -> None:
        if not self._active:
            return
        text = f"Analyze {done}/{total} resources ({self._elapsed()})"
        if self._redraw:
            self._stream.write(f"\r{_PREFIX} {text}")
            self._stream.flush()
            self._shown = True
            if done == total:
                self._end_redrawn_line()
            return
        tenth = done * 10 // total
        if tenth > self._last_tenth:
            self._last_tenth = tenth
            self._line(text)

    def analyzing_stack(self, resources: int) -> None:
        if self._active:
            self._line(f"AnalyzeStack over {resources} resources ({self._elapsed()})")

    def _elapsed(self) -> str:
        return f"{time.monotonic() - self._started:.1f} s"

    def _end_redrawn_line(self) -> None:
        if self._shown:
            self._stream.write("\n")
            self._shown = False

    def _line(self, text: str) -> None:
        self._end_redrawn_line()
        self._stream.write(f"{_PREFIX} {text}\n")
        self._stream.flush()


class StacksProgress:
    """One line redrawn in place while many stacks are judged (see :mod:`.many`): stacks and resources judged so
    far, and the rate. Only on a terminal: a CI log gets the report and nothing else."""

    #: seconds between redraws; a thousand small stacks a second would otherwise be a thousand writes
    INTERVAL = 0.25

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._enabled = self._stream.isatty()
        self._started = time.monotonic()
        self._drawn_at = -self.INTERVAL
        self._shown = False

    def stack_judged(self, done: int, total: int, resources: int) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if done < total and now - self._drawn_at < self.INTERVAL:
            return
        self._drawn_at = now
        elapsed = max(now - self._started, 1e-6)
        self._stream.write(
            f"\r{_PREFIX} {done}/{total} stacks, {resources} resources judged ({resources / elapsed:.0f} resources/s,"
            f" {elapsed:.1f} s)"
        )
        self._stream.flush()
        self._shown = True

    def finished(self) -> None:
        if self._shown:
            self._stream.write("\n")
            self._stream.flush()
            self._shown = False
