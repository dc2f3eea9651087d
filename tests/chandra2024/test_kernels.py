import numpy as np
import pytest

from rnnrepro.chandra2024 import kernels


def test_laplacian_kernel_is_unitary_with_marginal_uniform_mode():
    lam = kernels.laplacian_multipliers((12, 10), alpha=0.7)
    assert kernels.check_unitary(lam) < 1e-14
    assert lam[0, 0] == 1
    eps = kernels.laplacian_eigenvalues((12, 10))
    assert eps[1, 0] == pytest.approx(2 - 2 * np.cos(2 * np.pi / 12))


def test_laplacian_is_the_first_neighbour_kernel_with_laplacian_coefficients():
    alpha = 0.8
    two_d = kernels.first_neighbour_multipliers((6, 6), a=-4j * alpha, b=1j * alpha,
                                                c=1j * alpha, d=1j * alpha, e=1j * alpha)
    np.testing.assert_allclose(two_d, kernels.laplacian_multipliers((6, 6), alpha), atol=1e-14)
    ring = kernels.first_neighbour_multipliers((9,), a=-2j * alpha, b=1j * alpha, c=1j * alpha)
    np.testing.assert_allclose(ring, kernels.laplacian_multipliers((9,), alpha), atol=1e-14)


def test_random_kernel_is_seeded_and_unitary():
    a = kernels.random_multipliers((64,), seed=7)
    np.testing.assert_array_equal(a, kernels.random_multipliers((64,), seed=7))
    assert not np.array_equal(a, kernels.random_multipliers((64,), seed=8))
    kernels.check_unitary(a)


@pytest.mark.parametrize("coeffs, message", [
    (dict(a=0.1, b=0.2j, c=0.2j), "a = .* must be purely imaginary"),
    (dict(a=0.1j, b=0.2, c=0.2), "c = .* must equal -conj"),
    (dict(a=0.1j, b=0.2j, c=0.2j, d=0.3, e=0.3), "e = .* must equal -conj"),
])
def test_non_anti_hermitian_generator_is_rejected(coeffs, message):
    with pytest.raises(kernels.KernelError, match=message):
        kernels.first_neighbour_multipliers((4, 4), **coeffs)


def test_generator_matrix_is_anti_hermitian_exactly_when_the_stencil_is():
    good = kernels.generator_matrix((4, 4), a=0.5j, b=0.1 + 0.2j, c=-0.1 + 0.2j, d=0.3j,
                                    e=0.3j)
    np.testing.assert_allclose(good, -good.conj().T)
    bad = kernels.generator_matrix((4, 4), a=0.5j, b=0.1, c=0.1)
    assert not np.allclose(bad, -bad.conj().T)


def test_transposition_is_central_symmetry():
    # Fig. 2 caption: transposing the matrix swaps b<->c and d<->e
    coeffs = dict(a=0.5j, b=0.1 + 0.2j, c=0.3 - 0.1j, d=0.7, e=-0.2j)
    swapped = dict(a=0.5j, b=coeffs["c"], c=coeffs["b"], d=coeffs["e"], e=coeffs["d"])
    np.testing.assert_array_equal(kernels.generator_matrix((5, 5), **coeffs).T,
                                  kernels.generator_matrix((5, 5), **swapped))


def test_check_unitary_rejects_a_non_unitary_multiplier():
    lam = np.exp(1j * np.linspace(0, 1, 8))
    lam[3] *= 1.001
    with pytest.raises(kernels.KernelError, match="not unitary"):
        kernels.check_unitary(lam)


def test_build_save_and_load_roundtrip(tmp_path):
    spec = {"type": "first_neighbour", "shape": [4, 6], "a": [0, 0.5], "b": [0.1, 0.2],
            "c": [-0.1, 0.2], "d": 0, "e": 0}
    kernel = kernels.build("fn", spec)
    kernels.save(kernel, tmp_path / "fn.npz")
    loaded = kernels.load(tmp_path / "fn.npz")
    assert loaded.name == "fn" and loaded.params == spec
    np.testing.assert_array_equal(loaded.multipliers, kernel.multipliers)
    assert loaded.theta.min() >= 0 and loaded.theta.max() < 2 * np.pi


def test_unknown_kernel_type_is_rejected():
    with pytest.raises(kernels.KernelError, match="unknown kernel type"):
        kernels.build("x", {"type": "gaussian", "shape": [4]})


def test_check_unitary_rejects_nan_and_infinity():
    for bad in (np.nan, np.inf):
        with pytest.raises(kernels.KernelError, match="NaN or infinity"):
            kernels.check_unitary(np.array([1.0, bad], dtype=complex))
