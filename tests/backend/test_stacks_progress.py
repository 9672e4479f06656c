"""The many-stack progress line: stacks and resources judged and the rate, on a terminal only."""

from __future__ import annotations

import io

from compliant_cloudtrail.check.progress import StacksProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_line_counts_stacks_and_resources_and_ends_with_a_newline() -> None:
    out = Terminal()
    progress = StacksProgress(out)
    progress.stack_judged(1, 3, 32)
    progress.stack_judged(2, 3, 64)  # within the redraw interval: not drawn
    progress.stack_judged(3, 3, 96)  # the last stack is always drawn
    progress.finished()
    drawn = out.getvalue()
    assert drawn.count("\r") == 2 and drawn.endswith("\n")
    assert "3/3 stacks, 96 resources judged" in drawn and "resources/s" in drawn
    assert "2/3 stacks" not in drawn


def test_on_a_log_nothing_is_written() -> None:
    # CI logs keep every line: the report says it all.
    out = io.StringIO()
    progress = StacksProgress(out)
    for done in range(1, 101):
        progress.stack_judged(done, 100, done * 32)
    progress.finished()
    assert out.getvalue() == ""
