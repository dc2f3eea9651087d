"""The second paper's experiments through every stage, in process, on small configs."""

import copy

import numpy as np
import pandas as pd
import pytest

from rnnrepro.clark2025 import theory
from rnnrepro.clark2025.experiments import dimension, few_modes, singular_values
from rnnrepro.clark2025.experiments import overlaps as overlaps_experiment
from rnnrepro.config import load_config
from rnnrepro.experiments import run_experiment
from rnnrepro.io import write_table

PAPER = "clark2025"


@pytest.fixture(scope="module")
def tiny(repo):
    return load_config(repo / "config.yaml", repo / "config" / "tiny.yaml")


@pytest.fixture(scope="module")
def dimension_run(tiny):
    return run_experiment(tiny, "dimension", shards=1)


def table_bytes(df, tmp_path, name):
    path = tmp_path / f"{name}.parquet"
    write_table(df, path)
    return path.read_bytes()


def test_mean_field_table_follows_the_data_contract(tiny):
    table, fits = run_experiment(tiny, "mean_field")
    for column in ("g_eff", "c_x0", "c_phi0", "mean_phi_prime", "pr_phi_iid", "k_phi",
                   "pr_x_iid", "k_x"):
        assert column in table.columns, column
    assert table["g_eff"].is_monotonic_increasing
    six = table[np.isclose(table["g_eff"], 6.0)].iloc[0]
    assert six["c_phi0"] == pytest.approx(theory.two_point(6.0).c_phi0, rel=1e-12)
    # 1/PR = 1/PR_iid + 1/(K rank): the table's constants give the dimension at any rank
    rank = 0.4
    assert 1 / (1 / six["pr_phi_iid"] + 1 / (six["k_phi"] * rank)) == pytest.approx(
        float(theory.dimension(6.0, rank)), rel=1e-10)
    fit = fits.set_index("quantity").loc["pr_phi_iid"]
    assert fit["exponent_asymptotic"] == 3.0 and 2.5 < fit["exponent"] < 3.05


def test_dimension_table_follows_the_data_contract(dimension_run):
    table, fits = dimension_run
    for column in ("g_eff", "effective_rank", "alpha", "pr_d", "N", "network", "pr_phi",
                   "pr_x", "c_phi0", "pr_phi_theory", "pr_x_theory", "c_phi0_theory",
                   "time_units", "estimator", "pr_phi_plain", "pr_phi_crossblock"):
        assert column in table.columns, column
    assert (table["estimator"] == "crossblock").all()
    assert table["run_id"].is_unique
    # networks two sweeps share are simulated once and list both sweeps
    shared = table[table["sweeps"].str.contains(",")]
    assert len(shared) > 0
    assert set(fits["quantity"]) >= {"pr_phi", "pr_phi_infinite_n"}


def test_single_neurons_follow_the_mean_field_theory(dimension_run):
    """C^phi(0) depends on g_eff alone.  At N = 40-60 with 160 trajectory-time-units a
    network's C^phi(0) scatters by about 5-10 % around DMFT at g_eff >= 6 (finite-N
    fluctuations of the effective gain, sampling), more at g_eff = 3 and with a handful of
    modes, where a network can fall onto a limit cycle; the default's N = 500 brings it
    within 1 % (the claim in paper/clark2025/claims.yaml)."""
    table, _ = dimension_run
    strong = table[(table["spectrum"] == "paper") & (table["g_eff"] >= 6)]
    assert strong["c_phi0_rel_dev"].abs().max() < 0.1
    assert abs(strong["c_phi0_rel_dev"].mean()) < 0.05
    # the realized rank is the requested one to a mode, and g_eff exactly
    assert (table["effective_rank_realized"] - table["effective_rank"]).abs().max() \
        <= 0.5 / table["N"].min() + 1e-9


