"""Why a check ended without a verdict, worded for people: one error line, and the program's own frames above it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a program's run needs the engine; an export's check should not load it (~40 ms)
    from .engine.run import ProgramRun

__all__ = ["CheckError", "program_failure"]

_ERROR_LINE = re.compile(r"\b\w*(Error|Exception)\b")
_FAULTHANDLER_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+) in (?P<func>.+)$')


class CheckError(Exception):
    """The check could not reach a verdict; ``str()`` is one line naming what failed, ``detail`` (optional) the
    lines that show where (a program's traceback, trimmed to its own files)."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


def _is_program_file(path: str, root: Path) -> bool:
    if not Path(path).is_file():
        return False
    try:
        rel = Path(path).resolve().relative_to(root)
    except ValueError:
        return False
    return not ({"site-packages", "dist-packages"} & set(rel.parts))


def _stuck_at(stderr: str, root: Path) -> list[str]:
    """The program's frames in the stack dump the launcher writes when the watchdog fires (innermost first)."""
    out = []
    for line in stderr.splitlines():
        m = _FAULTHANDLER_FRAME.match(line)
        if m and _is_program_file(m.group("file"), root):
            out.append(f"{m.group('file')}:{m.group('line')} in {m.group('func').strip()}")
    return out


#: the most of one line, and of the frames above it, that the error shows of what the program said
_MOST_LINE, _MOST_DETAIL = 500, 20_000


def _clipped(text: str, most: int = _MOST_LINE) -> str:
    """A program's message, cut to a size a terminal and a CI log can show (a program may raise 1 MB of text)."""
    return text if len(text) <= most else f"{text[:most]}... ({len(text) - most} more characters)"


def _more(items: list[str], shown: int = 3) -> str:
    head = ", ".join(items[:shown])
    return head + (f" and {len(items) - shown} more" if len(items) > shown else "")


def program_failure(run: ProgramRun, program_dir: Path, root: Path, timeout_s: float) -> CheckError | None:
    """The CheckError a finished run ends the check with, or None when the program ran to the end."""
    state = run.state
    if state.engine_errors:
        # The engine's own refusal comes first: it is what made the program's registration fail.
        first, rest = state.engine_errors[0], len(state.engine_errors) - 1
        extra = f" (and {rest} more duplicate URNs)" if rest else ""
        return CheckError(f"program {program_dir}: {first}{extra}")
    if run.timed_out:
        frames = _stuck_at(run.stderr, root)
        where = f"; it was at {frames[0]}" if frames else ""
        done = f"{len(state.resources)} resources registered"
        return CheckError(
            f"program {program_dir} did not finish: it made no call to the engine for {timeout_s:g} s (--timeout)"
            f"{where}; {done}",
            "\n".join(f"  {f}" for f in frames),
        )
    if run.exit_code == 0:
        return None
    errors = [line.message for line in run.logs if line.severity == "error"]
    if errors:
        text = errors[-1].strip()
        lines = text.splitlines()
        if any(_is_node_frame(line) for line in lines):
            # Node.js: message first, frames after, and an error's own properties printed after those (`{ ... }`)
            return _node_failure(program_dir, lines)
        last = _clipped(lines[-1] if lines else text)
        detail = "\n".join(lines[:-1]).removeprefix("Program failed with an unhandled exception:").strip("\n")
        return CheckError(f"program {program_dir} failed: {last}", _clipped(detail, _MOST_DETAIL))
    said = [ln.strip() for ln in run.stderr.strip().splitlines() if ln.strip()]
    # The last line naming an error says why, more than a trailing "More information: <url>" does.
    errors_said = [ln for ln in said if _ERROR_LINE.search(ln)]
    tail = f": {_clipped((errors_said or said)[-1])}" if said else ""
    return CheckError(f"program {program_dir} exited with code {run.exit_code}{tail}")


def _is_node_frame(line: str) -> bool:
    return line.lstrip().startswith("at ")


def _node_failure(program_dir: Path, lines: list[str]) -> CheckError:
    """Node.js prints the message first, then its stack frames (Python the other way round): the summary is the
    error's own line, and the frames shown are the program's, not Node's internals nor its node_modules."""
    said = [ln for ln in lines if ln.strip() and not _is_node_frame(ln) and not ln.startswith("Running program ")]
    # util.inspect marks an error that refers to itself with "<ref *1> "
    message = re.sub(r"^<ref \*\d+> ", "", said[0].strip()) if said else lines[-1].strip()
    own = [ln.strip() for ln in lines if _is_node_frame(ln) and "node_modules" not in ln and "node:" not in ln]
    frames = "\n".join(f"  {frame}" for frame in own)
    return CheckError(f"program {program_dir} failed: {_clipped(message)}", _clipped(frames, _MOST_DETAIL))
