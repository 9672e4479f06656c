"""What the offline check says about a runtime it cannot run itself.

Go, .NET and Java programs are compiled by their language hosts (``go build``, ``dotnet build``, Maven/Gradle)
before they run, and YAML programs are interpreted inside the ``pulumi-language-yaml`` plugin binary, which only
the CLI installs: none of them has a run entry the checker could start on its own the way ``@pulumi/pulumi``'s
``cmd/run`` or the Python SDK allow. Their stacks are judged by the same pack through the CLI or from an export.
"""

from __future__ import annotations

__all__ = ["unsupported_runtime"]

_KNOWN = {"go": "Go", "dotnet": ".NET", "java": "Java", "yaml": "YAML"}


def unsupported_runtime(runtime: str) -> str:
    name = _KNOWN.get(runtime, f"'{runtime}'")
    return (
        f"{name} programs (runtime: {runtime}) cannot run in the offline check, which runs Python and Node.js "
        "programs only; judge the stack with `pulumi preview --policy-pack <this pack>`, or export it "
        "(`pulumi stack export --file stack.json`) and check it with `cloudtrail-check --state stack.json`"
    )