def test_dimension_points_summarise_the_networks(dimension_run):
    table, _ = dimension_run
    points = dimension.dimension_points(table)
    row = points[(points["spectrum"] == "paper") & (points["N"] == 60)
                 & np.isclose(points["g_eff"], 3.0) & np.isclose(points["effective_rank"], 0.3)]
    assert len(row) == 1 and row["networks"].iat[0] == 2
    nets = table[(table["spectrum"] == "paper") & (table["N"] == 60)
                 & np.isclose(table["g_eff"], 3.0) & np.isclose(table["effective_rank"], 0.3)]
    assert row["pr_phi_mean"].iat[0] == pytest.approx(nets["pr_phi"].mean())
    assert (points["pr_phi_theory_over_iid"] < 1).all()


def test_dimension_results_do_not_depend_on_shards(tiny, dimension_run, tmp_path):
    config = copy.deepcopy(tiny)
    sweeps = config[PAPER]["experiments"]["dimension"]["sweeps"]
    for name in list(sweeps):
        if name not in ("rank", "finite_size"):
            del sweeps[name]
    one, _ = run_experiment(config, "dimension", shards=1)
    many, _ = run_experiment(config, "dimension", shards=len(one) + 5)
    assert table_bytes(one, tmp_path, "one") == table_bytes(many, tmp_path, "many")


def test_few_modes_table_points_and_fits(tiny, tmp_path):
    table, fits = run_experiment(tiny, "few_modes", shards=1)
    section = tiny[PAPER]["experiments"]["few_modes"]
    planned = sum(len(size["modes"]) for size in section["sizes"]) * section["networks"]
    assert len(table) == planned and table["run_id"].is_unique
    for column in ("g_eff", "N", "modes", "network", "c_phi0", "c_phi0_theory",
                   "c_phi0_rel_dev", "c_phi0_block_sem", "mean_activity_ratio",
                   "leading_eigenvalue_real", "time_units_sampled"):
        assert column in table.columns, column
    # the step spectrum realizes P modes exactly: PR^D = P / N
    assert np.allclose(table["pr_d"], table["modes"] / table["N"])
    points = few_modes.few_modes_points(table)
    assert (points["networks"] == section["networks"]).all()
    assert set(fits["quantity"]) == {"c_phi0_spread", "c_phi0_bias", "c_phi0_n_dependence"}
    # the same networks whatever the number of shards
    many, _ = run_experiment(tiny, "few_modes", shards=4)
    assert table_bytes(table, tmp_path, "one") == table_bytes(many, tmp_path, "many")


def test_few_modes_fits_recover_a_known_law():
    """Points built from b_inf + c/P and a P^-1/2 spread give back those numbers."""
    modes = np.array([16, 31, 62, 125, 250])
    sem = 0.01 / np.sqrt(modes)
    points = pd.DataFrame({"g_eff": 3.0, "N": 500, "modes": modes,
                           "c_phi0_rel_dev_mean": 0.002 - 1.1 / modes,
                           "c_phi0_rel_dev_sem": sem,
                           "c_phi0_rel_dev_std": 0.3 * modes ** -0.5})
    fits = pd.DataFrame(few_modes.fit_few_modes(points, min_modes=16)).set_index("quantity")
    assert fits.loc["c_phi0_bias", "value"] == pytest.approx(0.002, abs=1e-12)
    assert fits.loc["c_phi0_bias", "slope"] == pytest.approx(-1.1, rel=1e-10)
    # the intercept's standard error is that of a weighted mean extrapolated to 1/P = 0
    assert 0 < fits.loc["c_phi0_bias", "value_stderr"] < 0.01
    assert fits.loc["c_phi0_spread", "exponent"] == pytest.approx(-0.5, abs=1e-12)
    assert "c_phi0_n_dependence" not in fits.index     # one N only


def test_few_modes_config_errors_name_the_key(tiny):
    section = copy.deepcopy(tiny[PAPER]["experiments"]["few_modes"])
    section["sizes"] = [{"N": 60, "modes": [4, 80]}]
    section["fit_min_modes"] = 100
    problems = {p.key: p for p in few_modes.check(section, {})}
    assert "at most N = 60" in problems["sizes.0.modes"].allowed
    assert "fit_min_modes" in problems


