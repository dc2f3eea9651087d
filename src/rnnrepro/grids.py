"""Parameter grids shared by the experiments and the fits."""

from __future__ import annotations

from typing import Any

import numpy as np

#: relative slack so that grid values written as decimals land inside a range
RANGE_SLACK = 1e-9


def log_grid(spec: dict[str, Any]) -> np.ndarray:
    """``10^(log10_min + k / per_decade)``, ``k = 0, 1, ...`` up to ``log10_max``."""
    lo, hi, per_decade = spec["log10_min"], spec["log10_max"], spec["per_decade"]
    count = int(round((hi - lo) * per_decade)) + 1
    return 10.0 ** (lo + np.arange(count) / per_decade)


def in_range(x: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    """Mask of ``bounds[0] <= x <= bounds[1]``, with :data:`RANGE_SLACK` at both ends."""
    x = np.asarray(x, dtype=float)
    return (x >= bounds[0] * (1 - RANGE_SLACK)) & (x <= bounds[1] * (1 + RANGE_SLACK))
