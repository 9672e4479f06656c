"""The reviewed schema snapshot: what TypeScript, Go, C#, Java and YAML users of CompliantTrail are given.

After a deliberate change to the arguments or outputs, regenerate it from the running provider and review the
diff as you would an API change: ``.venv/bin/python -m tests.provider.snapshot``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).with_name("schema.snapshot.json")


def comparable(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without the package version, which every release changes (checked on its own)."""
    return {key: value for key, value in schema.items() if key != "version"}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(comparable(schema), indent=2, sort_keys=True) + "\n"


def main() -> None:
    from .fake_engine import FakeEngine, engine_serving
    from .provider_process import started_provider

    with engine_serving(FakeEngine()) as engine_address, started_provider(engine_address) as provider:
        SNAPSHOT.write_text(render(provider.schema()))
    print(f"wrote {SNAPSHOT}; review the diff before committing it")


if __name__ == "__main__":
    main()