def test_singular_values_match_equations_13_and_14(tiny):
    config = copy.deepcopy(tiny)
    section = config[PAPER]["experiments"]["singular_values"]
    section.update(alphas=[0.1], histogram_N=600, edge_modes=200, participation_N=400,
                   effective_ranks=[0.3, 2.0], matrices=2)
    table, _ = run_experiment(config, "singular_values")
    edges = table[table["purpose"] == "edges"]
    # 200 modes: the extremes fluctuate about the edges by ~M^(-2/3) (a few per cent)
    assert (edges["s_max_rel_dev"].abs() < 0.05).all()
    assert (edges["s_min_rel_dev"].abs() < 0.05).all()
    participation = table[table["purpose"] == "participation"]
    # PR^S of one 400-neuron matrix fluctuates by about 1 %
    assert (participation["pr_s_rel_dev"].abs() < 0.03).all()
    histogram = table[table["purpose"] == "histogram"].iloc[0]
    widths = np.diff(histogram["histogram_edges"])
    assert np.sum(histogram["histogram_density"] * widths) == pytest.approx(1.0)


def test_sampled_triangular_factors_have_the_law_of_the_full_matrices():
    """Bartlett's factors against building L, R (N x M) and taking the singular values of
    L D R^T directly: the mean extreme and mean squared singular values of 300 matrices
    each agree within four standard errors (a wrong chi degree or scale shifts them by
    tens of standard errors), and E[T^T T] = 1 on the diagonal (Wishart)."""
    n, strengths, samples = 40, np.linspace(0.5, 2.0, 12), 300
    fast = np.array([singular_values.singular_values(n, strengths, seed)
                     for seed in range(samples)])
    rng = np.random.default_rng(12345)
    full = []
    for _ in range(samples):
        left = rng.standard_normal((n, 12)) / np.sqrt(n)
        right = rng.standard_normal((n, 12)) / np.sqrt(n)
        full.append(np.linalg.svd((left * strengths) @ right.T, compute_uv=False)[:12])
    full = np.array(full)
    for statistic in (lambda s: s[:, 0], lambda s: s[:, -1], lambda s: (s ** 2).sum(1)):
        a, b = statistic(fast), statistic(full)
        error = np.sqrt(a.var() / samples + b.var() / samples)
        assert abs(a.mean() - b.mean()) < 4 * error
    grams = [np.diag(f.T @ f) for f in (singular_values.triangular_factor(
        n, 12, np.random.default_rng(seed)) for seed in range(samples))]
    assert np.mean(grams, axis=0) == pytest.approx(np.ones(12), abs=0.05)


def test_decay_time_interpolates_the_one_over_e_crossing():
    lags = np.arange(0.0, 10.0)
    assert dimension.decay_time(lags, np.exp(-lags / 3.3)) == pytest.approx(3.3, rel=0.03)
    assert np.isnan(dimension.decay_time(lags, np.ones(10)))


def test_a_nan_in_the_dynamics_names_the_network(tiny, monkeypatch):
    from rnnrepro.clark2025 import model
    from rnnrepro.experiments import SimulationError

    config = copy.deepcopy(tiny)
    params = config[PAPER]["experiments"]["dimension"]
    params["sweeps"] = {"one": {"spectrum": "paper", "N": [30], "networks": 1,
                                "g_eff": [3.0], "effective_ranks": [0.5]}}
    real = model.couplings
    monkeypatch.setattr(model, "couplings",
                        lambda *a, **k: np.full_like(real(*a, **k), np.nan))
    with pytest.raises(SimulationError, match=r"dimension run \w+ \(spectrum=paper, N=30"):
        run_experiment(config, "dimension")


