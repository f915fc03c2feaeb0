"""What the property-based tests share: how many examples to try and hypothesis's settings.

Runs are deterministic (derandomized, no example database) so CI sees the same inputs each
time; ``SERVICEKG_FUZZ_SCALE=4`` tries four times as many.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["SETTINGS", "examples"]


def examples(count: int) -> int:
    """``count`` times ``SERVICEKG_FUZZ_SCALE`` (default 1): set it higher to try more."""
    return max(1, round(count * float(os.environ.get("SERVICEKG_FUZZ_SCALE", "1"))))


SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
