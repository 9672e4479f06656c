"""Run a Pulumi Python program against an engine: what the CLI's ``pulumi-language-python-exec`` does.

This file runs under the *program's* interpreter, not the checker's: it may import only the standard library
and the program's own ``pulumi`` SDK. The command line and environment are the language host's
(``--monitor --engine --project --root_directory --stack --pwd --dry_run --parallel --organization PROGRAM``;
``PULUMI_CONFIG``, ``PULUMI_CONFIG_SECRET_KEYS``), so the SDK is set up as under ``pulumi up``.

Differences that serve the offline check: a failure is reported to the engine with the traceback trimmed to the
program's own files; ``SIGUSR1`` dumps every thread's stack (the checker's watchdog asks for it before ending a
hung program); and this file's own folder is taken off ``sys.path``, so nothing of the checker is importable.
"""

import argparse
import asyncio
import faulthandler
import inspect
import logging
import os
import platform
import runpy
import signal
import sys
import traceback

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

try:
    import pulumi
    import pulumi.runtime
except ImportError as _exc:
    print(
        f"the Pulumi SDK is not installed in this Python ({sys.executable}): {_exc}; "
        "install the program's requirements into the environment it runs in",
        file=sys.stderr,
    )
    sys.exit(3)

#: the exit code the language host reads as "an error was shown to the user"
SHOWN_TO_USER = 32
#: the checker names a line to print on stderr once the program has run to its end: older SDKs (pulumi 2.x) send
#: no stack outputs when a program exports nothing, so without it an exit 0 could not be told from an os._exit(0)
FINISHED_VAR = "CLOUDTRAIL_CHECK_FINISHED"


def _parse() -> argparse.Namespace:
    ap = argparse.ArgumentParser()
    for name in (
        "project",
        "root_directory",
        "stack",
        "parallel",
        "dry_run",
        "pwd",
        "monitor",
        "engine",
        "tracing",
        "organization",
    ):
        ap.add_argument(f"--{name}")
    ap.add_argument("PROGRAM")
    ap.add_argument("ARGS", nargs="*")
    return ap.parse_args()


def _configure(args: argparse.Namespace) -> None:
    config = pulumi.runtime.get_config_env()
    if hasattr(pulumi.runtime, "get_config_secret_keys_env") and hasattr(pulumi.runtime, "set_all_config"):
        pulumi.runtime.set_all_config(config, pulumi.runtime.get_config_secret_keys_env())
    else:  # older SDKs
        for key, value in config.items():
            pulumi.runtime.set_config(key, value)
    wanted = {
        "monitor": args.monitor,
        "engine": args.engine,
        "project": args.project,
        "stack": args.stack,
        "parallel": int(args.parallel or 0),
        "dry_run": args.dry_run == "true",
        "organization": args.organization,
        "root_directory": args.root_directory,
    }
    accepted = inspect.signature(pulumi.runtime.Settings.__init__).parameters
    pulumi.runtime.configure(pulumi.runtime.Settings(**{k: v for k, v in wanted.items() if k in accepted}))


def _is_program_file(filename: str, root: str) -> bool:
    path = os.path.abspath(filename)
    if not os.path.isfile(path) or not path.startswith(root + os.sep):  # "<frozen runpy>" is no file
        return False
    parts = path[len(root) :].split(os.sep)
    return "site-packages" not in parts and "dist-packages" not in parts


def _program_traceback(exc: BaseException, root: str) -> str:
    """The exception with only the frames in the program's own files (the project folder, not its venv)."""
    every = traceback.extract_tb(exc.__traceback__)
    # Only the program's frames; when the error arose outside them (in a callback the SDK runs), the last frame.
    frames = [f for f in every if _is_program_file(f.filename, root)] or every[-1:]
    lines = ["Traceback (most recent call last):\n"] if frames else []
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines).rstrip() + _hint(exc, root)


def _hint(exc: BaseException, root: str) -> str:
    """What the traceback does not say about failures that are the program's environment, not its code;
    appended to the exception's line, which is the line the checker reports."""
    if isinstance(exc, SyntaxError):
        # Code for a newer Python (PEP 701 f-strings, 3.12) fails to parse on an older one.
        return f" (read by Python {platform.python_version()}, {sys.executable})"
    # Only a missing top-level name: "No module named 'lib.x'" means `lib` itself was found.
    if isinstance(exc, ModuleNotFoundError) and exc.name and "." not in exc.name:
        top = exc.name
        on_path = {os.path.abspath(p or ".") for p in sys.path}
        for folder in dict.fromkeys([os.getcwd(), root]):
            beside = os.path.isdir(os.path.join(folder, top)) or os.path.isfile(os.path.join(folder, top + ".py"))
            if beside and folder not in on_path:
                # runpy.run_path puts a directory on sys.path, never a script file's folder (Python docs, runpy),
                # and the CLI's pulumi-language-python-exec adds nothing: such projects set PYTHONPATH.
                return (
                    f" ({top!r} is in {folder}, which is not on sys.path: a `main:` file's folder is not added "
                    "by Pulumi's Python host either; set PYTHONPATH to it, as the CLI would need)"
                )
        return f" (not installed for {sys.executable}: install the program's requirements into its environment)"
    return ""


def main() -> int:
    args = _parse()
    _configure(args)
    sys.argv = [args.PROGRAM, *args.ARGS]
    if args.pwd:
        os.chdir(args.pwd)
    root = os.path.abspath(args.root_directory or os.getcwd())
    if hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    # As the CLI's exec shim: a failed program leaves futures nobody observed; asyncio's complaints about them
    # are noise, not the program's error.
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def run() -> None:
        runpy.run_path(args.PROGRAM, run_name="__main__")

    try:
        loop.run_until_complete(pulumi.runtime.run_in_stack(run))
        if os.environ.get(FINISHED_VAR):
            print(os.environ[FINISHED_VAR], file=sys.stderr)
        return 0
    except SystemExit as exc:
        pulumi.log.error(f"the program called sys.exit({exc.code!r}) before it finished")
        return SHOWN_TO_USER
    except pulumi.RunError as exc:
        pulumi.log.error(str(exc))
        return 1
    except Exception as exc:
        pulumi.log.error("Program failed with an unhandled exception:\n" + _program_traceback(exc, root))
        return SHOWN_TO_USER
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Leave at once: the SDK's gRPC threads and pending futures have nothing left to say.
    os._exit(code)