def test_simulated_work_adds_up_every_planned_network(tiny):
    from rnnrepro.clark2025.cost import simulated_work
    from rnnrepro.stages import experiment_params

    work = simulated_work(tiny)
    planned = dimension.plan(experiment_params(tiny, "dimension", "plan"), {})
    rows = work[work["experiment"] == "dimension"]
    assert rows["networks"].sum() == len(planned)
    expected = (planned["trajectories"] * (planned["burn_in"] + planned["time_units"])).sum()
    assert rows["trajectory_time_units"].sum() == pytest.approx(expected)
    assert set(work["experiment"]) == {"dimension", "few_modes", "iid_networks",
                                       "heterogeneity", "overlaps", "overlaps_solver"}
    # step-spectrum networks of fewer than N/2 modes are counted at their factors' rank
    step = planned[planned["spectrum"] == "step"]
    factored = [round(r * n) for r, n in zip(step["effective_rank"], step["N"])
                if 2 * round(r * n) < n]
    assert sorted(rows.loc[rows["modes"] > 0, "modes"].unique()) == sorted(set(factored))
    few = work[work["experiment"] == "few_modes"]
    assert few["networks"].sum() == len(few_modes.plan(
        experiment_params(tiny, "few_modes", "plan"), {}))
    overlap_plan = overlaps_experiment.plan(experiment_params(tiny, "overlaps", "plan"), {})
    networks = work[work["experiment"] == "overlaps"]["networks"].sum()
    assert networks == (overlap_plan["kind"] == "network").sum()
    # the solver's work: every nonzero overlap of every curve, |gamma| only at PR^D = 1
    theory = tiny["clark2025"]["experiments"]["overlaps"]["theory"]
    gammas = [g for g in theory["overlaps"] if g != 0]
    points = sum(len({abs(g) for g in gammas}) if pr_d == 1.0 else len(set(gammas))
                 for pr_d in theory["pr_d"]) * len(theory["g_eff"])
    assert work[work["experiment"] == "overlaps_solver"]["networks"].sum() == points


def test_solver_iteration_is_timed_at_the_given_settings():
    from rnnrepro.clark2025 import overlaps
    from rnnrepro.clark2025.cost import solver_seconds_per_iteration

    small = overlaps.SamplerSettings(n_samples=50, tau_max=30.0, dtau=0.1, t_burn=5.0,
                                     lag_max=10.0, response_max=10.0)
    assert 0 < solver_seconds_per_iteration(small, iterations=1) < 60


def test_heterogeneity_rows_hold_every_readout_with_its_theory(tiny):
    from rnnrepro.clark2025.experiments import heterogeneity

    table, _ = run_experiment(tiny, "heterogeneity", shards=2)
    networks = table[table["kind"] == "network"]
    assert set(networks["readout"]) == set(heterogeneity.READOUTS)
    assert len(networks) == 3 * 2                       # tiny: two networks
    assert networks["pr_phi"].notna().all() and networks["pr_phi_theory"].notna().all()
    theory = table[(table["kind"] == "theory") & (table["pr_g"] < 1)]
    wide = theory.pivot_table(index=["g_eff", "effective_rank", "pr_g"], columns="readout",
                              values="pr_phi_theory")
    # Sec. VI: z-scored > random readout > unnormalized whenever PR^G < 1
    assert (wide["normalized"] > wide["random_readout"]).all()
    assert (wide["random_readout"] > wide["unnormalized"]).all()
    same = run_experiment(tiny, "heterogeneity", shards=1)[0]
    pd.testing.assert_frame_equal(table, same)          # independent of sharding


def test_overlap_curves_are_exact_at_zero_and_networks_meet_their_point(tiny):
    table, _ = run_experiment(tiny, "overlaps", shards=2)
    points = table[table["kind"] == "theory"]
    zero = points[points["overlap"] == 0.0].iloc[0]
    assert zero["exact"] and zero["pr_phi_theory"] == pytest.approx(
        float(theory.dimension(zero["g_eff"], zero["pr_d"])), rel=1e-12)
    assert {"solver_samples", "solver_iterations", "solver_dtau"} <= set(table.columns)
    networks = table[table["kind"] == "network"]
    assert len(networks) == 2 and networks["pr_phi_theory"].notna().all()
    strong = points[points["overlap"] == 0.6]["pr_phi_theory"].iat[0]
    assert strong < zero["pr_phi_theory"]               # overlaps lower the dimension


def test_simulated_overlap_points_must_lie_on_the_theory_grid(tiny):
    from rnnrepro.clark2025.experiments import overlaps

    section = copy.deepcopy(tiny["clark2025"]["experiments"]["overlaps"])
    section["networks"]["overlaps"] = [0.3]
    problems = overlaps.check(section, tiny["clark2025"])
    assert [p.key for p in problems] == ["networks.overlaps"]
