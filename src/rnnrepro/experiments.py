"""What every experiment shares: stage parameters, shards, plan order.

An experiment runs in four stages, each a job of the workflow
(:data:`rnnrepro.registry.STAGES`):

- ``plan(params, kernels) -> DataFrame``: one row per run, with a stable ``run_id``
  derived from the run's parameters (written once, read by the other stages);
- ``simulate(runs, kernels, params) -> dict of arrays``: the raw output of one shard;
- ``measure(raw, runs, kernels, params) -> DataFrame``: one row of metrics per run of
  the shard (``runs`` is the whole plan; :func:`runs_of_shard` picks the shard's);
- ``aggregate(rows, runs, kernels, params) -> (table, fits)``: the experiment's table,
  one row per run in plan order with theory columns beside the measured ones, and its
  fitted laws.

Each stage receives only the config keys it reads: the plan's keys (they define the
runs, so every stage may read them) and those it declares in ``STAGE_KEYS``.
Snakemake's parameter trigger is then exact: a fit range re-runs the aggregation,
never a simulation.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["SimulationError", "stage_params", "shard_of", "runs_of_shard", "in_plan_order",
           "concat_rows", "describe_runs", "run_experiment"]


class SimulationError(RuntimeError):
    """A simulation produced NaN or infinity; the message names the runs by their
    parameters (the job stops: no result is written)."""


def stage_params(module: ModuleType, stage: str, params: dict[str, Any]) -> dict[str, Any]:
    """The keys of an experiment's config section that ``stage`` reads: the plan's
    keys and the stage's own.

    Parameters
    ----------
    module : module
        The experiment.
    stage : str
        ``plan``, ``simulate``, ``measure`` or ``aggregate``.
    params : dict
        The experiment's whole config section.

    Returns
    -------
    dict
        The declared keys only.
    """
    keys = list(module.STAGE_KEYS.get("plan", ()))
    keys += [k for k in module.STAGE_KEYS.get(stage, ()) if k not in keys]
    return {key: params[key] for key in keys}


def shard_of(runs: pd.DataFrame, shard: int, shards: int) -> pd.DataFrame:
    """Runs ``shard, shard + shards, ...`` of the plan (possibly none).

    Interleaving spreads slow and fast runs (small and large inputs) over the shards.

    Parameters
    ----------
    runs : DataFrame
        The plan.
    shard, shards : int
        This shard's index and the number of shards.

    Returns
    -------
    DataFrame
        The shard's runs, in plan order.
    """
    if not 0 <= shard < shards:
        raise ValueError(f"shard {shard} is not in 0..{shards - 1}")
    return runs.iloc[shard::shards].reset_index(drop=True)


def runs_of_shard(runs: pd.DataFrame, run_ids: np.ndarray) -> pd.DataFrame:
    """The plan's rows of a shard, in the order of its raw output.

    Parameters
    ----------
    runs : DataFrame
        The whole plan.
    run_ids : ndarray of str
        The shard's ``run_id`` array (as :func:`simulate` wrote it).

    Returns
    -------
    DataFrame
        Those rows, ``run_id`` first.
    """
    return runs.set_index("run_id").loc[list(run_ids)].reset_index()


def concat_rows(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Measured rows of every shard in one frame; empty shards add nothing.

    (Concatenating an empty frame would turn integer columns into floats.)

    Parameters
    ----------
    frames : list of DataFrame
        One per shard.

    Returns
    -------
    DataFrame
        Their rows.
    """
    filled = [f for f in frames if len(f)]
    return pd.concat(filled, ignore_index=True) if filled else frames[0].iloc[:0]


def in_plan_order(rows: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Measured rows of every shard, checked against the plan and sorted in its order.

    The aggregated table is then the same whatever the number of shards.

    Parameters
    ----------
    rows : DataFrame
        Measured rows (any order).
    runs : DataFrame
        The plan.

    Returns
    -------
    DataFrame
        The rows in plan order.
    """
    order = {rid: i for i, rid in enumerate(runs["run_id"])}
    if len(rows) != len(runs) or not rows["run_id"].isin(order).all() \
            or not rows["run_id"].is_unique:
        raise ValueError("the shards do not hold exactly the planned runs")
    return (rows.assign(_order=rows["run_id"].map(order)).sort_values("_order")
            .drop(columns="_order").reset_index(drop=True))


def describe_runs(experiment: str, runs: pd.DataFrame, keys: tuple[str, ...] | list[str]
                  ) -> list[str]:
    """One label per run naming it by its parameters, for error messages.

    Parameters
    ----------
    experiment : str
        The experiment's name.
    runs : DataFrame
        Rows of the plan.
    keys : sequence of str
        The columns that tell the runs apart.

    Returns
    -------
    list of str
        ``"<experiment> run <run_id> (key=value, ...)"`` per run.
    """
    labels = []
    for row in runs.to_dict("records"):
        values = ", ".join(f"{k}={row[k]:.6g}" if isinstance(row[k], float)
                           else f"{k}={row[k]}" for k in keys)
        labels.append(f"{experiment} run {row['run_id']} ({values})")
    return labels


def run_experiment(config: dict[str, Any], name: str, shards: int = 1
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every stage of an experiment in this process, as the workflow would.

    For tests and notebooks: kernels are built in memory, each stage receives exactly
    the config keys the workflow would hand it, and shards run one after another.

    Parameters
    ----------
    config : dict
        A whole (validated) configuration.
    name : str
        The experiment.
    shards : int
        How many shards to split the plan into.

    Returns
    -------
    table, fits : DataFrame
        What the aggregate stage writes.
    """
    from rnnrepro import registry

    paper = registry.paper_of_experiment(name)
    module = paper.experiment(name)
    section = config[paper.id]
    params = section["experiments"][name]
    kernels = {}
    if paper.kernels is not None:
        kernels = {k: paper.kernels.build(k, section["kernels"][k])
                   for k in module.kernel_names(params)}
    runs = module.plan(stage_params(module, "plan", params), kernels)
    rows = []
    for shard in range(shards):
        part = shard_of(runs, shard, shards)
        if len(part):
            raw = module.simulate(part, kernels, stage_params(module, "simulate", params))
            rows.append(module.measure(raw, runs, kernels,
                                       stage_params(module, "measure", params)))
    return module.aggregate(concat_rows(rows), runs, kernels,
                            stage_params(module, "aggregate", params))
