"""Alternating repetitions and their medians: how every figure here is measured.

Each contender runs once per repetition and the order flips every repetition (A B, B A, A B, ...), so a
slow drift of the machine (other processes, thermal state, a growing heap) falls on both sides equally.
Warm-up repetitions run first and are thrown away (imports, bytecode caches, first gRPC connection).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Samples:
    values: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


def alternate(contenders: Mapping[str, Callable[[], float]], reps: int, warmup: int = 1) -> dict[str, Samples]:
    """Run every contender ``warmup + reps`` times, alternating; each returns the seconds it measured."""
    names = list(contenders)
    kept: dict[str, list[float]] = {name: [] for name in names}
    for rep in range(warmup + reps):
        order = names if rep % 2 == 0 else names[::-1]
        for name in order:
            seconds = contenders[name]()
            if rep >= warmup:
                kept[name].append(seconds)
    return {name: Samples(tuple(values)) for name, values in kept.items()}
