import numpy as np
import pytest
from scipy.linalg import expm

from rnnrepro.chandra2024 import kernels, model, theory
from rnnrepro.chandra2024.model import (
    SimulationError,
    Stepper,
    check_finite,
    lock_in,
    phase_gain,
    phi,
    radial_gain,
    relax,
    trace_decay,
)

rng = np.random.default_rng(12345)


def random_field(*shape, scale=1.0):
    return scale * (rng.standard_normal(shape) + 1j * rng.standard_normal(shape))


def test_phi_preserves_phase_and_saturates():
    z = random_field(1000, scale=10)
    w = phi(z)
    assert np.all(np.abs(w) < 1)
    np.testing.assert_allclose(np.angle(w), np.angle(z), atol=1e-14)
    np.testing.assert_allclose(np.abs(w), np.abs(z) / np.sqrt(1 + np.abs(z) ** 2), rtol=1e-14)


def test_phi_in_place_equals_out_of_place():
    z = random_field(64)
    expected = phi(z)
    out = phi(z, out=z)
    assert out is z
    np.testing.assert_array_equal(z, expected)


@pytest.mark.parametrize("y", [1e-3, 0.1, 0.7, 3.0])
def test_gains_are_derivatives_of_phi(y):
    h = 1e-6 * max(y, 1)
    radial = (abs(phi(y + h)) - abs(phi(y - h))) / (2 * h)
    tangential = abs(phi(y * np.exp(1j * h)) - phi(y)) / (y * h)
    assert radial == pytest.approx(float(radial_gain(y)), rel=1e-8)
    assert tangential == pytest.approx(float(phase_gain(y)), rel=1e-6)


def test_convolution_matches_matrix_exponential_of_the_generator():
    # U = expm(G) with G the dense first-neighbour generator after k = i + E j
    shape = (5, 4)
    coeffs = dict(a=-0.3j, b=0.2 + 0.1j, c=-(0.2 - 0.1j), d=0.05j, e=0.05j)
    lam = kernels.first_neighbour_multipliers(shape, **coeffs)
    unitary = expm(kernels.generator_matrix(shape, **coeffs))
    z = random_field(*shape)
    expected = (unitary @ z.flatten(order="F")).reshape(shape, order="F")
    np.testing.assert_allclose(Stepper(lam).convolve(z[None])[0], expected, atol=1e-13)


def test_step_is_phi_of_convolution_plus_input():
    lam = kernels.random_multipliers((32,), seed=3)
    stepper = Stepper(lam)
    z, inputs = random_field(3, 32, scale=0.3), random_field(3, 32, scale=0.1)
    expected = phi(np.fft.ifft(lam * np.fft.fft(z, axis=-1), axis=-1) + inputs)
    np.testing.assert_allclose(stepper(z, inputs), expected, atol=1e-15)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("shape", [(16,), (96,), (8, 8)])
def test_a_run_does_not_depend_on_its_batch(dtype, shape):
    # sharding relies on it: the same run gives the same bits in any batch
    stepper = Stepper(kernels.random_multipliers(shape, seed=1), dtype)
    z = random_field(13, *shape, scale=0.5).astype(dtype)
    together = stepper(stepper(z, 0.01), 0.01)
    for i in (0, 6, 12):
        alone = stepper(stepper(z[i:i + 1], 0.01), 0.01)
        np.testing.assert_array_equal(alone[0], together[i])


def test_stepper_rejects_real_dtype():
    with pytest.raises(ValueError, match="complex"):
        Stepper(np.ones(4), "float64")


def test_check_finite_names_the_runs():
    values = np.array([[1.0, 2.0], [np.nan, 1.0], [np.inf, 0.0]])
    with pytest.raises(SimulationError, match=r"run\(s\): b; c"):
        check_finite(values, ["a", "b", "c"])


def test_nan_input_stops_the_simulation_naming_the_run():
    stepper = Stepper(kernels.laplacian_multipliers((8,), 1.0))
    inputs = np.array([1e-3, np.nan]).reshape(2, 1)
    with pytest.raises(SimulationError, match="run-nan"), np.errstate(invalid="ignore"):
        relax(stepper, stepper.zeros(2), inputs, tol=1e-10, max_iter=1000,
              labels=["run-ok", "run-nan"])


