"""Unitary convolution kernels, stored as their Fourier multipliers.

A kernel is ``U = F^-1{exp(F{A})}`` with ``A`` an anti-Hermitian convolution, so
every multiplier ``lambda_k = exp(i theta_k)`` has modulus 1: the network sits exactly
at its critical point.  Multipliers are arrays in the lattice's shape in numpy's FFT
ordering, the plane wave ``e_k`` being the eigenmode with eigenvalue ``lambda_k``.

Kernels of the paper:

- ``random``: "completely random K", ``theta_k`` i.i.d. uniform on ``[0, 2 pi)``;
- ``first_neighbour``: ``exp`` of the generator of Fig. 2,
  ``y_ij = a x_ij + b x_{i+1,j} + c x_{i-1,j} + d x_{i,j+1} + e x_{i,j-1}``,
  anti-Hermitian iff ``a`` is imaginary, ``c = -conj(b)`` and ``e = -conj(d)``;
- ``laplacian``: ``A = i alpha Laplacian``, ``lambda_k = exp(-i alpha eps(k))`` with
  ``eps(k) = sum_d (2 - 2 cos(2 pi k_d / N_d))``; ``lambda_0 = 1`` exactly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from rnnrepro import schema
from rnnrepro.config import Problem
from rnnrepro.io import atomic_write

__all__ = ["SCHEMA", "UNITARITY_TOL", "KernelError", "Kernel", "wavenumbers",
           "laplacian_eigenvalues", "laplacian_multipliers", "random_multipliers",
           "check_anti_hermitian_stencil", "first_neighbour_symbol", "generator_matrix",
           "first_neighbour_multipliers", "check_unitary", "check", "build", "save", "load"]

UNITARITY_TOL = 1e-12
_COEFFICIENT = {"description": "a complex number: a number or [real, imag]",
                "oneOf": [{"type": "number"},
                          {"type": "array", "items": {"type": "number"}, "minItems": 2,
                           "maxItems": 2}]}
#: config schema of one kernel (``chandra2024.kernels.<name>``)
SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["type", "shape"],
    "description": "a unitary convolution kernel",
    "properties": {
        "type": schema.choice("kernel family: laplacian (lambda_k = exp(-i alpha eps(k)), "
                              "lambda_0 = 1), random (eigenphases i.i.d. uniform) or "
                              "first_neighbour (exp of the Fig. 2 generator)",
                              ["laplacian", "random", "first_neighbour"]),
        "shape": schema.array("lattice shape: [N] for a ring, [E, E] for a torus",
                              schema.integer("sites along an axis", 1, 1 << 16), 1, 2),
        "alpha": schema.number("laplacian: strength alpha of A = i alpha Laplacian"),
        "seed": schema.integer("random: seed of the eigenphases", 0),
        **{c: {**_COEFFICIENT, "description": f"first_neighbour: generator coefficient {c}"
               " (a number or [real, imag]); anti-Hermitian: a imaginary, c = -conj(b), "
               "e = -conj(d)"} for c in "abcde"},
    },
    "allOf": [
        {"if": {"properties": {"type": {"const": "laplacian"}}},
         "then": {"required": ["alpha"]}},
        {"if": {"properties": {"type": {"const": "random"}}}, "then": {"required": ["seed"]}},
        {"if": {"properties": {"type": {"const": "first_neighbour"}}},
         "then": {"required": ["a", "b", "c"]}},
    ],
}


class KernelError(ValueError):
    """A kernel specification that does not define a unitary convolution."""


@dataclass
class Kernel:
    """A named unitary kernel: Fourier multipliers and the parameters that built it."""

    name: str
    multipliers: np.ndarray
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, ...]:
        """Lattice shape ``(N,)`` or ``(E, E)``: the shape of ``multipliers``."""
        return self.multipliers.shape

    @property
    def theta(self) -> np.ndarray:
        """Eigenphases ``theta_k = arg lambda_k`` in ``[0, 2 pi)``."""
        return np.mod(np.angle(self.multipliers), 2 * np.pi)


def wavenumbers(shape: tuple[int, ...]) -> list[np.ndarray]:
    """Angular wavenumbers ``2 pi k_d / N_d`` per axis, broadcastable, FFT ordering.

    Parameters
    ----------
    shape : tuple of int
        Lattice shape ``(N,)`` (ring) or ``(E, E)`` (torus), sites per axis.

    Returns
    -------
    list of numpy.ndarray
        One array per axis ``d``, in radians per site in ``[-pi, pi)`` (numpy's
        ``fftfreq`` ordering), of length ``N_d`` along axis ``d`` and 1 along the
        others, so that they broadcast against each other to ``shape``.
    """
    grids = []
    for axis, n in enumerate(shape):
        q = 2 * np.pi * np.fft.fftfreq(n)
        grids.append(q.reshape([-1 if a == axis else 1 for a in range(len(shape))]))
    return grids


def laplacian_eigenvalues(shape: tuple[int, ...]) -> np.ndarray:
    """``eps(k) = sum_d (2 - 2 cos(2 pi k_d / N_d))``: minus the lattice Laplacian's symbol.

    Parameters
    ----------
    shape : tuple of int
        Lattice shape ``(N,)`` or ``(E, E)``.

    Returns
    -------
    numpy.ndarray
        ``eps(k) >= 0`` for every wavevector, float array of shape ``shape`` in FFT
        ordering; ``eps(0) = 0``.
    """
    return sum(2.0 - 2.0 * np.cos(q) for q in wavenumbers(shape)) * np.ones(shape)


def laplacian_multipliers(shape: tuple[int, ...], alpha: float) -> np.ndarray:
    """``lambda_k = exp(-i alpha eps(k))`` for ``A = i alpha Laplacian``.

    Parameters
    ----------
    shape : tuple of int
        Lattice shape ``(N,)`` or ``(E, E)``.
    alpha : float
        Strength ``alpha`` of the generator (dimensionless): the eigenphase of mode
        ``k`` is ``-alpha eps(k)`` radians.

    Returns
    -------
    numpy.ndarray
        Complex multipliers of modulus 1, shape ``shape``, FFT ordering;
        ``lambda_0 = 1`` exactly.
    """
    return np.exp(-1j * alpha * laplacian_eigenvalues(shape))


def random_multipliers(shape: tuple[int, ...], seed: int) -> np.ndarray:
    """``lambda_k = exp(i theta_k)``, ``theta_k`` i.i.d. uniform on ``[0, 2 pi)``.

    Parameters
    ----------
    shape : tuple of int
        Lattice shape ``(N,)`` or ``(E, E)``.
    seed : int
        Seed of the ``numpy.random.default_rng`` drawing the eigenphases.

    Returns
    -------
    numpy.ndarray
        Complex multipliers of modulus 1, shape ``shape``.
    """
    theta = np.random.default_rng(seed).uniform(0.0, 2 * np.pi, size=shape)
    return np.exp(1j * theta)


def check_anti_hermitian_stencil(a: complex, b: complex, c: complex, d: complex = 0,
                                 e: complex = 0, tol: float = 1e-12) -> None:
    """Raise :class:`KernelError` unless the first-neighbour generator is anti-Hermitian.

    The generator's matrix is anti-Hermitian iff ``a`` is imaginary,
    ``c = -conj(b)`` and ``e = -conj(d)``.

    Parameters
    ----------
    a : complex
        Coefficient of ``x_ij`` (the diagonal).
    b : complex
        Coefficient of ``x_{i+1,j}``.
    c : complex
        Coefficient of ``x_{i-1,j}``.
    d : complex, optional
        Coefficient of ``x_{i,j+1}`` (torus only).
    e : complex, optional
        Coefficient of ``x_{i,j-1}`` (torus only).
    tol : float, optional
        Absolute tolerance of each of the three conditions.

    Returns
    -------
    None
        Returns only if the generator is anti-Hermitian; otherwise raises
        :class:`KernelError` listing every violated condition.
    """
    problems = []
    if abs(complex(a).real) > tol:
        problems.append(f"a = {a} must be purely imaginary")
    if abs(complex(c) + np.conj(complex(b))) > tol:
        problems.append(f"c = {c} must equal -conj(b) = {-np.conj(complex(b))}")
    if abs(complex(e) + np.conj(complex(d))) > tol:
        problems.append(f"e = {e} must equal -conj(d) = {-np.conj(complex(d))}")
    if problems:
        raise KernelError("first-neighbour generator is not anti-Hermitian: "
                          + "; ".join(problems))


def first_neighbour_symbol(shape: tuple[int, ...], a: complex, b: complex, c: complex,
                           d: complex = 0, e: complex = 0) -> np.ndarray:
    """Fourier symbol of ``y_ij = a x_ij + b x_{i+1,j} + c x_{i-1,j} + d x_{i,j+1} + e x_{i,j-1}``.

    For a plane wave ``x_ij = exp(i (kappa i + mu j))`` it is
    ``a + b e^{i kappa} + c e^{-i kappa} + d e^{i mu} + e e^{-i mu}``.  On a ring
    (one axis) only ``a``, ``b``, ``c`` enter.

    Parameters
    ----------
    shape : tuple of int
        Lattice shape ``(N,)`` (ring) or ``(E, E)`` (torus).
    a, b, c : complex
        Coefficients of ``x_ij``, ``x_{i+1,j}`` and ``x_{i-1,j}``.
    d, e : complex, optional
        Coefficients of ``x_{i,j+1}`` and ``x_{i,j-1}``; must be 0 on a ring.

    Returns
    -------
    numpy.ndarray
        Complex symbol of shape ``shape``, FFT ordering (``kappa``, ``mu`` the angular
        wavenumbers of :func:`wavenumbers`).

    Raises
    ------
    KernelError
        If ``d`` or ``e`` is nonzero on a ring.
    """
    q = wavenumbers(shape)
    symbol = a + b * np.exp(1j * q[0]) + c * np.exp(-1j * q[0])
    if len(shape) == 2:
        symbol = symbol + d * np.exp(1j * q[1]) + e * np.exp(-1j * q[1])
    elif d or e:
        raise KernelError("coefficients d and e need a two-dimensional lattice")
    return symbol * np.ones(shape, dtype=complex)


def generator_matrix(shape: tuple[int, ...], a: complex, b: complex, c: complex,
                     d: complex = 0, e: complex = 0) -> np.ndarray:
    """Dense matrix of the first-neighbour generator after the reshape ``k = i + E j``.

    Row ``k`` of ``y = G x`` holds ``a`` on the diagonal, ``b`` at ``(i+1, j)``, ``c``
    at ``(i-1, j)``, ``d`` at ``(i, j+1)`` and ``e`` at ``(i, j-1)``, indices periodic
    (the wrap-around entries are the off-diagonal blocks of Fig. 2).  Sizes ``E^2 x E^2``
    are for pictures and tests, not for simulation.

    Parameters
    ----------
    shape : tuple of int
        Lattice shape ``(E, E)``, or ``(N,)`` for a ring (then ``d`` and ``e`` are
        ignored).
    a, b, c : complex
        Coefficients of ``x_ij``, ``x_{i+1,j}`` and ``x_{i-1,j}``.
    d, e : complex, optional
        Coefficients of ``x_{i,j+1}`` and ``x_{i,j-1}``.

    Returns
    -------
    numpy.ndarray
        Complex matrix of shape ``(size, size)``, ``size`` the number of sites; the
        coefficients are not checked for anti-Hermiticity.
    """
    if len(shape) == 1:
        shape = (shape[0], 1)
        d = e = 0
    rows, cols = shape
    size = rows * cols
    matrix = np.zeros((size, size), dtype=complex)
    for j in range(cols):
        for i in range(rows):
            k = i + rows * j
            for (di, dj), coeff in (((0, 0), a), ((1, 0), b), ((-1, 0), c),
                                    ((0, 1), d), ((0, -1), e)):
                if coeff:
                    matrix[k, (i + di) % rows + rows * ((j + dj) % cols)] += coeff
    return matrix


def first_neighbour_multipliers(shape: tuple[int, ...], a: complex, b: complex,
                                c: complex, d: complex = 0, e: complex = 0) -> np.ndarray:
    """``lambda_k = exp(symbol_k)`` of the anti-Hermitian first-neighbour generator.

    Parameters
    ----------
    shape : tuple of int
        Lattice shape ``(N,)`` or ``(E, E)``.
    a, b, c : complex
        Coefficients of ``x_ij``, ``x_{i+1,j}`` and ``x_{i-1,j}``.
    d, e : complex, optional
        Coefficients of ``x_{i,j+1}`` and ``x_{i,j-1}`` (torus only).

    Returns
    -------
    numpy.ndarray
        Complex multipliers ``exp(i Im symbol_k)`` of modulus 1, shape ``shape``; the
        round-off real part of the symbol is dropped.

    Raises
    ------
    KernelError
        If the generator is not anti-Hermitian (:func:`check_anti_hermitian_stencil`),
        or ``d``, ``e`` are nonzero on a ring.
    """
    check_anti_hermitian_stencil(a, b, c, d, e)
    symbol = first_neighbour_symbol(shape, a, b, c, d, e)
    # the symbol of an anti-Hermitian generator is imaginary; drop round-off real parts
    return np.exp(1j * symbol.imag)


def check_unitary(multipliers: np.ndarray, tol: float = UNITARITY_TOL) -> float:
    """Return ``max_k ||lambda_k| - 1|``; raise :class:`KernelError` if above ``tol``.

    A NaN or infinite multiplier is not unitary either.

    Parameters
    ----------
    multipliers : ndarray
        ``lambda_k``.
    tol : float
        Largest allowed ``||lambda| - 1|``.

    Returns
    -------
    float
        The deviation.
    """
    if not np.all(np.isfinite(multipliers)):
        raise KernelError("kernel is not unitary: its multipliers hold NaN or infinity")
    deviation = float(np.max(np.abs(np.abs(multipliers) - 1.0)))
    if not deviation <= tol:
        raise KernelError(f"kernel is not unitary: max ||lambda| - 1| = {deviation:.3e}")
    return deviation


def _complex(value: Any) -> complex:
    """A coefficient from config: a number or a ``[real, imag]`` pair."""
    if isinstance(value, (list, tuple)):
        return complex(value[0], value[1])
    return complex(value)


def check(name: str, spec: dict[str, Any]) -> list[Problem]:
    """Problems of a kernel's config entry that the schema cannot see.

    The entry must build a unitary kernel: a first-neighbour generator must be
    anti-Hermitian (with ``d``, ``e`` only on a torus), a torus must be square (the
    experiments and the Fig. 2 reshape assume ``E x E``).

    Parameters
    ----------
    name : str
        The kernel's name.
    spec : dict
        Its config entry.

    Returns
    -------
    list of Problem
        Empty if valid; keys are relative to the entry.
    """
    if len(spec["shape"]) == 2 and spec["shape"][0] != spec["shape"][1]:
        return [Problem("shape", spec["shape"], "[N] or a square torus [E, E]")]
    try:
        build(name, spec)
    except KernelError as err:
        return [Problem("", {k: v for k, v in spec.items()}, str(err))]
    return []


def build(name: str, spec: dict[str, Any]) -> Kernel:
    """Build a kernel from its config entry ``{type, shape, ...}``.

    Parameters
    ----------
    name : str
        The kernel's name.
    spec : dict
        Its config entry.

    Returns
    -------
    Kernel
        Multipliers and parameters.
    """
    shape = tuple(int(n) for n in spec["shape"])
    kind = spec["type"]
    if kind == "laplacian":
        multipliers = laplacian_multipliers(shape, float(spec["alpha"]))
    elif kind == "random":
        multipliers = random_multipliers(shape, int(spec["seed"]))
    elif kind == "first_neighbour":
        coeffs = {k: _complex(spec.get(k, 0)) for k in "abcde"}
        multipliers = first_neighbour_multipliers(shape, **coeffs)
    else:
        raise KernelError(f"unknown kernel type {kind!r}")
    check_unitary(multipliers)
    return Kernel(name, multipliers, dict(spec))


def save(kernel: Kernel, path: str | Path) -> None:
    """Write ``multipliers`` and the JSON parameters to an ``.npz`` file, atomically.

    Parameters
    ----------
    kernel : Kernel
        The kernel.
    path : str or Path
        Output path.

    Returns
    -------
    None
    """
    with atomic_write(path) as tmp, open(tmp, "wb") as fh:
        np.savez(fh, multipliers=kernel.multipliers, name=np.array(kernel.name),
                 params=np.array(json.dumps(kernel.params, sort_keys=True)))


def load(path: str | Path) -> Kernel:
    """Read a kernel written by :func:`save` and check it is unitary.

    Parameters
    ----------
    path : str or Path
        The kernel file.

    Returns
    -------
    Kernel
        The kernel.
    """
    with np.load(path) as data:
        kernel = Kernel(str(data["name"]), data["multipliers"],
                        json.loads(str(data["params"])))
    check_unitary(kernel.multipliers)
    return kernel
