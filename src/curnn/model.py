"""The network map and a batched stepper.

The state ``Z_n`` is a complex field on a periodic lattice (a ring of ``N`` sites or an
``E x E`` torus).  One step of the paper's map is

    Z_{n+1} = phi(U ⊛ Z_n + I_n),        phi(z) = z / sqrt(1 + |z|^2),

with ``U`` a unitary convolution applied in Fourier space,
``U ⊛ Z = IFFT(lambda * FFT(Z))``.  Every array here is a *batch*: shape
``(batch, *lattice)``; the batch holds independent runs and is never looped over in
Python.  All quantities are dimensionless; time is counted in iterations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import scipy.fft as sfft

Drive = np.ndarray | Callable[[int], np.ndarray] | None


class SimulationError(RuntimeError):
    """A simulation produced NaN or infinity; the message names the runs."""


def phi(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Phase-preserving sigmoid ``phi(z) = z / sqrt(1 + |z|^2)``, elementwise.

    ``|phi(z)| < 1`` and ``arg phi(z) = arg z``.  With ``out=z`` it works in place.
    """
    z = np.asarray(z)
    modulus_sq = np.asarray(np.square(z.real))  # 0-d input gives a scalar: keep an array
    modulus_sq += np.square(z.imag)
    modulus_sq += 1.0
    np.sqrt(modulus_sq, out=modulus_sq)
    return np.divide(z, modulus_sq, out=out)


def radial_gain(y: np.ndarray | float) -> np.ndarray:
    """Slope of ``|phi|`` along the radius at pre-activation modulus ``y``.

    ``g_r = d|phi|/d|z| = (1 + y^2)^(-3/2)``: the linear response of the modulus.
    """
    y = np.asarray(y, dtype=float)
    return (1.0 + y * y) ** -1.5


def tangential_gain(y: np.ndarray | float) -> np.ndarray:
    """Gain of ``phi`` for a rotation at pre-activation modulus ``y``.

    ``g_t = |phi(z)| / |z| = (1 + y^2)^(-1/2)``: the linear response of the phase
    direction (phase perturbations are multiplied by it each step).
    """
    y = np.asarray(y, dtype=float)
    return (1.0 + y * y) ** -0.5


class Stepper:
    """One step ``Z <- phi(U ⊛ Z + drive)`` on a batch, by FFT over the lattice axes.

    ``multipliers`` are the kernel's Fourier multipliers ``lambda_k`` in the lattice's
    shape (numpy FFT ordering).  ``dtype`` is ``complex64`` or ``complex128``.
    ``workers`` is passed to :mod:`scipy.fft`; a row's result does not depend on the
    batch it is computed in (tested), which keeps results independent of sharding.
    """

    def __init__(self, multipliers: np.ndarray, dtype: str | np.dtype = "complex128",
                 workers: int = 1):
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "c":
            raise ValueError(f"dtype must be complex64 or complex128, got {self.dtype}")
        self.multipliers = np.asarray(multipliers).astype(self.dtype)
        self.lattice = self.multipliers.shape
        self.axes = tuple(range(-self.multipliers.ndim, 0))
        self.workers = workers

    def convolve(self, z: np.ndarray) -> np.ndarray:
        """``U ⊛ Z = IFFT(lambda * FFT(Z))`` over the lattice axes (a new array)."""
        zk = sfft.fftn(z, axes=self.axes, workers=self.workers)
        zk *= self.multipliers
        return sfft.ifftn(zk, axes=self.axes, workers=self.workers, overwrite_x=True)

    def __call__(self, z: np.ndarray, drive: np.ndarray | None = None) -> np.ndarray:
        y = self.convolve(z)
        if drive is not None:
            y += drive
        return phi(y, out=y)

    def zeros(self, batch: int) -> np.ndarray:
        """A batch of quiescent states ``Z = 0``."""
        return np.zeros((batch,) + self.lattice, dtype=self.dtype)


def drive_at(drive: Drive, n: int) -> np.ndarray | None:
    """The input ``I_n`` used to produce ``Z_{n+1}``: a static array or ``drive(n)``."""
    return drive(n) if callable(drive) else drive


def iterate(stepper: Stepper, z: np.ndarray, drive: Drive, n_steps: int,
            start: int = 0) -> np.ndarray:
    """Apply ``n_steps`` steps from step index ``start``; returns the final batch."""
    for n in range(start, start + n_steps):
        z = stepper(z, drive_at(drive, n))
    return z


def check_finite(values: np.ndarray, labels: Sequence[str], what: str = "state") -> None:
    """Raise :class:`SimulationError` naming every run whose ``values`` are not finite."""
    bad = ~np.isfinite(values.reshape(len(values), -1)).all(axis=1)
    if bad.any():
        names = ", ".join(str(labels[i]) for i in np.flatnonzero(bad))
        raise SimulationError(f"non-finite {what} (NaN or overflow) in run(s): {names}")


def _per_run(array: np.ndarray | None, batch: int) -> bool:
    return array is not None and np.ndim(array) > 0 and np.shape(array)[0] == batch \
        and batch > 1