def test_relax_reaches_the_theoretical_fixed_point_and_reports_convergence():
    stepper = Stepper(kernels.laplacian_multipliers((8,), 1.0))
    inputs = np.array([1e-3, 0.05, 0.11])
    result = relax(stepper, stepper.zeros(3), inputs.reshape(3, 1).astype(complex),
                   tol=1e-12, max_iter=100_000)
    assert result.converged.all()
    np.testing.assert_allclose(result.state.mean(axis=1).real, theory.fixed_point(inputs),
                               rtol=1e-10)
    assert np.all(result.rel_error < 1e-11)


def test_relax_flags_a_run_stopped_by_max_iter():
    stepper = Stepper(kernels.laplacian_multipliers((8,), 1.0))
    result = relax(stepper, stepper.zeros(1), np.full((1, 1), 1e-6 + 0j), tol=1e-12,
                   max_iter=64)
    assert not result.converged[0]
    assert result.iterations[0] == 64


def test_trace_decay_stops_each_run_after_its_decay():
    stepper = Stepper(kernels.laplacian_multipliers((4,), 1.0))
    inputs = np.array([0.01, 0.1]).reshape(2, 1)
    fixed = theory.fixed_point(inputs).astype(complex) * np.ones((2, 4))
    traces = trace_decay(stepper, fixed * (1 + 1e-6), inputs.astype(complex),
                         lambda z, zn, rows: (zn - z).mean(axis=1).real,
                         decay_factor=1e-3, max_iter=10_000)
    g_r = theory.gains_at_fixed_point(inputs.ravel())[0]
    for trace, gain in zip(traces, g_r):
        assert abs(trace[-1]) < 1e-3 * abs(trace[0]) <= abs(trace[-2])
        np.testing.assert_allclose(trace[1:] / trace[:-1], gain, rtol=1e-4)


@pytest.mark.parametrize("dtype, huge", [("complex128", 1e200), ("complex64", 1e30)])
def test_phi_saturates_for_any_finite_input(dtype, huge):
    """|z|^2 overflows for these inputs; phi must still return modulus ~1 with the
    input's phase, not 0 (which a relaxation would report as a fixed point)."""
    z = np.array([huge * np.exp(0.3j), 0.5, -huge * 1j], dtype=dtype)
    with np.errstate(over="ignore"):     # the fast path overflows, then falls back
        out = phi(z.copy())
    np.testing.assert_allclose(np.abs(out), [1.0, 0.5 / np.sqrt(1.25), 1.0], rtol=1e-6)
    np.testing.assert_allclose(np.angle(out[[0, 2]]), [0.3, -np.pi / 2], atol=1e-6)
    assert float(np.abs(phi(np.array(1e200)))) == pytest.approx(1.0)   # the real map too


def test_phi_keeps_nan_visible():
    out = phi(np.array([np.nan + 0j, 0.1 + 0j]))
    assert np.isnan(out[0]) and np.isfinite(out[1])


# --- the compiled (numba) backend and the lock-in's batch independence ----------------

needs_numba = pytest.mark.skipif(model.default_backend() != "numba",
                                 reason="numba is not installed (or RNNREPRO_BACKEND=numpy)")


