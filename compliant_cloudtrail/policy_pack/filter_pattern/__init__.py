"""CloudWatch Logs filter patterns, parsed and evaluated the way metric filters apply them.

Standard library only: this package ships inside the policy pack.
"""

from .errors import FilterPatternError
from .pattern import FilterPattern, parse

__all__ = ["FilterPattern", "FilterPatternError", "parse"]
