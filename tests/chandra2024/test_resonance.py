"""Resonances (Fig. 5): theory, lock-in simulation against it, and the Newton check."""

import numpy as np
import pandas as pd
import pytest

from rnnrepro import experiments
from rnnrepro.chandra2024 import kernels, theory
from rnnrepro.chandra2024.experiments import resonance as rs
from rnnrepro.chandra2024.model import SimulationError, Stepper, lock_in, phi
from rnnrepro.config import load_config


def model_relation(r, d):
    """The relation as docs/chandra2024.md writes it:
    A^2 = r^2 [1/(1-r^2) + 1 - 2 cos(d)/sqrt(1-r^2)]."""
    return np.sqrt(r ** 2 * (1 / (1 - r ** 2) + 1 - 2 * np.cos(d) / np.sqrt(1 - r ** 2)))


@pytest.mark.parametrize("r", [0.05, 0.3, 0.8])
@pytest.mark.parametrize("d", [0.0, 0.1, 2.0])
def test_cancellation_free_relation_equals_the_model_form(r, d):
    assert float(theory.drive_for_response(r, d)) == pytest.approx(model_relation(r, d),
                                                                   rel=1e-9)


def test_response_solves_the_relation_at_every_detuning_and_amplitude():
    amplitude, detuning = np.meshgrid(np.logspace(-8, -0.2, 15), np.r_[0, np.logspace(-8, 0.5, 12)])
    r = theory.resonance_response(amplitude, detuning)
    np.testing.assert_allclose(theory.drive_for_response(r, detuning), amplitude, rtol=1e-13)
    assert np.all(np.diff(r, axis=0) <= 0)  # the response falls away from resonance


def test_limits_cube_root_linear_and_widening():
    assert float(theory.resonance_response(1e-9, 0.0)) == pytest.approx((2e-9) ** (1 / 3), rel=1e-5)
    assert float(theory.resonance_response(1e-9, 1.0)) == pytest.approx(1e-9 / (2 * np.sin(0.5)),
                                                                        rel=1e-8)
    assert theory.resonance_half_width(1e-9) == pytest.approx(
        np.sqrt(7) / 4 * (2e-9) ** (2 / 3), rel=1e-4)


def test_complex_amplitude_is_a_steady_state_of_the_map():
    amplitude, omega, theta = 0.02, 1.3, 1.25
    a = complex(theory.resonance_amplitude(amplitude, omega, theta))
    # Z_n = a e^{i omega n}: a e^{i omega} = phi(lambda a + A)
    assert a * np.exp(1j * omega) == pytest.approx(
        complex(phi(np.array(np.exp(1j * theta) * a + amplitude))), abs=1e-15)


def test_site_prediction_sums_single_modes_driven_by_a_over_n():
    thetas = np.array([0.3, 1.0, 2.5, 4.0])
    total, modes = theory.site_drive_prediction(0.01, 1.0, thetas)
    np.testing.assert_allclose(modes, theory.resonance_amplitude(0.0025, 1.0, thetas))
    assert total == pytest.approx(modes.sum())


def test_plane_wave_lock_in_matches_the_exact_relation():
    """Converged plane-drive runs match the exact relation to 1e-6 relative."""
    lam = kernels.random_multipliers((8,), seed=5)
    theta = np.mod(np.angle(lam), 2 * np.pi)
    amplitude, detuning = [a.ravel() for a in np.meshgrid([1e-6, 1e-4, 1e-2, 0.3],
                                                          [0.0, 0.05, 2.0])]
    mode = np.full(amplitude.size, 3)
    omega = theta[mode] + detuning
    result = lock_in(Stepper(lam, "complex128"), amplitude, omega, mode, "plane",
                     block=4096, tol=3e-7, max_iter=2 ** 19, switch_on_length=16384)
    exact = theory.resonance_amplitude(amplitude, omega, theta[mode])
    ok = result.converged
    # intermediate detunings at weak drive relax slowly (A = 1e-4, d = 0.05 needs more
    # than 2^19 steps): flagged, not mixed in; resonance and far runs always converge
    assert ok.sum() >= 11 and ok[detuning == 0].all() and ok[detuning == 2.0].all()
    np.testing.assert_allclose(np.abs(result.mode[ok]), np.abs(exact[ok]), rtol=1e-6)
    np.testing.assert_allclose(result.mode[ok], exact[ok], rtol=2e-6)  # phase too


