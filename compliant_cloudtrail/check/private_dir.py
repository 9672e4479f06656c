"""A folder only this check can use: where its servers listen and its copy of the policy pack lives.

``tempfile.mkdtemp`` makes the folder mode 0700, so no other user can reach a Unix socket inside it (a loopback
TCP port is open to every local user). A socket's path must fit ``sockaddr_un`` (108 bytes on Linux, unix(7)),
so a long ``TMPDIR`` falls back to ``/tmp``.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .processes import tracked

__all__ = ["private_dir"]

#: room left in sockaddr_un for the longest socket name used inside the folder ("pack-engine.sock")
_MAX_DIR_LENGTH = 108 - 1 - len("/pack-engine.sock")


@contextmanager
def private_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="cloudtrail-check-"))
    if len(str(path).encode()) > _MAX_DIR_LENGTH:
        path.rmdir()
        path = Path(tempfile.mkdtemp(prefix="ctc-", dir="/tmp"))
    try:
        with tracked("folder", path):
            yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