@dataclass
class Relaxation:
    """Outcome of :func:`relax`, one entry per run of the batch."""

    state: np.ndarray        # (batch, *lattice) state at the stop
    iterations: np.ndarray   # steps taken
    converged: np.ndarray    # True where the stopping test passed before max_iter
    rel_change: np.ndarray   # last step size max|Z_{n+1} - Z_n| / max|Z|
    rel_error: np.ndarray    # estimated distance to the fixed point / max|Z|
    rate: np.ndarray         # measured contraction per step, (delta_n/delta_{n-c})^(1/c)


def relax(stepper: Stepper, z0: np.ndarray, drive: np.ndarray | None, *, tol: float,
          max_iter: int, check_every: int = 16,
          labels: Sequence[str] | None = None) -> Relaxation:
    """Iterate a static drive until each run reaches its fixed point.

    Every ``check_every`` steps the step size ``delta = max|Z_{n+1} - Z_n|`` is
    compared with the previous check to measure the contraction rate
    ``rho = (delta / delta_prev)^(1/check_every)``; the distance left to the fixed
    point of a geometric approach is ``delta rho / (1 - rho)``.  A run stops when that
    estimate is below ``tol * max|Z|``, or when ``delta`` is at the round-off floor
    (8 ulps of ``max|Z|``), or at ``max_iter``.  Converged runs leave the batch, so a
    run's result does not depend on the other runs it was batched with.
    """
    batch = len(z0)
    labels = list(labels) if labels is not None else [str(i) for i in range(batch)]
    state = np.empty_like(z0)
    iterations = np.zeros(batch, dtype=np.int64)
    converged = np.zeros(batch, dtype=bool)
    rel_change = np.full(batch, np.nan)
    rel_error = np.full(batch, np.nan)
    rate = np.full(batch, np.nan)

    eps = np.finfo(stepper.dtype).eps
    active = np.arange(batch)
    per_run_drive = _per_run(drive, batch)
    z = z0.copy()
    previous = np.full(batch, np.nan)
    n = 0
    while active.size:
        d = drive[active] if per_run_drive else drive
        z = iterate(stepper, z, d, check_every - 1)
        z_next = stepper(z, d)
        n += check_every
        lattice_axes = tuple(range(1, z.ndim))
        delta = np.abs(z_next - z).max(axis=lattice_axes)
        size = np.abs(z_next).max(axis=lattice_axes)
        check_finite(delta, [labels[i] for i in active])
        with np.errstate(divide="ignore", invalid="ignore"):
            rho = (delta / previous) ** (1.0 / check_every)
            remaining = np.where(rho < 1.0, delta * rho / (1.0 - rho), np.inf)
        at_floor = delta <= 8 * eps * size
        done = (remaining <= tol * size) | at_floor
        stop = done | (n >= max_iter)
        idx = active[stop]
        state[idx] = z_next[stop]
        iterations[idx] = n
        converged[idx] = done[stop]
        with np.errstate(divide="ignore", invalid="ignore"):
            rel_change[idx] = (delta / size)[stop]
            rel_error[idx] = np.where(at_floor, delta / size, remaining / size)[stop]
        rate[idx] = rho[stop]
        keep = ~stop
        active, z, previous = active[keep], z_next[keep], delta[keep]
    return Relaxation(state, iterations, converged, rel_change, rel_error, rate)


def trace_decay(stepper: Stepper, z0: np.ndarray, drive: np.ndarray | None,
                observable: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray], *,
                decay_factor: float, max_iter: int,
                labels: Sequence[str] | None = None) -> list[np.ndarray]:
    """Record a decaying observable of each run until it has fallen by ``decay_factor``.

    ``observable(z_prev, z_next, rows)`` returns one real number per run (``rows``
    are the runs' positions in the original batch, for per-run projections).  The
    trace of run ``j`` holds ``o_0, o_1, ...`` (step ``n`` is the ``n``-th update) and
    ends at the first step where ``|o_n| < decay_factor |o_0|``, or at ``max_iter``.
    """
    batch = len(z0)
    labels = list(labels) if labels is not None else [str(i) for i in range(batch)]
    per_run_drive = _per_run(drive, batch)
    active = np.arange(batch)
    lengths = np.zeros(batch, dtype=np.int64)
    buffer = np.full((1024, batch), np.nan)
    first = np.zeros(batch)
    z = z0.copy()
    n = 0
    while active.size and n < max_iter:
        d = drive[active] if per_run_drive else drive
        z_next = stepper(z, d)
        values = observable(z, z_next, active)
        check_finite(values, [labels[i] for i in active], what="observable")
        if n >= len(buffer):
            buffer = np.concatenate([buffer, np.full_like(buffer, np.nan)])
        buffer[n, active] = values
        if n == 0:
            first[active] = np.abs(values)
        n += 1
        lengths[active] = n
        keep = np.abs(values) >= decay_factor * first[active]
        active, z = active[keep], z_next[keep]
    return [buffer[: lengths[j], j].copy() for j in range(batch)]
