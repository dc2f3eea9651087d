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

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import scipy.fft as sfft

from rnnrepro.experiments import SimulationError

__all__ = ["Inputs", "SimulationError", "BACKENDS", "default_backend", "phi", "radial_gain",
           "phase_gain", "Stepper", "plane_wave", "input_at", "iterate", "check_finite",
           "Relaxation", "relax", "trace_decay", "LockIn", "switch_on", "LOCK_IN_SAFETY",
           "LOCK_IN_CHUNK", "window_length", "lock_in"]

#: the external input ``I_n``: a static array (broadcast over the batch), a function of
#: the step ``n``, or None
Inputs = np.ndarray | Callable[[int], np.ndarray] | None

#: how a step applies ``phi``: compiled kernels (numba) or numpy; both give the same bits
BACKENDS = ("numba", "numpy")


def _load_compiled() -> ModuleType | None:
    # the compiled kernels need numba; RNNREPRO_BACKEND=numpy forces the numpy path
    if os.environ.get("RNNREPRO_BACKEND", "").strip().lower() == "numpy":
        return None
    from rnnrepro.chandra2024 import compiled

    return compiled if compiled.AVAILABLE else None


_COMPILED = _load_compiled()


def default_backend() -> str:
    """The backend a :class:`Stepper` uses unless told otherwise.

    ``numba`` where numba is installed (and ``RNNREPRO_BACKEND`` is not ``numpy``), else
    ``numpy``.  The two give identical results (tested); the compiled one is faster.

    Returns
    -------
    str
        ``numba`` or ``numpy``.
    """
    return "numba" if _COMPILED is not None else "numpy"


