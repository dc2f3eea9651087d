"""Helpers the first paper's experiments share: run descriptions and kernel checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from rnnrepro.chandra2024 import kernels as kernel_family
from rnnrepro.config import Problem
from rnnrepro.experiments import describe_runs

__all__ = ["describe_runs", "kernel_problems"]


def kernel_problems(key: str, name: str, kernels: dict[str, Any],
                    types: Sequence[str] | None = None, dims: Sequence[int] | None = None,
                    distinct_eigenphases: bool = False) -> list[Problem]:
    """Problems of a reference to a kernel from an experiment's section.

    Parameters
    ----------
    key : str
        The referring key (relative to the experiment's section).
    name : str
        The kernel name it holds.
    kernels : dict
        The paper's kernels section.
    types : sequence of str, optional
        Allowed kernel types.
    dims : sequence of int, optional
        Allowed lattice dimensions.
    distinct_eigenphases : bool
        Whether every eigenphase must be distinct (the single-mode theory of a
        resonance needs the driven eigenvalue not to be shared by another mode).

    Returns
    -------
    list of Problem
        Empty if the reference is valid.
    """
    if name not in kernels:
        return [Problem(key, name, f"one of the kernels {sorted(kernels)}")]
    spec = kernels[name]
    if types is not None and spec["type"] not in types:
        return [Problem(key, name, f"a kernel of type {' or '.join(types)} (this one is "
                                   f"{spec['type']})")]
    if dims is not None and len(spec["shape"]) not in dims:
        return [Problem(key, name, f"a kernel of dimension {' or '.join(map(str, dims))} "
                                   f"(this one has shape {spec['shape']})")]
    if distinct_eigenphases:
        theta = np.sort(kernel_family.build(name, spec).theta.ravel())
        gaps = np.diff(np.concatenate([theta, [theta[0] + 2 * np.pi]]))
        if theta.size > 1 and gaps.min() < 1e-9:
            return [Problem(key, name, "a kernel whose eigenphases are all distinct (this "
                                       "one has degenerate modes, e.g. k and -k of a "
                                       "symmetric kernel; the single-mode theory of a "
                                       "resonance needs one mode per eigenvalue)")]
    return []
