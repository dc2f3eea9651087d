"""One module per experiment of the paper.

Each module ``m`` provides

- ``m.NAME``: its name, also the name of its table ``results/tables/<NAME>.parquet``;
- ``m.kernel_names(params)``: the kernels it needs;
- ``m.plan(params, kernel_specs) -> DataFrame``: one row per run with a stable
  ``run_id`` derived from the run's parameters;
- ``m.simulate(runs, kernels, params) -> dict of arrays``: the raw output of a shard;
- ``m.measure(raw, runs, params) -> DataFrame``: one row per run of metrics;
- ``m.aggregate(rows, runs, params, kernels) -> (table, fits)``: the experiment's table, one
  row per run in plan order with theory columns, and its table of fitted laws.

``params`` is the experiment's section of the config.
"""

from __future__ import annotations

from types import ModuleType

import pandas as pd

from curnn.experiments import decay, fixed_points, length, resonance

EXPERIMENTS: dict[str, ModuleType] = {
    m.NAME: m for m in (fixed_points, resonance, decay, length)}


def get(name: str) -> ModuleType:
    try:
        return EXPERIMENTS[name]
    except KeyError:
        raise KeyError(f"unknown experiment {name!r}; known: {sorted(EXPERIMENTS)}") from None


def shard_of(runs: pd.DataFrame, shard: int, shards: int) -> pd.DataFrame:
    """Runs ``shard, shard + shards, ...`` of the plan.

    Interleaving spreads slow and fast runs (small and large inputs) over the shards.
    """
    if not 0 <= shard < shards:
        raise ValueError(f"shard {shard} is not in 0..{shards - 1}")
    return runs.iloc[shard::shards].reset_index(drop=True)


def in_plan_order(rows: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Measured rows of every shard, checked against the plan and sorted in its order.

    The aggregated table is then the same whatever the number of shards.
    """
    order = {rid: i for i, rid in enumerate(runs["run_id"])}
    if len(rows) != len(runs) or not rows["run_id"].isin(order).all() \
            or not rows["run_id"].is_unique:
        raise ValueError("the shards do not hold exactly the planned runs")
    return (rows.assign(_order=rows["run_id"].map(order)).sort_values("_order")
            .drop(columns="_order").reset_index(drop=True))
