"""Shared by the background experiments (Figs. 6-7): cases, plans and the steady state.

A *case* is a Laplacian kernel (ring or torus, ``alpha``) with a log grid of uniform
background inputs ``B``; a run is one ``(case, B)``.  Under ``B`` the uniform fixed
point of the Fig. 3 map, ``x*(B)``, is the network's steady state (``lambda_0 = 1``).
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from curnn import theory
from curnn.grids import log_grid
from curnn.io import run_id
from curnn.model import Relaxation, Stepper, relax


def kernel_names(params: dict[str, Any]) -> list[str]:
    return sorted({case["kernel"] for case in params["cases"]})


def plan(name: str, params: dict[str, Any], kernel_specs: dict[str, dict[str, Any]],
         run_keys: Sequence[str]) -> pd.DataFrame:
    """One row per (case, background), in config order; ``run_keys`` define a run too."""
    rows = []
    for case in params["cases"]:
        spec = kernel_specs[case["kernel"]]
        shape = [int(n) for n in spec["shape"]]
        for background in log_grid(case["backgrounds"]):
            row = {"kernel": case["kernel"], "dim": len(shape), "alpha": float(spec["alpha"]),
                   "N": int(np.prod(shape)), "E": shape[0], "background": float(background),
                   "dtype": params["dtype"]}
            row.update({k: params[k] for k in run_keys})
            identity = {**row, "experiment": name, "kernel_spec": spec}
            rows.append({"run_id": run_id(identity), **row})
    return pd.DataFrame(rows)


def steady_state(stepper: Stepper, backgrounds: np.ndarray, params: dict[str, Any],
                 labels: Sequence[str], source: np.ndarray | None = None,
                 start: np.ndarray | None = None) -> Relaxation:
    """Relax each run to its steady state under ``B`` (plus ``source``, if given).

    Starts at ``start``, by default the uniform fixed point ``x*(B)`` of the scalar map
    (exact theory, to round-off), so without a source the relaxation only confirms it.
    Stops at ``params["tol"]`` relative (:func:`curnn.model.relax`), with the
    convergence record.
    """
    batch = len(backgrounds)
    shape = (batch,) + (1,) * len(stepper.lattice)
    drive = np.broadcast_to(np.asarray(backgrounds, float).reshape(shape),
                            (batch,) + stepper.lattice)
    if source is not None:
        drive = drive + source
    if start is None:
        start = np.broadcast_to(theory.fixed_point(backgrounds).reshape(shape),
                                (batch,) + stepper.lattice).astype(stepper.dtype)
    return relax(stepper, start, drive.astype(stepper.dtype), tol=params["tol"],
                 max_iter=params["max_iter"], check_every=params["check_every"],
                 labels=labels)


def point_source(stepper: Stepper, strengths: np.ndarray) -> np.ndarray:
    """A real static source ``s_j`` at the origin of each run's lattice."""
    source = np.zeros((len(strengths),) + stepper.lattice)
    source[(slice(None),) + (0,) * len(stepper.lattice)] = strengths
    return source