def test_newton_steady_state_agrees_with_the_lock_in():
    kernel = kernels.build("k", {"type": "random", "shape": [16], "seed": 3})
    omega, amplitude = kernel.theta[5] + 0.01, 0.05
    stepper = Stepper(kernel.multipliers, "complex128")
    result = lock_in(stepper, [amplitude], [omega], [5], "site", block=1024, tol=1e-9,
                     max_iter=2 ** 20)
    assert result.converged[0]
    guess = result.state[0] * np.exp(-1j * omega * result.iterations[0])
    solver = rs.SteadyStateSolver(kernel)
    w, residual = solver.solve(amplitude, omega, rs.pattern_vector("site", 5, 16), guess)
    assert residual < 1e-13
    assert w[0] == pytest.approx(result.site[0], rel=1e-7)
    # the Newton solve converges from rest as well: the steady state is unique
    w0, residual0 = solver.solve(amplitude, omega, rs.pattern_vector("site", 5, 16),
                                 np.zeros(16, complex))
    assert residual0 < 1e-13 and np.allclose(w0, w, atol=1e-12)


def test_lock_in_stops_on_nan_naming_the_run():
    stepper = Stepper(kernels.random_multipliers((8,), seed=1))
    with pytest.raises(SimulationError, match="bad-run"), np.errstate(invalid="ignore"):
        lock_in(stepper, [0.01, np.nan], [1.0, 1.0], [0, 0], "site", block=64, tol=1e-3,
                max_iter=256, labels=["good-run", "bad-run"])


def test_half_width_interpolates_between_samples():
    width = 3.7e-3
    d = np.r_[0.0, np.logspace(-5, 0, 31)]
    r = 1 / np.sqrt(1 + (d / width) ** 2)  # Lorentzian power: half power at d = width
    assert rs.half_width(d, r) == pytest.approx(width, rel=0.02)
    converged = np.ones_like(d, bool)
    converged[5] = False
    assert np.isnan(rs.half_width(d, r, converged))


@pytest.fixture(scope="module")
def tiny_resonance(repo):
    config = load_config(repo / "config.yaml", repo / "config" / "tiny.yaml")
    section = config["chandra2024"]
    params, specs = section["experiments"]["resonance"], section["kernels"]
    built = {n: kernels.build(n, specs[n]) for n in rs.kernel_names(params)}
    return params, specs, built, rs.plan(params, built)


def test_plan_observes_the_nearest_mode_and_ids_are_unique(tiny_resonance):
    params, specs, built, runs = tiny_resonance
    assert runs["run_id"].is_unique
    spectrum = runs[runs["kind"] == "spectrum"]
    theta = built[params["sweeps"]["spectrum"]["kernel"]].theta
    for omega, mode in zip(spectrum["omega"], spectrum["mode"]):
        assert np.abs(rs.circular_offset(omega, theta)).argmin() == mode
    assert set(runs["sweep"]) == set(params["sweeps"])


def test_sharded_simulation_gives_the_same_rows(tiny_resonance):
    params, specs, built, runs = tiny_resonance
    subset = runs[runs["sweep"] == "detail"].reset_index(drop=True)
    whole = rs.measure(rs.simulate(subset, built, params), runs, built, params)
    parts = [rs.measure(rs.simulate(experiments.shard_of(subset, i, 3), built, params),
                        runs, built, params) for i in range(3)]
    merged = pd.concat(parts).set_index("run_id").loc[whole["run_id"]].reset_index()
    pd.testing.assert_frame_equal(whole, merged, check_exact=True)
    validated = whole[whole["validate"]]
    assert len(validated) > 0 and (validated["validation_rel_dev"] < 1e-3).all()


# --- runs that start at an estimate of their steady state -----------------------------

def test_mean_field_state_is_exact_for_a_plane_wave_drive():
    kernel = kernels.build("k", {"type": "random", "shape": [32], "seed": 7})
    theta = kernel.theta.ravel()
    for amplitude, detuning in [(1e-4, 0.0), (1e-2, 0.03), (0.3, 1.0)]:
        omega = theta[9] + detuning
        w = rs.mean_field_state(kernel.multipliers, amplitude, omega,
                                rs.pattern_vector("plane", 9, 32))
        exact = complex(theory.resonance_amplitude(amplitude, omega, theta[9]))
        np.testing.assert_allclose(w, exact * rs.pattern_vector("plane", 9, 32), rtol=1e-9)