def phi(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Phase-preserving sigmoid ``phi(z) = z / sqrt(1 + |z|^2)``, elementwise.

    ``|phi(z)| < 1`` and ``arg phi(z) = arg z``, for every finite ``z``: where
    ``|z|^2`` would overflow (``|z| > 1e154`` in double, ``1e19`` in single precision)
    the scale is computed as ``1 / hypot(|z|, 1)`` instead, so a huge input saturates
    at modulus 1 rather than collapsing to 0 (element by element: an element's result
    never depends on the others).  With ``out=z`` it works in place.  The real and
    imaginary parts are scaled separately by ``1/sqrt(1 + |z|^2)``: about twice as fast
    as a complex division (see ``python -m rnnrepro benchmark``); the overflow test costs
    one reduction (about 5 % of ``phi``).  This is the reference implementation; a
    :class:`Stepper` with the ``numba`` backend applies the same operations in one
    compiled pass (:mod:`rnnrepro.chandra2024.compiled`), with identical results.

    Parameters
    ----------
    z : ndarray
        Pre-activations (complex, or real for the scalar map).
    out : ndarray, optional
        Where to write (``z`` itself for in place).

    Returns
    -------
    ndarray
        ``phi(z)``.
    """
    z = np.asarray(z)
    if z.dtype.kind != "c" or z.ndim == 0:
        with np.errstate(over="ignore"):
            denominator = np.sqrt(1.0 + (z * np.conj(z)).real)
        if not np.all(np.isfinite(denominator)):
            denominator = np.hypot(np.abs(z), 1.0)
        return np.divide(z, denominator, out=out)
    if out is None:
        out = z.copy()
    elif out is not z:
        out[...] = z
    scale = out.real * out.real
    scale += out.imag * out.imag
    scale += 1.0
    if not scale.max(initial=0.0) < np.inf:
        # |z|^2 overflowed (or z holds NaN): those elements take the slow, overflow-free
        # form, element by element, so no element's result depends on its neighbours
        bad = ~(scale < np.inf)
        np.sqrt(scale, out=scale, where=~bad)
        scale[bad] = np.hypot(np.hypot(out.real[bad], out.imag[bad]), 1.0)
    else:
        np.sqrt(scale, out=scale)
    np.reciprocal(scale, out=scale)
    out.real *= scale
    out.imag *= scale
    return out


def radial_gain(y: np.ndarray | float) -> np.ndarray:
    """Slope of ``|phi|`` along the radius at pre-activation modulus ``y``.

    ``g_r = d|phi|/d|z| = (1 + y^2)^(-3/2)``: the linear response of the modulus.

    Parameters
    ----------
    y : float or ndarray
        Pre-activation modulus ``|z|``.

    Returns
    -------
    ndarray
        ``g_r`` (dimensionless, per iteration).
    """
    y = np.asarray(y, dtype=float)
    return (1.0 + y * y) ** -1.5


def phase_gain(y: np.ndarray | float) -> np.ndarray:
    """Gain of ``phi`` for a rotation (a phase perturbation) at pre-activation ``y``.

    ``g_t = |phi(z)| / |z| = (1 + y^2)^(-1/2)``: phase perturbations are multiplied by
    it each step.

    Parameters
    ----------
    y : float or ndarray
        Pre-activation modulus ``|z|``.

    Returns
    -------
    ndarray
        ``g_t`` (dimensionless, per iteration).
    """
    y = np.asarray(y, dtype=float)
    return (1.0 + y * y) ** -0.5


class Stepper:
    """One step ``Z <- phi(U ⊛ Z + I)`` on a batch, by FFT over the lattice axes.

    ``multipliers`` are the kernel's Fourier multipliers ``lambda_k`` in the lattice's
    shape (numpy FFT ordering).  ``dtype`` is ``complex64`` or ``complex128``.
    ``workers`` is passed to :mod:`scipy.fft`; a row's result does not depend on the
    batch it is computed in (tested), which keeps results independent of sharding.
    ``backend`` chooses how ``phi`` (and the drive at site 0) is applied after the
    inverse FFT: ``numba`` (one compiled pass, :mod:`rnnrepro.chandra2024.compiled`) or
    ``numpy``; both give the same bits (tested), so results do not depend on it.

    Parameters
    ----------
    multipliers : ndarray
        ``lambda_k``, lattice-shaped.
    dtype : str or dtype
        ``complex64`` or ``complex128``.
    workers : int
        FFT threads.
    backend : str, optional
        ``numba`` or ``numpy``; default :func:`default_backend`.
    """

    def __init__(self, multipliers: np.ndarray, dtype: str | np.dtype = "complex128",
                 workers: int = 1, backend: str | None = None):
        self.dtype = np.dtype(dtype)
        if self.dtype.kind != "c":
            raise ValueError(f"dtype must be complex64 or complex128, got {self.dtype}")
        self.multipliers = np.asarray(multipliers).astype(self.dtype)
        self.lattice = self.multipliers.shape
        self.axes = tuple(range(-self.multipliers.ndim, 0))
        self.workers = workers
        self.backend = default_backend() if backend is None else backend
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {self.backend!r}")
        if self.backend == "numba" and _COMPILED is None:
            raise ValueError("backend 'numba' needs numba (pip install numba), or unset "
                             "RNNREPRO_BACKEND=numpy")
        real = self.dtype.type(0).real.dtype
        self._one = real.type(1.0)
        self._scratch = np.empty(int(np.prod(self.lattice)), real)

    def convolve(self, z: np.ndarray) -> np.ndarray:
        """``U ⊛ Z = IFFT(lambda * FFT(Z))`` over the lattice axes (a new array).

        Parameters
        ----------
        z : ndarray
            A batch of states.

        Returns
        -------
        ndarray
            The convolved batch.
        """
        zk = sfft.fftn(z, axes=self.axes, workers=self.workers)
        zk *= self.multipliers
        return sfft.ifftn(zk, axes=self.axes, workers=self.workers, overwrite_x=True)

    def _compiled_rows(self, y: np.ndarray) -> np.ndarray | None:
        # the compiled kernels take C-contiguous (batch, sites) arrays of this dtype
        if (self.backend != "numba" or y.dtype != self.dtype or y.ndim < 2
                or not y.flags.c_contiguous or y.shape[1:] != self.lattice):
            return None
        return y.reshape(y.shape[0], -1)

    def activate(self, y: np.ndarray) -> np.ndarray:
        """``y <- phi(y)`` in place (:func:`phi`, or its compiled twin).

        Parameters
        ----------
        y : ndarray
            A batch of pre-activations, ``(batch, *lattice)``.

        Returns
        -------
        ndarray
            ``y``, now ``phi(y)``.
        """
        rows = self._compiled_rows(y)
        if rows is None:
            return phi(y, out=y)
        _COMPILED.phi_rows(rows, self._scratch, self._one)
        return y

    def drive_site(self, y: np.ndarray, forcing: np.ndarray) -> np.ndarray:
        """``y[:, 0] += forcing``, then ``y <- phi(y)``, in place (a ring's site drive).

        Parameters
        ----------
        y : ndarray
            A batch of ``U ⊛ Z`` on a ring, ``(batch, N)``.
        forcing : ndarray
            The drive at site 0, one per run, of the stepper's dtype.

        Returns
        -------
        ndarray
            ``y``, now ``phi(y + I)``.
        """
        rows = self._compiled_rows(y)
        if rows is None or len(self.lattice) != 1 or forcing.dtype != self.dtype:
            y[:, 0] += forcing
            return phi(y, out=y)
        _COMPILED.drive_site_phi(rows, np.ascontiguousarray(forcing), self._scratch,
                                 self._one)
        return y

    def __call__(self, z: np.ndarray, inputs: np.ndarray | None = None) -> np.ndarray:
        y = self.convolve(z)
        if inputs is None:
            return self.activate(y)
        rows, source = self._compiled_rows(y), np.asarray(inputs)
        if rows is not None and source.dtype == self.dtype and source.ndim == y.ndim:
            # one compiled pass when the input is per run and/or per site, in this dtype
            # (other inputs are added by numpy: their mixed-precision sums differ in bits)
            lattice = source.shape[1:]
            if source.shape[0] in (1, len(y)) and (lattice == self.lattice
                                                   or all(d == 1 for d in lattice)):
                _COMPILED.add_phi(rows, source.reshape(source.shape[0], -1), self._scratch,
                                  self._one)
                return y
        y += inputs
        return self.activate(y)

    def zeros(self, batch: int) -> np.ndarray:
        """A batch of quiescent states ``Z = 0``.

        Parameters
        ----------
        batch : int
            Number of runs.

        Returns
        -------
        ndarray
            Zeros of shape ``(batch, *lattice)``.
        """
        return np.zeros((batch,) + self.lattice, dtype=self.dtype)


def plane_wave(mode: np.ndarray | int, n_sites: int) -> np.ndarray:
    """``e_k(x) = exp(2 pi i k x / N)`` on a ring: one row per mode (modulus 1 per site).

    Parameters
    ----------
    mode : int or ndarray
        Mode index ``k`` (or indices).
    n_sites : int
        Ring length ``N``.

    Returns
    -------
    ndarray
        Shape ``(*shape(mode), N)``.
    """
    return np.exp(2j * np.pi * np.multiply.outer(mode, np.arange(n_sites)) / n_sites)


def input_at(inputs: Inputs, n: int) -> np.ndarray | None:
    """The input ``I_n`` used to produce ``Z_{n+1}``: a static array or ``inputs(n)``.

    Parameters
    ----------
    inputs : ndarray, callable or None
        Static or step-dependent input.
    n : int
        Step index.

    Returns
    -------
    ndarray or None
        ``I_n``.
    """
    return inputs(n) if callable(inputs) else inputs


def iterate(stepper: Stepper, z: np.ndarray, inputs: Inputs, n_steps: int,
            start: int = 0) -> np.ndarray:
    """Apply ``n_steps`` steps from step index ``start``.

    Parameters
    ----------
    stepper : Stepper
        The map.
    z : ndarray
        Batch of states.
    inputs : ndarray, callable or None
        The input ``I_n``.
    n_steps, start : int
        Steps to take and the index of the first.

    Returns
    -------
    ndarray
        The final batch.
    """
    for n in range(start, start + n_steps):
        z = stepper(z, input_at(inputs, n))
    return z


def check_finite(values: np.ndarray, labels: Sequence[str], what: str = "state") -> None:
    """Raise :class:`SimulationError` naming every run whose ``values`` are not finite.

    Parameters
    ----------
    values : ndarray
        One row (or value) per run.
    labels : sequence of str
        Each run's description (its parameters).
    what : str
        What ``values`` are, for the message.

    Returns
    -------
    None
    """
    bad = ~np.isfinite(values.reshape(len(values), -1)).all(axis=1)
    if bad.any():
        names = "; ".join(str(labels[i]) for i in np.flatnonzero(bad))
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


def relax(stepper: Stepper, z0: np.ndarray, inputs: np.ndarray | None, *, tol: float,
          max_iter: int, check_every: int = 16,
          labels: Sequence[str] | None = None) -> Relaxation:
    """Iterate a static input until each run reaches its fixed point.

    Every ``check_every`` steps the step size ``delta = max|Z_{n+1} - Z_n|`` is
    compared with the previous check to measure the contraction rate
    ``rho = (delta / delta_prev)^(1/check_every)``; the distance left to the fixed
    point of a geometric approach is ``delta rho / (1 - rho)``.  A run stops when that
    estimate is below ``tol * max|Z|``, or when ``delta`` is at the round-off floor
    (8 ulps of ``max|Z|``), or at ``max_iter``.  Converged runs leave the batch, so a
    run's result does not depend on the other runs it was batched with.

    Parameters
    ----------
    stepper : Stepper
        The map.
    z0 : ndarray
        Starting batch.
    inputs : ndarray or None
        Static input (one row per run, or broadcast).
    tol : float
        Relative distance to the fixed point at which a run stops.
    max_iter : int
        Cap on the steps of a run.
    check_every : int
        Steps between convergence checks.
    labels : sequence of str, optional
        Each run's description, for error messages.

    Returns
    -------
    Relaxation
        State and convergence record per run.
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
    per_run_inputs = _per_run(inputs, batch)
    z = z0.copy()
    previous = np.full(batch, np.nan)
    n = 0
    while active.size:
        d = inputs[active] if per_run_inputs else inputs
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


def trace_decay(stepper: Stepper, z0: np.ndarray, inputs: np.ndarray | None,
                observable: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray], *,
                decay_factor: float, max_iter: int,
                labels: Sequence[str] | None = None) -> list[np.ndarray]:
    """Record a decaying observable of each run until it has fallen by ``decay_factor``.

    ``observable(z_prev, z_next, rows)`` returns one real number per run (``rows``
    are the runs' positions in the original batch, for per-run projections).  The
    trace of run ``j`` holds ``o_0, o_1, ...`` (step ``n`` is the ``n``-th update) and
    ends at the first step where ``|o_n| < decay_factor |o_0|``, or at ``max_iter``.

    Parameters
    ----------
    stepper : Stepper
        The map.
    z0 : ndarray
        Kicked batch.
    inputs : ndarray or None
        Static input.
    observable : callable
        The traced quantity.
    decay_factor : float
        A trace ends once it has fallen by this factor.
    max_iter : int
        Cap on a trace's length.
    labels : sequence of str, optional
        Each run's description, for error messages.

    Returns
    -------
    list of ndarray
        One trace per run.
    """
    batch = len(z0)
    labels = list(labels) if labels is not None else [str(i) for i in range(batch)]
    per_run_inputs = _per_run(inputs, batch)
    active = np.arange(batch)
    lengths = np.zeros(batch, dtype=np.int64)
    buffer = np.full((1024, batch), np.nan)
    first = np.zeros(batch)
    z = z0.copy()
    n = 0
    while active.size and n < max_iter:
        d = inputs[active] if per_run_inputs else inputs
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


@dataclass
class LockIn:
    """Outcome of :func:`lock_in`, one entry per run."""

    site: np.ndarray         # complex lock-in amplitude of Z at site 0
    mode: np.ndarray         # complex lock-in amplitude of the observed mode
    iterations: np.ndarray   # steps taken (the end of the last window)
    converged: np.ndarray
    rel_change: np.ndarray   # relative change of the lock-in between the last two windows
    rel_error: np.ndarray    # geometric extrapolation of the remaining relative error
    state: np.ndarray        # final state Z_n, n = iterations


def switch_on(s: np.ndarray) -> np.ndarray:
    """Envelope ``e(s) = s - 2 sin(2 pi s) / (3 pi) + sin(4 pi s) / (12 pi)``, ``s`` in [0, 1].

    Its derivative ``(8/3) sin^4(pi s)`` vanishes with three derivatives at both ends, so
    a mode at detuning ``d`` from the drive is left ringing with a relative amplitude
    falling as ``(d T)^-5`` for a switch-on of ``T`` iterations (``d T = 33``: 3e-4;
    a ``sin^2`` envelope: 7e-3).

    Parameters
    ----------
    s : ndarray
        Elapsed fraction of the switch-on (clipped to [0, 1]).

    Returns
    -------
    ndarray
        The envelope, rising smoothly from 0 to 1.
    """
    s = np.clip(s, 0.0, 1.0)
    return (s - 2.0 / (3.0 * np.pi) * np.sin(2 * np.pi * s)
            + np.sin(4 * np.pi * s) / (12.0 * np.pi))


#: lock_in stops when change and extrapolated error are below tol / LOCK_IN_SAFETY
LOCK_IN_SAFETY = 2.0


def window_length(block: int, m: np.ndarray | int) -> np.ndarray:
    """Length of lock-in window ``m = 0, 1, 2, ...``: ``L, L, 2L, 2L, 4L, 4L, ...``.

    Pairs of equal windows, doubling: longer windows reject undamped free oscillations
    at other frequencies better (Hann leakage ``~ (d L)^-3``), while runs that settle
    fast stop after ``2L`` steps.

    Parameters
    ----------
    block : int
        ``L``, the first window (iterations).
    m : int or ndarray
        Window index.

    Returns
    -------
    ndarray
        Window length (iterations).
    """
    return block * 2 ** (np.asarray(m) // 2)


@dataclass
class _LockInState:
    """Per-run bookkeeping of :func:`lock_in`'s windows (all arrays over the batch)."""

    window_start: np.ndarray      # step at which the current window began
    window: np.ndarray            # index of the current window
    sums: np.ndarray              # Hann-weighted sums (site, mode) of this window
    weight_sums: np.ndarray
    previous: np.ndarray          # last window's amplitudes
    previous_change: np.ndarray   # changes one and two windows back


def _close_windows(state: _LockInState, out: LockIn, idx: np.ndarray, n: int,
                   n_sites: int, block: int, tol: float, max_iter: int, eps: float,
                   labels: Sequence[str]) -> np.ndarray:
    """End the windows of runs ``idx`` at step ``n``; return which of them stop.

    A run stops when the relative change ``c`` between windows is below
    ``tol / LOCK_IN_SAFETY`` and so is its geometric extrapolation
    ``c rho / (1 - rho)`` (``rho``: the larger of the last two ratios of successive
    changes), at the round-off floor, or when its next window would pass ``max_iter``.
    """
    current = state.sums[idx] / state.weight_sums[idx, None]
    current[:, 1] /= n_sites
    check_finite(current, [labels[i] for i in idx], what="lock-in amplitude")
    with np.errstate(divide="ignore", invalid="ignore"):
        change = (np.abs(current - state.previous[idx]) / np.abs(current)).max(axis=1)
        back = state.previous_change[idx]
        # the slower of the last two contractions: one lucky ratio must not stop a run
        rho = np.maximum(change / back[:, 0], back[:, 0] / back[:, 1])
        rho = np.where(np.isnan(rho), np.inf, rho)
        remaining = np.where(rho < 1.0, change * rho / (1.0 - rho), np.inf)
    at_floor = change <= 16 * eps
    # both of the last two changes must be small (one of them spans a doubling of the
    # window, which exposes leakage that equal windows can see alike), with a safety
    # factor because transients are not exactly geometric; checked against the
    # Newton-solved steady states of the resonance experiment
    recent = np.maximum(change, back[:, 0])
    done = ((recent < tol / LOCK_IN_SAFETY) & (remaining < tol / LOCK_IN_SAFETY)) | at_floor
    next_window_end = n + window_length(block, state.window[idx] + 1)
    stop = done | (next_window_end > max_iter)
    fin = idx[stop]
    out.site[fin], out.mode[fin] = current[stop, 0], current[stop, 1]
    out.iterations[fin] = n
    out.converged[fin] = done[stop]
    out.rel_change[fin] = change[stop]
    out.rel_error[fin] = np.where(at_floor, change, remaining)[stop]
    state.previous[idx] = current
    state.previous_change[idx] = np.stack([change, back[:, 0]], axis=1)
    state.window_start[idx], state.window[idx] = n, state.window[idx] + 1
    state.sums[idx], state.weight_sums[idx] = 0.0, 0.0
    return stop


#: steps of :func:`lock_in` whose demodulation, Hann weights and drive are computed
#: together (batch-length operations once per chunk instead of once per step)
LOCK_IN_CHUNK = 256


def _chunk_weights(steps: np.ndarray, omega: np.ndarray, starts: np.ndarray,
                   lengths: np.ndarray, amplitude: np.ndarray, ramp: np.ndarray,
                   dtype: np.dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lock-in weights and drive of the steps ``steps`` for every run of a batch.

    Returns ``weights = w_n e^{-i omega n}`` and the Hann weights ``w_n`` as
    ``(batch, steps)`` (``w_n = sin^2(pi (n - start + 1/2) / L)`` inside the run's window,
    0 before it), and the drive ``A e(n / T) e^{i omega n}`` as ``(steps, batch)`` in
    ``dtype`` (one contiguous row per step).
    """
    demodulate = np.exp(-1j * np.mod(np.multiply.outer(omega, steps), 2 * np.pi))
    position = steps[None, :] - starts[:, None]
    hann = np.where(position >= 0,
                    np.sin(np.pi * (position + 0.5) / lengths[:, None]) ** 2, 0.0)
    forcing = amplitude[:, None] * np.conj(demodulate)
    if steps[0] < ramp.max(initial=0):
        forcing *= np.where(steps[None, :] >= ramp[:, None], 1.0,
                            switch_on(steps[None, :] / np.maximum(ramp, 1)[:, None]))
    return hann * demodulate, hann, np.ascontiguousarray(forcing.T).astype(dtype)


def _running_sum(total: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """``total + terms[:, 0] + terms[:, 1] + ...``, added strictly left to right per row.

    A sequential scan (``cumsum``), not a pairwise sum: a run's lock-in sums are then
    the same whichever steps its batch's chunks group together (chunks end where any
    run of the batch ends a window), so they do not depend on the batch.
    """
    return np.cumsum(np.concatenate([total[:, None], terms], axis=1), axis=1)[:, -1]


def lock_in(stepper: Stepper, amplitude: np.ndarray, omega: np.ndarray,
            mode: np.ndarray, pattern: str, *, block: int, tol: float, max_iter: int,
            switch_on_length: np.ndarray | int = 0, start: np.ndarray | None = None,
            labels: Sequence[str] | None = None) -> LockIn:
    """Drive each run with one oscillation and lock in on its steady response.

    Run ``j`` gets ``I_n = A_j e(n / T_j) exp(i omega_j n) p_j`` with ``p_j`` the plane
    wave ``e_{k_j}`` (``pattern="plane"``, ``k_j = mode[j]``) or the unit vector of site 0
    (``pattern="site"``), starting from ``Z_0 = start[j]`` (``Z = 0`` by default) on a
    ring.  ``e`` is the smooth :func:`switch_on` over ``T_j = switch_on_length[j]``
    iterations (a sudden switch-on rings every mode at its own eigenfrequency, and those
    free oscillations are barely damped near criticality); a run that starts at (an
    estimate of) its steady state takes ``T_j = 0``, the full drive from step 0.  After
    the switch-on, over consecutive windows (:func:`window_length`) the Hann-weighted
    lock-in ``a = sum w_n X_n e^{-i omega n} / sum w_n`` is taken of ``X = Z(site 0)``
    and of ``X = `` the amplitude of mode ``k_j`` (``FFT(Z)_k / N``).  A run stops as
    :func:`_close_windows` says and leaves the batch.  Every run keeps its own schedule
    of switch-on and windows, so its result does not depend on the batch it shares.

    Per step the loop does the FFT pair, two reads (site 0, mode ``k``) and one pass
    that adds the drive and applies ``phi`` (:meth:`Stepper.drive_site`); the
    demodulation, Hann weights and drive are computed for :data:`LOCK_IN_CHUNK` steps at
    a time, and the weighted sums once per chunk (added step by step in order,
    :func:`_running_sum`, so a run's sums do not depend on its batch).

    Parameters
    ----------
    stepper : Stepper
        The map on a ring.
    amplitude, omega : ndarray
        Drive amplitude ``A`` and frequency (radians per iteration) per run.
    mode : ndarray
        Observed mode ``k`` per run.
    pattern : str
        ``site`` or ``plane``.
    block : int
        First lock-in window ``L`` (iterations).
    tol : float
        Relative accuracy at which a run stops.
    max_iter : int
        No run goes past it (a run whose next window would is stopped, unconverged).
    switch_on_length : int or ndarray
        ``T`` per run (iterations).
    start : ndarray, optional
        ``(batch, N)`` initial states ``Z_0``; zeros if omitted.
    labels : sequence of str, optional
        Each run's description, for error messages.

    Returns
    -------
    LockIn
        Amplitudes and convergence record per run.
    """
    if len(stepper.lattice) != 1:
        raise ValueError("lock_in drives a ring (one lattice axis)")
    if pattern not in ("plane", "site"):
        raise ValueError(f"pattern must be 'plane' or 'site', got {pattern!r}")
    n_sites = stepper.lattice[0]
    batch = len(omega)
    labels = list(labels) if labels is not None else [str(i) for i in range(batch)]
    amplitude = np.broadcast_to(np.asarray(amplitude, float), (batch,)).copy()
    omega = np.asarray(omega, float)
    mode = np.asarray(mode, np.int64)
    ramp = np.broadcast_to(np.asarray(switch_on_length, np.int64), (batch,)).copy()
    out = LockIn(np.full(batch, np.nan, dtype=complex), np.full(batch, np.nan, dtype=complex),
                 np.zeros(batch, np.int64), np.zeros(batch, bool),
                 np.full(batch, np.nan), np.full(batch, np.nan),
                 np.zeros((batch, n_sites), stepper.dtype))
    eps = np.finfo(stepper.dtype).eps
    state = _LockInState(window_start=ramp.copy(), window=np.zeros(batch, np.int64),
                         sums=np.zeros((batch, 2), dtype=complex),
                         weight_sums=np.zeros(batch),
                         previous=np.full((batch, 2), np.nan, dtype=complex),
                         previous_change=np.full((batch, 2), np.nan))
    waves = plane_wave(mode, n_sites).astype(stepper.dtype) if pattern == "plane" else None

    active = np.arange(batch)
    if start is None:
        z = stepper.zeros(batch)
    else:
        z = np.array(start, dtype=stepper.dtype, order="C", copy=True)
        if z.shape != (batch, n_sites):
            raise ValueError(f"start must have shape {(batch, n_sites)}, got {z.shape}")
    n = 0
    while active.size:
        # the next step at which a run of the batch ends a window: evaluate only there
        starts, lengths = state.window_start[active], window_length(block, state.window[active])
        ends = starts + lengths
        next_end = int(ends.min())
        rows = np.arange(active.size)
        k = mode[active]
        run_waves = waves[active] if waves is not None else None
        chunk = min(LOCK_IN_CHUNK, next_end - n)
        site_values = np.empty((active.size, chunk), stepper.dtype)
        mode_values = np.empty((active.size, chunk), stepper.dtype)
        while n < next_end:
            steps = np.arange(n, min(n + chunk, next_end))
            weights, hann, forcing = _chunk_weights(
                steps, omega[active], starts, lengths, amplitude[active], ramp[active],
                stepper.dtype)
            for s in range(steps.size):
                site_values[:, s] = z[:, 0]
                zk = sfft.fft(z, axis=-1, workers=stepper.workers)
                mode_values[:, s] = zk[rows, k]
                zk *= stepper.multipliers
                y = sfft.ifft(zk, axis=-1, workers=stepper.workers, overwrite_x=True)
                if pattern == "site":
                    z = stepper.drive_site(y, forcing[s])
                else:
                    y += forcing[s][:, None] * run_waves
                    z = stepper.activate(y)
            used = steps.size
            state.sums[active, 0] = _running_sum(state.sums[active, 0],
                                                 weights * site_values[:, :used])
            state.sums[active, 1] = _running_sum(state.sums[active, 1],
                                                 weights * mode_values[:, :used])
            state.weight_sums[active] = _running_sum(state.weight_sums[active], hann)
            n += used
        ending = np.flatnonzero(ends == n)   # rows of the active batch
        stop = _close_windows(state, out, active[ending], n, n_sites, block, tol,
                              max_iter, eps, labels)
        out.state[active[ending[stop]]] = z[ending[stop]]
        keep = np.ones(active.size, bool)
        keep[ending[stop]] = False
        active, z = active[keep], z[keep]
    return out
