"""Simulation against theory for the fixed-point experiment (Figs. 3-4)."""

import copy

import numpy as np
import pandas as pd
import pytest

from rnnrepro.chandra2024 import kernels
from rnnrepro.chandra2024.experiments import fixed_points as fp
from rnnrepro.config import load_config
from rnnrepro.experiments import run_experiment as run_stages


def run_experiment(config, shards=1):
    return run_stages(config, "fixed_points", shards)


def plan_of(config, **changes):
    params = {**config["chandra2024"]["experiments"]["fixed_points"], **changes}
    built = {name: kernels.build(name, config["chandra2024"]["kernels"][name])
             for name in fp.kernel_names(params)}
    return fp.plan(params, built)


@pytest.fixture(scope="module")
def caption_table(repo):
    config = load_config(repo / "config.yaml")
    params = config["chandra2024"]["experiments"]["fixed_points"]
    params["inputs"] = {"log10_min": -2.0, "log10_max": -1.0, "per_decade": 1}
    config["chandra2024"]["kernels"]["ring16"]["shape"] = [8]
    return config, *run_experiment(config)


def row_at(table, value):
    return table[np.isclose(table["input"], value)].iloc[0]


def test_caption_numbers_are_measured_from_simulation(caption_table):
    _, table, _ = caption_table
    small, large = row_at(table, 0.001), row_at(table, 0.11)
    assert round(small["x_star"], 5) == 0.12549
    assert small["tau_radial"] == pytest.approx(42.0, abs=0.1)
    assert round(large["x_star"], 3) == 0.552
    assert round(large["tau_radial"], 2) == 1.83
    assert table["converged"].all()


def test_simulation_matches_exact_theory(caption_table):
    _, table, _ = caption_table
    # complex128, tol 1e-13: x* to 1e-11; kicks of 1e-5 bias tau by ~1e-5 at most
    assert np.all(np.abs(table["x_star_rel_dev"]) < 1e-11)
    assert np.all(np.abs(table["tau_radial_rel_dev"]) < 1e-4)
    assert np.all(np.abs(table["tau_phase_rel_dev"]) < 1e-4)
    assert np.all(table["nonuniformity"] < 1e-14)


def test_phase_relaxes_three_times_slower(caption_table):
    _, table, _ = caption_table
    np.testing.assert_allclose(table["tau_phase"] / table["tau_radial"], 3, rtol=1e-4)


def test_results_do_not_depend_on_sharding(caption_table):
    config, table, fits = caption_table
    table3, fits3 = run_experiment(copy.deepcopy(config), shards=3)
    pd.testing.assert_frame_equal(table, table3, check_exact=True)
    pd.testing.assert_frame_equal(fits, fits3, check_exact=True)


def test_run_ids_derive_from_parameters(default_config):
    a = plan_of(default_config)
    b = plan_of(default_config, shards=7)
    c = plan_of(default_config, tol=1e-12)
    assert list(a["run_id"]) == list(b["run_id"])
    assert not set(a["run_id"]) & set(c["run_id"])
    assert a["run_id"].is_unique
    assert np.isclose(a["input"], 0.11).sum() == 1 and np.isclose(a["input"], 1e-3).sum() == 1


def test_tau_exponent_over_four_decades(default_config):
    """Acceptance: over I in [1e-6, 1e-2] the fitted exponent of tau_r is -2/3 +- 0.002."""
    params = default_config["chandra2024"]["experiments"]["fixed_points"]
    params.update(inputs={"log10_min": -6.0, "log10_max": -2.0, "per_decade": 1},
                  caption_inputs=[1e-6])
    default_config["chandra2024"]["kernels"]["ring16"]["shape"] = [4]
    _, fits = run_experiment(default_config)
    fits = fits.set_index("quantity")
    for quantity in ("tau_radial", "tau_phase"):
        assert fits.loc[quantity, "exponent"] == pytest.approx(-2 / 3, abs=0.002)
        assert fits.loc[quantity, "exponent"] == pytest.approx(
            fits.loc[quantity, "exponent_theory_range"], abs=1e-4)
    assert fits.loc["x_star", "exponent"] == pytest.approx(
        fits.loc["x_star", "exponent_theory_range"], abs=1e-6)