@pytest.mark.parametrize("amplitude", [10 ** -2.5, 1e-1, 10 ** -0.5])
@pytest.mark.parametrize("detuning", [0.0, 3e-4, 0.05])
def test_steady_state_estimate_is_the_steady_state(amplitude, detuning):
    """The refined estimate solves the steady-state equation: Newton's method started
    from it takes no step, and Newton from rest lands on it."""
    kernel = kernels.build("k", {"type": "random", "shape": [64], "seed": 3})
    omega = kernel.theta.ravel()[11] + detuning
    pattern = rs.pattern_vector("site", 11, 64)
    w, iterations, change = rs.steady_state_estimate(kernel.multipliers, amplitude, omega,
                                                     pattern)
    assert change <= rs.ESTIMATE_TOL and iterations < rs.ESTIMATE_ITERATIONS
    solver = rs.SteadyStateSolver(kernel)
    _, residual = solver.solve(amplitude, omega, pattern, w, max_steps=1)
    assert residual < 1e-13
    from_rest, residual = solver.solve(amplitude, omega, pattern, np.zeros(64, complex))
    assert residual < 1e-13
    # the Jacobian is nearly singular next to a resonance: equal to ~1e-10, not 1e-13
    np.testing.assert_allclose(w, from_rest, rtol=0, atol=1e-8 * np.abs(w).max())


def _two_starts(repo):
    config = load_config(repo / "config.yaml", repo / "config" / "tiny.yaml")
    section = config["chandra2024"]
    sweep = dict(section["experiments"]["resonance"]["sweeps"]["detail"])
    params = {"sweeps": {"rest": {**sweep, "start": "rest"},
                         "estimate": {**sweep, "start": "estimate"}}}
    built = {n: kernels.build(n, section["kernels"][n]) for n in rs.kernel_names(params)}
    return params, built, rs.plan(params, built)


def test_a_run_from_its_estimate_agrees_with_the_run_from_rest(repo):
    params, built, runs = _two_starts(repo)
    raw = rs.simulate(runs, built, params)
    rest = (runs["sweep"] == "rest").to_numpy()
    assert raw["converged"].all()
    assert (raw["started_from"][~rest] == "estimate").all()
    assert (raw["started_from"][rest] == "rest").all()
    for key in ("site", "mode"):
        deviation = np.abs(raw[key][~rest] - raw[key][rest]) / np.abs(raw[key][rest])
        assert deviation.max() < 1e-3
    # no switch-on, and the lock-in settles in the fewest windows (L, L, 2L)
    block = params["sweeps"]["estimate"]["block"]
    assert raw["iterations"][~rest].max() <= 4 * block
    assert raw["iterations"][~rest].sum() < raw["iterations"][rest].sum()
    # the start is part of a run's identity; a run from rest keeps the id it had
    # before runs could start elsewhere (same parameters, same result)
    assert not set(runs["run_id"][rest]) & set(runs["run_id"][~rest])
    old = dict(params["sweeps"]["rest"])
    del old["start"]
    unchanged = rs.plan({"sweeps": {"rest": old}}, built)
    assert list(unchanged["run_id"]) == list(runs["run_id"][rest])


def test_estimate_starts_do_not_depend_on_sharding(repo):
    params, built, runs = _two_starts(repo)
    runs = runs[runs["sweep"] == "estimate"].reset_index(drop=True)
    whole = rs.measure(rs.simulate(runs, built, params), runs, built,
                       {**params, "validate_every": 2, "solve_sweeps": []})
    parts = [rs.measure(rs.simulate(experiments.shard_of(runs, i, 3), built, params),
                        runs, built, {**params, "validate_every": 2, "solve_sweeps": []})
             for i in range(3)]
    merged = pd.concat(parts).set_index("run_id").loc[whole["run_id"]].reset_index()
    pd.testing.assert_frame_equal(whole, merged, check_exact=True)
    validated = whole[whole["validate"]]
    assert len(validated) > 0 and (validated["validation_rel_dev"] < 1e-3).all()


def test_cost_benchmark_reports_every_intensity():
    from rnnrepro.chandra2024.benchmark import measure_cost

    table = measure_cost(64, 8, sample=2, amplitudes_log10=(-1.0, -2.0))
    assert list(table["amplitude"]) == pytest.approx([1e-2, 1e-1])
    assert (table["runs"] == 2).all() and (table["iterations"] >= 2048).all()
    assert (table["cpu_per_run"] > 0).all() and table["newton_seconds"].iat[0] > 0