@needs_numba
@pytest.mark.parametrize("dtype, huge", [("complex64", 1e30), ("complex128", 1e200)])
def test_compiled_phi_is_bit_identical_to_numpy(dtype, huge):
    """The compiled kernel does numpy's operations in numpy's order: same bits, also where
    |z|^2 overflows or z is NaN (element by element)."""
    z = random_field(7, 33, scale=3.0).astype(dtype)
    z[2, 5], z[4, 0], z[6, 32] = huge * np.exp(0.7j), np.nan, -huge
    stepper = Stepper(np.ones(33), dtype, backend="numba")
    with np.errstate(over="ignore", invalid="ignore"):
        expected = phi(z.copy())
        got = stepper.activate(z.copy())
    np.testing.assert_array_equal(got, expected)
    forcing = random_field(7, scale=0.1).astype(dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        numpy_path = Stepper(np.ones(33), dtype, backend="numpy").drive_site(z.copy(), forcing)
        compiled_path = stepper.drive_site(z.copy(), forcing)
    np.testing.assert_array_equal(compiled_path, numpy_path)


def test_phi_overflow_stays_element_by_element():
    """An overflowing element takes the slow form alone: its neighbours keep their bits."""
    z = random_field(50, scale=2.0).astype("complex64")
    plain = phi(z.copy())
    z[17] = 1e30
    with np.errstate(over="ignore"):
        mixed = phi(z.copy())
    np.testing.assert_array_equal(np.delete(mixed, 17), np.delete(plain, 17))
    assert abs(mixed[17]) == pytest.approx(1.0)


def test_stepper_rejects_an_unknown_backend():
    with pytest.raises(ValueError, match="backend"):
        Stepper(np.ones(4), backend="fortran")


def _lock_in_case(dtype, backend, rows=slice(None)):
    lam = kernels.random_multipliers((48,), seed=4)
    omega = np.linspace(0.2, 6.0, 7)[rows]
    amplitude = np.geomspace(3e-3, 0.3, 7)[rows]
    # different switch-on lengths and windows: the batch's chunks are cut where any run
    # ends a window, so a run alone is chunked differently from the same run in a batch
    ramp = (np.arange(7) * 101 + 13)[rows]
    return lock_in(Stepper(lam, dtype, backend=backend), amplitude, omega,
                   np.arange(7)[rows], "site", block=96, tol=1e-4, max_iter=40_000,
                   switch_on_length=ramp)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_lock_in_run_does_not_depend_on_its_batch(dtype):
    together = _lock_in_case(dtype, None)
    for i in (0, 3, 6):
        alone = _lock_in_case(dtype, None, slice(i, i + 1))
        for field in ("site", "mode", "iterations", "rel_change", "state"):
            np.testing.assert_array_equal(getattr(alone, field)[0], getattr(together, field)[i])


@needs_numba
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_lock_in_backends_agree_bit_for_bit(dtype):
    compiled, plain = _lock_in_case(dtype, "numba"), _lock_in_case(dtype, "numpy")
    for field in ("site", "mode", "iterations", "rel_change", "rel_error", "state"):
        np.testing.assert_array_equal(getattr(compiled, field), getattr(plain, field))


def test_lock_in_from_the_steady_state_needs_the_fewest_windows():
    """A run started at its exact steady state (plane drive: the single-mode solution)
    holds it: the lock-in reads it back after the minimum three windows."""
    lam = kernels.random_multipliers((16,), seed=5)
    theta = np.mod(np.angle(lam), 2 * np.pi)
    amplitude, mode = np.array([1e-3, 1e-2, 0.3]), np.array([2, 7, 11])
    omega = theta[mode] + np.array([0.0, 0.01, 0.5])
    exact = theory.resonance_amplitude(amplitude, omega, theta[mode])
    start = exact[:, None] * np.exp(2j * np.pi * np.outer(mode, np.arange(16)) / 16)
    result = lock_in(Stepper(lam, "complex128"), amplitude, omega, mode, "plane",
                     block=256, tol=1e-6, max_iter=4096, start=start)
    assert result.converged.all() and (result.iterations <= 4 * 256).all()
    np.testing.assert_allclose(result.mode, exact, rtol=1e-10)
    with pytest.raises(ValueError, match="start"):
        lock_in(Stepper(lam), amplitude, omega, mode, "plane", block=256, tol=1e-6,
                max_iter=4096, start=start[:, :8])


@needs_numba
@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("shape", [(16,), (4, 4)])
def test_compiled_step_with_inputs_is_bit_identical(dtype, shape):
    lam = kernels.random_multipliers(shape, seed=2)
    z = random_field(5, *shape, scale=0.4).astype(dtype)
    inputs = [random_field(5, *shape, scale=0.1).astype(dtype),       # per run and site
              random_field(5, *[1] * len(shape), scale=0.1).astype(dtype),   # per run
              random_field(1, *shape, scale=0.1).astype(dtype),       # per site
              np.full((5,) + (1,) * len(shape), 0.01),                # float64: numpy adds
              0.02]
    for source in inputs:
        compiled = Stepper(lam, dtype, backend="numba")(z, source)
        plain = Stepper(lam, dtype, backend="numpy")(z, source)
        np.testing.assert_array_equal(compiled, plain)


def test_throughput_benchmark_measures_both_loops():
    from rnnrepro.chandra2024.benchmark import measure_throughput

    row = measure_throughput(64, 4, "complex64", steps=8, backend="numpy")
    assert row["backend"] == "numpy" and row["step_ratio"] > 0 and row["lock_in_ratio"] > 0
