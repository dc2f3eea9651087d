"""Fig. 5: resonances driven by a single oscillation ``A exp(i omega n)``.

Sweeps (config ``experiments.resonance.sweeps``), each a grid of runs:

- ``spectrum``: a uniform grid of ``n_freq`` frequencies on ``[0, 2 pi)`` (Fig. 5 top);
  the observed mode of each run is the one whose eigenphase is nearest ``omega``;
- ``detail``: a linear grid of frequencies ``theta_k + d``, ``|d| <= half_span``, around
  the eigenvalues nearest ``near_omega`` (Fig. 5 bottom, the widening);
- ``laws``: detunings ``0``, a log grid of ``d > 0`` and one far detuning around the
  eigenvalue nearest ``near_omega``, for the fitted laws of peak, off-resonance
  response and half-width.

``pattern`` is ``site`` (site 0 of the ring: every mode receives ``A/N``, the paper's
network case) or ``plane`` (the plane wave of the observed mode: the exact case).  A
sweep's ``start`` says where its runs begin.  ``rest``: from ``Z = 0``, switching the
drive on smoothly over ``T`` iterations (a sudden switch-on rings every mode at its own
eigenfrequency, and those free oscillations are barely damped near criticality;
:func:`switch_on_length` sizes ``T`` per run).  ``estimate``: from an estimate of the
run's own steady state, computed from the run's parameters alone
(:func:`steady_state_estimate`: the shared-saturation mean field refined by
Anderson-accelerated fixed-point iterations of the steady-state equation), with the full
drive from step 0; a run whose estimate does not converge starts from rest instead.
Either way the run stops when its lock-in amplitude has converged
(:func:`rnnrepro.chandra2024.model.lock_in`): the lock-in, not the estimate, is the
measurement, and from a good estimate it converges in the fewest windows.
The simulation keeps each run's final state; in the measure stage every
``validate_every``-th run, and every run of the sweeps in ``solve_sweeps``, is checked
against the steady state found directly by a Newton solve of the rotating-frame fixed
point ``W = exp(-i omega) phi(U ⊛ W + A p)`` started from it (so choosing which runs to
validate never re-runs a simulation).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg

from rnnrepro import schema
from rnnrepro.chandra2024 import theory
from rnnrepro.chandra2024.experiments.common import describe_runs, kernel_problems
from rnnrepro.chandra2024.kernels import Kernel, build
from rnnrepro.chandra2024.model import Stepper, lock_in, phase_gain, phi, plane_wave
from rnnrepro.config import Problem, grid_problems, range_problems
from rnnrepro.experiments import in_plan_order, runs_of_shard
from rnnrepro.fits import fit_power_law
from rnnrepro.grids import in_range, log_grid
from rnnrepro.io import pack_ragged, run_id, unpack_ragged

__all__ = ["NAME", "SCHEMA", "STAGE_KEYS", "DERIVED", "RUN_KEYS", "MIN_WINDOWS", "check",
           "kernel_names", "circular_offset", "nearest_mode", "sweep_frequencies",
           "switch_on_length", "plan", "SteadyStateSolver", "pattern_vector",
           "mean_field_state", "steady_state_estimate", "ESTIMATE_TOL", "ESTIMATE_ITERATIONS",
           "ESTIMATE_MEMORY", "simulate",
           "validation_flags", "measure", "add_theory", "half_width", "law_points",
           "resonance_laws", "fit_or_nan", "fit_laws", "aggregate"]

NAME = "resonance"
RUN_KEYS = ("pattern", "dtype", "tol", "block", "max_iter", "start")  # these batch together
#: where a sweep's runs start unless its ``start`` key says otherwise
DEFAULT_START = "rest"
#: windows a run needs before it can stop converged (the change between two windows,
#: and the change before it)
MIN_WINDOWS = 3

_SWEEP = {
    "type": "object", "additionalProperties": False,
    "description": "one grid of single-oscillation runs",
    "required": ["kind", "kernel", "pattern", "dtype", "tol", "block", "switch_on",
                 "max_iter", "amplitudes_log10"],
    "properties": {
        "kind": schema.choice("spectrum (uniform frequency grid), detail (linear grid "
                              "around eigenvalues) or laws (log grid of detunings)",
                              ["spectrum", "detail", "laws"]),
        "kernel": schema.string("a ring kernel with distinct eigenphases"),
        "pattern": schema.choice("where the drive acts: site (site 0, the paper's case) "
                                 "or plane (the observed mode's plane wave, the exact "
                                 "case)", ["site", "plane"]),
        "dtype": schema.DTYPE,
        "tol": schema.fraction("relative change of the lock-in amplitude at which a run "
                               "stops"),
        "block": schema.integer("first lock-in window L (iterations); windows go L, L, "
                                "2L, 2L, 4L, ..."),
        "switch_on": schema.section(
            "the drive's smooth switch-on, sized per run: T = clip(min(drift / |d|, "
            "relaxations * tau), min, max) iterations (d: detuning of the nearest driven "
            "mode, tau: its estimated relaxation time); min = max fixes T", {
                "drift": schema.positive("radians the drive drifts against the nearest "
                                         "mode during the switch-on"),
                "relaxations": schema.positive("cap on T in estimated relaxation times"),
                "min": schema.integer("shortest switch-on (iterations); 0 switches the "
                                      "drive on at once", 0),
                "max": schema.integer("longest switch-on (iterations)", 0),
            }),
        "max_iter": schema.integer("cap on a run (iterations); must leave room for the "
                                   "switch-on and three windows"),
        "start": schema.choice("where each run starts: rest (Z = 0, the drive switched on "
                               "smoothly; the default) or estimate (an estimate of the run's "
                               "steady state, full drive from step 0; a run whose estimate "
                               "does not converge starts from rest)", ["rest", "estimate"]),
        "amplitudes_log10": schema.array("drive amplitudes A = 10^value (A < 1)",
                                         schema.number("log10 A", exclusive_maximum=0), 1),
        "n_freq": schema.integer("spectrum: frequencies 2 pi j / n_freq"),
        "near_omega": schema.array(
            "detail, laws: resonances at the eigenvalues nearest these frequencies",
            schema.number("frequency (radians per iteration)", minimum=0,
                          exclusive_maximum=2 * np.pi), 1),
        "half_span": schema.positive("detail: detunings |d| <= half_span (radians)"),
        "n_points": schema.integer("detail: points of the linear detuning grid", 3),
        "offsets": schema.log_grid("laws: detunings d > 0 (plus 0 and far_offset)"),
        "far_offset": schema.number("laws: the off-resonance detuning (radians)",
                                    exclusive_minimum=0, maximum=np.pi),
    },
    "allOf": [
        {"if": {"properties": {"kind": {"const": "spectrum"}}},
         "then": {"required": ["n_freq"]}},
        {"if": {"properties": {"kind": {"const": "detail"}}},
         "then": {"required": ["near_omega", "half_span", "n_points"]}},
        {"if": {"properties": {"kind": {"const": "laws"}}},
         "then": {"required": ["near_omega", "offsets", "far_offset"]}},
    ],
}
SCHEMA = schema.section("Fig. 5: responses to a single oscillation A exp(i omega n)", {
    "shards": schema.SHARDS,
    "validate_every": schema.integer("every n-th run of the plan is checked by a direct "
                                     "(Newton) solve of its steady state"),
    "solve_sweeps": schema.array("sweeps whose every run is also solved directly: the "
                                 "exact comparator of the site drive's laws",
                                 schema.string("a sweep name")),
    "fit_ranges": schema.mapping("named ranges [A_min, A_max] of the fitted laws",
                                 schema.positive_range("drive amplitudes")),
    "sweeps": schema.mapping("named grids of runs", _SWEEP),
})
STAGE_KEYS = {
    "plan": ("sweeps",),
    "measure": ("validate_every", "solve_sweeps"),
    "aggregate": ("fit_ranges",),
}


def check(params: dict[str, Any], paper: dict[str, Any]) -> list[Problem]:
    """Problems of the section that the schema cannot see.

    Every sweep names a ring kernel with distinct eigenphases; its switch-on bounds are
    ordered; its cap leaves every run room for its switch-on and three lock-in windows
    (so no run goes past it); every fit range is ordered and holds no amplitude or at
    least two of each laws sweep, and at least two of one; the solved sweeps exist.

    Parameters
    ----------
    params : dict
        This experiment's config section.
    paper : dict
        The paper's section.

    Returns
    -------
    list of Problem
        Keys relative to this section.
    """
    problems = []
    sweeps = params["sweeps"]
    for name, sweep in sweeps.items():
        key = f"sweeps.{name}"
        problems += kernel_problems(f"{key}.kernel", sweep["kernel"], paper["kernels"],
                                    dims=(1,), distinct_eigenphases=True)
        if sweep["switch_on"]["min"] > sweep["switch_on"]["max"]:
            problems.append(Problem(f"{key}.switch_on.min", sweep["switch_on"]["min"],
                                    f"at most switch_on.max = {sweep['switch_on']['max']}"))
        if sweep["kind"] == "laws":
            problems += grid_problems(f"{key}.offsets", sweep["offsets"])
    for name in params["solve_sweeps"]:
        if name not in sweeps:
            problems.append(Problem("solve_sweeps", name, f"one of the sweeps {sorted(sweeps)}"))
    if problems:
        return problems
    runs = plan({"sweeps": sweeps}, {
        name: build(name, paper["kernels"][name]) for name in kernel_names({"sweeps": sweeps})})
    for name, part in runs.groupby("sweep", sort=False):
        needed = int((part["switch_on_length"] + MIN_WINDOWS * part["block"]).max())
        if sweeps[name]["max_iter"] < needed:
            problems.append(Problem(
                f"sweeps.{name}.max_iter", sweeps[name]["max_iter"],
                f"at least {needed}: the longest switch-on of the sweep plus "
                f"{MIN_WINDOWS} windows of block = {sweeps[name]['block']}"))
    laws = {n: 10.0 ** np.asarray(s["amplitudes_log10"], float)
            for n, s in sweeps.items() if s["kind"] == "laws"}
    for range_name, bounds in params["fit_ranges"].items():
        key = f"fit_ranges.{range_name}"
        if range_problems(key, bounds):
            problems += range_problems(key, bounds)
            continue
        counts = {n: int(in_range(a, tuple(bounds)).sum()) for n, a in laws.items()}
        for sweep_name, count in counts.items():
            if count == 1:
                problems.append(Problem(key, bounds, f"a range holding no amplitude or at "
                                                     f"least two of sweep {sweep_name} (it "
                                                     "holds one)"))
        if laws and max(counts.values()) < 2:
            problems.append(Problem(key, bounds, "a range holding at least two amplitudes "
                                                 "of some laws sweep"))
    return problems


def kernel_names(params: dict[str, Any]) -> list[str]:
    """Kernels the experiment needs (those of its sweeps).

    Parameters
    ----------
    params : dict
        The plan's keys.

    Returns
    -------
    list of str
        Sorted kernel names.
    """
    return sorted({sweep["kernel"] for sweep in params["sweeps"].values()})


def circular_offset(omega: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """``omega - theta`` wrapped to ``[-pi, pi)``.

    Parameters
    ----------
    omega, theta : ndarray
        Frequencies and eigenphases (radians per iteration), broadcast together.

    Returns
    -------
    ndarray
        The circular offset (radians).
    """
    return np.mod(np.asarray(omega) - np.asarray(theta) + np.pi, 2 * np.pi) - np.pi


def nearest_mode(omega: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Index of the eigenphase nearest each frequency (circular distance).

    Parameters
    ----------
    omega : ndarray
        Frequencies (radians per iteration).
    theta : ndarray
        The kernel's eigenphases, one per mode.

    Returns
    -------
    ndarray
        One mode index per frequency.
    """
    distance = np.abs(circular_offset(np.asarray(omega)[:, None], theta[None, :]))
    return distance.argmin(axis=1)


def sweep_frequencies(sweep: dict[str, Any], theta: np.ndarray
                      ) -> list[tuple[float, int, float]]:
    """``(omega, observed mode, detuning)`` of every frequency of a sweep.

    Parameters
    ----------
    sweep : dict
        The sweep's config (``kind`` and its grid keys).
    theta : ndarray
        The kernel's eigenphases.

    Returns
    -------
    list of tuple
        ``(omega, mode, omega - theta_mode)`` per frequency, radians per iteration.
    """
    kind = sweep["kind"]
    if kind == "spectrum":
        omega = 2 * np.pi * np.arange(sweep["n_freq"]) / sweep["n_freq"]
        modes = nearest_mode(omega, theta)
        return [(float(w), int(k), float(circular_offset(w, theta[k])))
                for w, k in zip(omega, modes)]
    modes = nearest_mode(np.asarray(sweep["near_omega"], float), theta)
    if kind == "detail":
        offsets = np.linspace(-sweep["half_span"], sweep["half_span"], sweep["n_points"])
    elif kind == "laws":
        offsets = np.concatenate([[0.0], log_grid(sweep["offsets"]), [sweep["far_offset"]]])
    else:
        raise ValueError(f"unknown sweep kind {kind!r}")
    return [(float(theta[k] + d), int(k), float(d)) for k in modes for d in offsets]


def switch_on_length(rule: dict[str, float], pattern: str, amplitude: np.ndarray,
                     omega: np.ndarray, mode: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Switch-on length ``T`` of each run, in iterations.

    ``T = min(drift / |d|, relaxations * tau)``, clipped to ``[min, max]``, where ``d``
    is the detuning of the nearest mode the drive reaches and ``tau = -1 / ln g_t`` the
    phase relaxation time at the estimated activity ``P = sum_k r_k^2`` (mean ``|Z|^2``
    per site; :func:`rnnrepro.chandra2024.theory.response_estimate` for each driven
    mode, ``A/N`` each for site drive).  A mode at detuning ``d`` is left ringing with
    a relative amplitude ``~ (d T)^-5`` (:func:`rnnrepro.chandra2024.model.switch_on`);
    a longer switch-on than a few relaxation times gains nothing, because the ringing
    dies anyway.  Sizing ``T`` per run makes the weakly driven, slightly detuned runs
    (relaxation times of 1e5 iterations) converge in a few windows instead of ringing
    for ``max_iter``.

    Parameters
    ----------
    rule : dict
        The sweep's ``switch_on`` section (``drift``, ``relaxations``, ``min``, ``max``).
    pattern : str
        ``site`` or ``plane``.
    amplitude, omega : ndarray
        Drive amplitude and frequency per run.
    mode : ndarray
        Observed mode per run.
    theta : ndarray
        The kernel's eigenphases.

    Returns
    -------
    ndarray
        ``T`` per run (int64).
    """
    amplitude, omega = np.asarray(amplitude, float), np.asarray(omega, float)
    if pattern == "site":
        detuning = circular_offset(omega[:, None], theta[None, :])
        share = amplitude[:, None] / theta.size
        power = (theory.response_estimate(share, detuning) ** 2).sum(axis=1)
        nearest = np.abs(detuning).min(axis=1)
    else:
        nearest = np.abs(circular_offset(omega, theta[mode]))
        power = theory.response_estimate(amplitude, nearest) ** 2
    tau = theory.relaxation_time(phase_gain(np.sqrt(power)))
    with np.errstate(divide="ignore"):
        wanted = np.minimum(rule["drift"] / nearest, rule["relaxations"] * tau)
    return np.clip(np.ceil(wanted), rule["min"], rule["max"]).astype(np.int64)


def plan(params: dict[str, Any], kernels: dict[str, Kernel]) -> pd.DataFrame:
    """One row per (sweep, amplitude, frequency), with each run's switch-on length.

    Parameters
    ----------
    params : dict
        The plan's keys (``sweeps``).
    kernels : dict of str to Kernel
        The sweeps' kernels (their eigenphases place the frequencies).

    Returns
    -------
    DataFrame
        The plan.
    """
    rows = []
    for sweep_name, sweep in params["sweeps"].items():
        kernel = kernels[sweep["kernel"]]
        theta = kernel.theta.ravel()
        start = sweep.get("start", DEFAULT_START)
        for log_a in sweep["amplitudes_log10"]:
            amplitude = float(10.0 ** log_a)
            for omega, mode, detuning in sweep_frequencies(sweep, theta):
                row = {"sweep": sweep_name, "kind": sweep["kind"], "kernel": sweep["kernel"],
                       "N": int(theta.size), "pattern": sweep["pattern"],
                       "amplitude": amplitude, "omega": omega, "mode": mode,
                       "nearest_theta": float(theta[mode]), "detuning": detuning,
                       **{k: sweep[k] for k in RUN_KEYS if k not in ("pattern", "start")},
                       "start": start}
                # the switch-on rule's parameters define the run; its length is derived.
                # A run from rest keeps the identity it had before runs could start
                # elsewhere (same parameters, same result)
                identity = {**row, "experiment": NAME, "switch_on": sweep["switch_on"],
                            "kernel_spec": kernel.params}
                if start == DEFAULT_START:
                    del identity["start"]
                rows.append({"run_id": run_id(identity), **row})
    runs = pd.DataFrame(rows)
    runs["switch_on_length"] = np.zeros(len(runs), np.int64)
    for sweep_name, index in runs.groupby("sweep", sort=False).indices.items():
        part = runs.iloc[index]
        sweep = params["sweeps"][sweep_name]
        runs.loc[runs.index[index], "switch_on_length"] = switch_on_length(
            sweep["switch_on"], sweep["pattern"], part["amplitude"].to_numpy(),
            part["omega"].to_numpy(), part["mode"].to_numpy(),
            kernels[part["kernel"].iat[0]].theta.ravel())
    return runs


class SteadyStateSolver:
    """Newton's method for the rotating-frame fixed point ``W = e^{-i omega} phi(U ⊛ W + A p)``.

    ``Z_n = W exp(i omega n)`` is then the steady state of the driven network.  The
    Jacobian is formed densely in the real ``2N`` representation (``phi`` is not
    holomorphic), from the kernel's dense matrix built once per kernel.  Near
    criticality the Jacobian is nearly singular (eigenvalues ``~ 1/tau``):
    ``scipy.optimize.newton_krylov``, tried first, stalled there at residuals of 1e-6,
    which left the "validated" amplitudes wrong by up to 9 %.  The LU factors of the
    Jacobian are kept while each step shrinks the residual at least
    :attr:`REFACTOR_RATIO`-fold (from a lock-in's final state, one factorisation
    usually suffices: the chord variant of Newton's method), and refactored at the
    current point otherwise; the stopping test is the same either way.
    """

    #: a step that shrinks the residual less than this factor refactors the Jacobian
    REFACTOR_RATIO = 10.0

    def __init__(self, kernel: Kernel):
        lam = kernel.multipliers.astype(complex).ravel()
        self.n_sites = lam.size
        u = np.fft.ifft(lam[:, None] * np.fft.fft(np.eye(self.n_sites), axis=0), axis=0)
        self.u = u
        self._u_re, self._u_im = np.ascontiguousarray(u.real), np.ascontiguousarray(u.imag)
        self._jacobian = np.empty((2 * self.n_sites, 2 * self.n_sites))

    def _factor(self, y: np.ndarray, rotation: complex) -> tuple:
        """LU factors of the Jacobian of ``e^{-i omega} phi(U W + A p) - W`` at ``y``."""
        n, jac, u_re, u_im = self.n_sites, self._jacobian, self._u_re, self._u_im
        q = 1.0 + np.abs(y) ** 2
        # derivatives of phi(y) = y q^(-1/2) along Re y and Im y, rotated
        d_re = rotation * (q ** -0.5 - y * y.real * q ** -1.5)
        d_im = rotation * (1j * q ** -0.5 - y * y.imag * q ** -1.5)
        # rows: d(Re f), d(Im f); columns: d(Re w), d(Im w); d(Re y, Im y)/d(Re w, Im w)
        # is [[U_re, -U_im], [U_im, U_re]]
        for rows, (along_re, along_im) in ((slice(0, n), (d_re.real, d_im.real)),
                                           (slice(n, 2 * n), (d_re.imag, d_im.imag))):
            left, right = jac[rows, :n], jac[rows, n:]
            np.multiply(along_re[:, None], u_re, out=left)
            left += along_im[:, None] * u_im
            np.multiply(along_im[:, None], u_re, out=right)
            right -= along_re[:, None] * u_im
        jac.flat[:: 2 * n + 1] -= 1.0
        return scipy.linalg.lu_factor(jac, overwrite_a=True, check_finite=False)

    def solve(self, amplitude: float, omega: float, pattern: np.ndarray,
              guess: np.ndarray, *, f_tol: float = 1e-13, max_steps: int = 40
              ) -> tuple[np.ndarray, float]:
        """Newton's method from ``guess`` until the residual is below ``f_tol``.

        Parameters
        ----------
        amplitude, omega : float
            Drive amplitude ``A`` and frequency (radians per iteration).
        pattern : ndarray
            The drive's spatial pattern ``p``.
        guess : ndarray
            Starting ``W`` (e.g. a lock-in's final state, rotated back to ``n = 0``).
        f_tol : float
            Stop when ``max|e^{-i omega} phi(U ⊛ W + A p) - W|`` is below it.
        max_steps : int
            Newton steps allowed.

        Returns
        -------
        w : ndarray
            ``W`` (complex, dimensionless).
        residual : float
            The max-norm of the residual at ``w``.
        """
        n = self.n_sites
        rotation = np.exp(-1j * omega)
        w = guess.astype(complex)
        residual, previous, factors = np.inf, np.inf, None
        for _ in range(max_steps):
            y = self.u @ w + amplitude * pattern
            f = rotation * phi(y) - w
            residual = float(np.abs(f).max())
            if residual < f_tol:
                break
            if factors is None or residual > previous / self.REFACTOR_RATIO:
                factors = self._factor(y, rotation)
            previous = residual
            step = scipy.linalg.lu_solve(factors, -np.concatenate([f.real, f.imag]),
                                         check_finite=False)
            w = w + step[:n] + 1j * step[n:]
        return w, residual


def pattern_vector(pattern: str, mode: int, n_sites: int) -> np.ndarray:
    """The drive's spatial pattern ``p``: site 0, or the plane wave of ``mode``.

    Parameters
    ----------
    pattern : str
        ``site`` or ``plane``.
    mode : int
        Observed mode (for ``plane``).
    n_sites : int
        Ring length.

    Returns
    -------
    ndarray
        Complex vector of length ``n_sites``.
    """
    if pattern == "site":
        vector = np.zeros(n_sites, dtype=complex)
        vector[0] = 1.0
        return vector
    return plane_wave(mode, n_sites)


#: the estimate stops when a fixed-point iteration moves it by less than this (relative,
#: 2-norm); complex128, so far below any lock-in tolerance
ESTIMATE_TOL = 1e-11
#: fixed-point iterations allowed before the run falls back to a start from rest
ESTIMATE_ITERATIONS = 100
#: previous iterates the Anderson mixing combines
ESTIMATE_MEMORY = 4


def mean_field_state(multipliers: np.ndarray, amplitude: float, omega: float,
                     pattern: np.ndarray) -> np.ndarray:
    """Steady state of the driven ring if every site saturated alike (rotating frame).

    The steady state ``Z_n = W exp(i omega n)`` solves ``e^{i omega} s(x) W = U ⊛ W + A p``
    with ``s = 1 / sqrt(1 - |W|^2)`` (``phi^-1``, site by site).  Replacing ``s(x)`` by one
    number ``c = 1 / sqrt(1 - P)`` makes it diagonal in Fourier space: every mode ``k``,
    driven by ``d_k = FFT(A p)_k / N`` (``A/N`` for a site drive), has the amplitude
    ``a_k = d_k / (c e^{i omega} - lambda_k)``, and ``P = sum_k |a_k|^2`` (the mean
    ``|W|^2``) closes it.  ``sum_k |a_k|^2`` falls as ``P`` grows (``|c e^{i omega} -
    lambda_k|`` grows with ``c >= 1``), so the root is unique; bisection finds it.  For a
    plane-wave drive this is the exact single-mode solution; for a site drive it is the
    independent-mode sum with one shared saturation (typically within 1e-3 of the
    steady state at weak drive, 0.3 at the strongest).

    Parameters
    ----------
    multipliers : ndarray
        The ring's ``lambda_k`` (length ``N``).
    amplitude, omega : float
        Drive amplitude ``A`` and frequency (radians per iteration).
    pattern : ndarray
        The drive's spatial pattern ``p`` (:func:`pattern_vector`).

    Returns
    -------
    ndarray
        ``W`` (complex, length ``N``), dimensionless field values at ``n = 0``.
    """
    lam = np.asarray(multipliers, complex).ravel()
    n_sites = lam.size
    share = np.fft.fft(amplitude * np.asarray(pattern, complex)) / n_sites
    power = np.abs(share) ** 2
    rotation = np.exp(1j * omega)
    lo, hi = 0.0, 1.0
    for _ in range(64):   # P to 2^-64: the refinement does the rest
        mid = 0.5 * (lo + hi)
        if (power / np.abs(rotation / np.sqrt(1.0 - mid) - lam) ** 2).sum() > mid:
            lo = mid
        else:
            hi = mid
    return np.fft.ifft(share / (rotation / np.sqrt(1.0 - lo) - lam)) * n_sites


def steady_state_estimate(multipliers: np.ndarray, amplitude: float, omega: float,
                          pattern: np.ndarray) -> tuple[np.ndarray, int, float]:
    """Estimate of a run's steady state: the mean field, refined by fixed-point iteration.

    The steady state solves ``e^{i omega} s(x) W = U ⊛ W + A p``, ``s = 1/sqrt(1 - |W|^2)``
    (:func:`mean_field_state`).  Written around the mean saturation ``c = mean_x s(x)``,

        W = G(W) = (c e^{i omega} - U)^-1 [A p - e^{i omega} (s(x) - c) W],

    whose fixed point is the steady state exactly (the inverse is diagonal in Fourier
    space: two FFTs per iteration).  Plain iteration of ``G`` diverges next to a
    resonance (there the radial gain ``s^3`` of the resonant mode differs from ``s`` by
    about the distance to the resonance), so the iterates are combined by Anderson
    mixing over the last :data:`ESTIMATE_MEMORY` (least squares on the residuals ``G(W)
    - W`` in the real ``2N`` representation, ``phi`` not being holomorphic).  At paper
    scale it converges in 4-27 iterations (1-5 ms a run, complex128).  The iteration is
    restarted from plain ``G`` whenever a mixed iterate leaves ``|W| < 1``.

    Parameters
    ----------
    multipliers : ndarray
        The ring's ``lambda_k``.
    amplitude, omega : float
        Drive amplitude and frequency.
    pattern : ndarray
        The drive's spatial pattern ``p``.

    Returns
    -------
    estimate : ndarray
        ``W`` (complex128), dimensionless, at ``n = 0`` (``Z_n = W e^{i omega n}``).
    iterations : int
        Fixed-point iterations used.
    change : float
        ``|G(W) - W| / |G(W)|`` (2-norms) at the last iteration: converged when at most
        :data:`ESTIMATE_TOL`; NaN if an iterate could not be evaluated.
    """
    lam = np.asarray(multipliers, complex).ravel()
    drive = amplitude * np.asarray(pattern, complex)
    rotation = np.exp(1j * omega)

    def fixed_point_map(w: np.ndarray) -> np.ndarray:
        s = 1.0 / np.sqrt(1.0 - np.abs(w) ** 2)
        c = s.mean()
        rhs = drive - rotation * (s - c) * w
        return np.fft.ifft(np.fft.fft(rhs) / (c * rotation - lam))

    w = mean_field_state(lam, amplitude, omega, pattern)
    residuals: list[np.ndarray] = []
    images: list[np.ndarray] = []
    change = np.nan
    for iteration in range(1, ESTIMATE_ITERATIONS + 1):
        if not (np.all(np.isfinite(w)) and np.abs(w).max(initial=0.0) < 1.0):
            return w, iteration, np.nan
        image = fixed_point_map(w)
        residual = (image - w).view(float)
        change = float(np.linalg.norm(residual) / np.linalg.norm(image))
        if change <= ESTIMATE_TOL:
            return image, iteration, change
        residuals.append(residual)
        images.append(image.view(float))
        del residuals[:-ESTIMATE_MEMORY - 1], images[:-ESTIMATE_MEMORY - 1]
        w = image
        if len(residuals) > 1:
            d_res = np.diff(np.array(residuals), axis=0).T
            d_img = np.diff(np.array(images), axis=0).T
            gamma = np.linalg.lstsq(d_res, residual, rcond=None)[0]
            mixed = (images[-1] - d_img @ gamma).view(complex)
            if np.all(np.isfinite(mixed)) and np.abs(mixed).max(initial=0.0) < 1.0:
                w = mixed
            else:   # restart the mixing from the plain step
                del residuals[:-1], images[:-1]
    return w, ESTIMATE_ITERATIONS, change


LABEL_KEYS = ("sweep", "kernel", "pattern", "amplitude", "omega")


def _starts(part: pd.DataFrame, kernel: Kernel, dtype: str
            ) -> tuple[np.ndarray | None, np.ndarray, dict[str, np.ndarray]]:
    """Initial states, switch-on lengths and start records of a batch of runs.

    Runs of an ``estimate`` sweep start at :func:`steady_state_estimate` with no switch-on
    where it converged, from rest with their planned switch-on where it did not; runs of
    a ``rest`` sweep start from rest.  Each estimate depends on its run's parameters
    alone, so a run's start does not depend on its shard.
    """
    size, n_sites = len(part), kernel.multipliers.size
    ramp = part["switch_on_length"].to_numpy().astype(np.int64)
    record = {"started_from": np.full(size, "rest", dtype=object),
              "start_iterations": np.zeros(size, np.int64),
              "start_change": np.full(size, np.nan)}
    if (part["start"] != "estimate").all():
        return None, ramp, record
    states = np.zeros((size, n_sites), dtype)
    for j, run in enumerate(part.itertuples(index=False)):
        w, iterations, change = steady_state_estimate(
            kernel.multipliers, run.amplitude, run.omega,
            pattern_vector(run.pattern, run.mode, n_sites))
        record["start_iterations"][j], record["start_change"][j] = iterations, change
        if change <= ESTIMATE_TOL:
            states[j], ramp[j] = w, 0
            record["started_from"][j] = "estimate"
    return states, ramp, record


def simulate(runs: pd.DataFrame, kernels: dict[str, Kernel],
             params: dict[str, Any]) -> dict[str, np.ndarray]:
    """Lock in on every run of a shard; runs sharing kernel, pattern and numerics batch.

    Parameters
    ----------
    runs : DataFrame
        The shard's rows of the plan.
    kernels : dict of str to Kernel
        The kernels.
    params : dict
        The plan's keys.

    Returns
    -------
    dict of str to ndarray
        Lock-in amplitudes, convergence records, where each run started (``started_from``,
        ``start_iterations``, ``start_change``) and every run's final state (packed).
    """
    batches = runs.groupby(["kernel", *RUN_KEYS], sort=True).indices
    size = len(runs)
    out = {key: np.full(size, np.nan, dtype=complex) for key in ("site", "mode")}
    out.update(iterations=np.zeros(size, np.int64), converged=np.zeros(size, bool),
               rel_change=np.full(size, np.nan), rel_error=np.full(size, np.nan),
               started_from=np.full(size, "rest", dtype=object),
               start_iterations=np.zeros(size, np.int64), start_change=np.full(size, np.nan))
    states: list[np.ndarray] = [np.zeros(0, complex)] * size
    for (kernel_name, pattern, dtype, tol, block, max_iter, _), index in batches.items():
        part = runs.iloc[index]
        kernel = kernels[kernel_name]
        start, ramp, record = _starts(part, kernel, dtype)
        for key, values in record.items():
            out[key][index] = values
        stepper = Stepper(kernel.multipliers, dtype)
        result = lock_in(stepper, part["amplitude"].to_numpy(), part["omega"].to_numpy(),
                         part["mode"].to_numpy(), pattern, block=int(block), tol=float(tol),
                         max_iter=int(max_iter), switch_on_length=ramp, start=start,
                         labels=describe_runs(NAME, part, LABEL_KEYS))
        out["site"][index], out["mode"][index] = result.site, result.mode
        out["iterations"][index] = result.iterations
        out["converged"][index] = result.converged
        out["rel_change"][index] = result.rel_change
        out["rel_error"][index] = result.rel_error
        for j, i in enumerate(index):
            states[i] = result.state[j].astype(complex)
    out["started_from"] = out["started_from"].astype(str)
    out["state_values"], out["state_offsets"] = pack_ragged(states)
    out["run_id"] = runs["run_id"].to_numpy().astype(str)
    return out


def validation_flags(runs: pd.DataFrame, params: dict[str, Any]) -> np.ndarray:
    """Which runs of the plan are checked by a direct solve of their steady state.

    Every ``validate_every``-th run, and every run of the sweeps solved in full (the
    site drive has no closed form: its direct steady state is the exact comparator).

    Parameters
    ----------
    runs : DataFrame
        The whole plan.
    params : dict
        The measure keys (``validate_every``, ``solve_sweeps``).

    Returns
    -------
    ndarray of bool
        One flag per run of the plan.
    """
    return ((np.arange(len(runs)) % params["validate_every"] == 0)
            | runs["sweep"].isin(params["solve_sweeps"]).to_numpy())


def measure(raw: dict[str, np.ndarray], runs: pd.DataFrame, kernels: dict[str, Kernel],
            params: dict[str, Any]) -> pd.DataFrame:
    """One row per run: lock-in responses (modulus and phase), convergence, validation,
    and the theory beside them (:func:`add_theory`).

    ``runs`` is the whole plan (the validation flags count runs across shards); the
    rows returned are the shard's.

    Parameters
    ----------
    raw : dict of str to ndarray
        The shard's output of :func:`simulate`.
    runs : DataFrame
        The whole plan.
    kernels : dict of str to Kernel
        The kernels (for the direct solves).
    params : dict
        The plan's keys and the measure keys.

    Returns
    -------
    DataFrame
        One row per run of the shard.
    """
    flagged = runs.assign(validate=validation_flags(runs, params))
    shard = runs_of_shard(flagged, raw["run_id"])
    newton = {key: np.full(len(shard), np.nan, dtype=complex) for key in ("site", "mode")}
    residual = np.full(len(shard), np.nan)
    states = unpack_ragged(raw["state_values"], raw["state_offsets"])
    solvers: dict[str, SteadyStateSolver] = {}
    for i, run in enumerate(shard.itertuples(index=False)):
        if not run.validate:
            continue
        if run.kernel not in solvers:   # the dense kernel matrix, once per kernel
            solvers[run.kernel] = SteadyStateSolver(kernels[run.kernel])
        solver = solvers[run.kernel]
        guess = states[i] * np.exp(-1j * run.omega * raw["iterations"][i])
        w, residual[i] = solver.solve(run.amplitude, run.omega,
                                      pattern_vector(run.pattern, run.mode, solver.n_sites),
                                      guess)
        # the lock-in of Z_n = W exp(i omega n) is W itself
        newton["site"][i] = w[0]
        newton["mode"][i] = np.fft.fft(w)[run.mode] / solver.n_sites
    rows = shard.assign(
        response_site=np.abs(raw["site"]), response_site_phase=np.angle(raw["site"]),
        response_mode=np.abs(raw["mode"]), response_mode_phase=np.angle(raw["mode"]),
        iterations=raw["iterations"], converged=raw["converged"].astype(bool),
        rel_change=raw["rel_change"], rel_error=raw["rel_error"],
        started_from=raw["started_from"].astype(str),
        start_iterations=raw["start_iterations"], start_change=raw["start_change"],
        validated_site=np.abs(newton["site"]), validated_mode=np.abs(newton["mode"]),
        validation_residual=residual,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        rows["validation_rel_dev"] = np.maximum(
            np.abs(raw["site"] - newton["site"]) / np.abs(newton["site"]),
            np.abs(raw["mode"] - newton["mode"]) / np.abs(newton["mode"]))
    # the theory beside each run depends on that run alone: computed here, shard by
    # shard in parallel, rather than serially in the aggregate stage (at paper scale the
    # independent-mode sums of the 5465 site-drive runs take about 20 CPU-seconds)
    return add_theory(rows, kernels) if len(rows) else rows


def add_theory(table: pd.DataFrame, kernels: dict[str, Kernel]) -> pd.DataFrame:
    """Theory beside each run.

    ``response_mode_theory``: the exact single-mode solution for the observed mode, with
    drive ``A`` (plane) or ``A/N`` (site: the mode's share).  ``response_site_theory``:
    the same for plane drive; for site drive the sum of every mode's single-mode
    solution with ``A/N`` (independent modes: accurate only at weak drive).

    Parameters
    ----------
    table : DataFrame
        Measured rows (one per run).
    kernels : dict of str to Kernel
        The kernels (their eigenphases).

    Returns
    -------
    DataFrame
        A copy with the ``*_theory`` and ``*_rel_dev`` columns added.
    """
    table = table.copy()
    n_sites = table["N"].to_numpy(float)
    share = np.where(table["pattern"] == "site", table["amplitude"] / n_sites, table["amplitude"])
    single = theory.resonance_amplitude(share, table["omega"], table["nearest_theta"])
    table["response_mode_theory"] = np.abs(single)
    table["response_mode_phase_theory"] = np.angle(single)
    site_theory = single.copy()
    for i in np.flatnonzero(table["pattern"].to_numpy() == "site"):
        theta = kernels[table["kernel"].iat[i]].theta.ravel()
        site_theory[i], _ = theory.site_drive_prediction(table["amplitude"].iat[i],
                                                         table["omega"].iat[i], theta)
    table["response_site_theory"] = np.abs(site_theory)
    table["response_site_phase_theory"] = np.angle(site_theory)
    table["response_mode_rel_dev"] = table["response_mode"] / table["response_mode_theory"] - 1
    table["response_site_rel_dev"] = table["response_site"] / table["response_site_theory"] - 1
    return table


def half_width(detuning: np.ndarray, response: np.ndarray,
               converged: np.ndarray | None = None) -> float:
    """Half-width at half power from a response sampled at detunings ``d >= 0``.

    The first ``d`` where ``r^2`` falls below ``r(0)^2 / 2``, interpolated linearly in
    ``(ln d, ln r^2)`` between the bracketing samples (in ``d`` next to ``d = 0``).
    NaN if a sample up to the bracket did not converge, or the response never halves.

    Parameters
    ----------
    detuning : ndarray
        Detunings ``d >= 0`` (radians), one of them 0.
    response : ndarray
        ``r(d)``.
    converged : ndarray of bool, optional
        Which samples converged (all, if omitted).

    Returns
    -------
    float
        The half-width (radians), or NaN.
    """
    order = np.argsort(detuning)
    d, power = np.asarray(detuning)[order], np.asarray(response)[order] ** 2
    ok = np.ones(len(d), bool) if converged is None else np.asarray(converged)[order]
    if d[0] != 0.0:
        raise ValueError("the half-width needs the response at zero detuning")
    target = power[0] / 2
    below = np.flatnonzero(power < target)
    if below.size == 0 or below[0] == 0 or not ok[:below[0] + 1].all():
        return np.nan
    j = below[0]
    if d[j - 1] == 0.0:
        return float(d[j - 1] + (d[j] - d[j - 1]) * (power[j - 1] - target)
                     / (power[j - 1] - power[j]))
    t = (np.log(power[j - 1]) - np.log(target)) / (np.log(power[j - 1]) - np.log(power[j]))
    return float(np.exp(np.log(d[j - 1]) + t * (np.log(d[j]) - np.log(d[j - 1]))))


def law_points(group: pd.DataFrame, response: str) -> dict[str, float]:
    """Peak, off-resonance response and half-width of one resonance.

    Parameters
    ----------
    group : DataFrame
        The resonance's runs with ``d >= 0``, sorted by detuning, the far one last.
    response : str
        The column to read.

    Returns
    -------
    dict of str to float
        ``peak`` (``d = 0``), ``off_resonance`` (the far detuning) and ``half_width``;
        NaN where a run they need did not converge.
    """
    near, far = group.iloc[:-1], group.iloc[-1]
    ok = near["converged"].to_numpy()
    return {
        "peak": near[response].iat[0] if ok[0] else np.nan,
        "off_resonance": far[response] if far["converged"] else np.nan,
        "half_width": half_width(near["detuning"].to_numpy(), near[response].to_numpy(), ok),
    }


def resonance_laws(table: pd.DataFrame) -> pd.DataFrame:
    """Per (sweep, pattern, amplitude): peak, off-resonance response, half-width.

    Measured from the runs with ``d >= 0`` of each ``laws`` sweep's first resonance.
    Beside them, ``<law>_theory``: the exact value -- the single-mode solution for the
    plane drive; for the site drive, where no closed form exists, the steady state of
    the whole network solved directly (Newton) when the sweep is in ``solve_sweeps``,
    else NaN -- and ``<law>_single_mode``: the single-mode solution with the mode's
    share of the drive (``A/N`` for site drive: the independent-mode approximation).
    A law's point is NaN when a run it needs did not converge.

    Parameters
    ----------
    table : DataFrame
        The experiment's table.

    Returns
    -------
    DataFrame
        One row per (sweep, pattern, amplitude, mode).
    """
    rows = []
    laws = table[(table["kind"] == "laws") & (table["detuning"] >= 0)]
    for (sweep, pattern, amplitude, mode), group in laws.groupby(
            ["sweep", "pattern", "amplitude", "mode"], sort=True):
        group = group.sort_values("detuning")
        share = amplitude / group["N"].iat[0] if pattern == "site" else amplitude
        single = law_points(group, "response_mode_theory")
        single["half_width"] = theory.resonance_half_width(share)
        if pattern == "plane":
            exact = single
        elif group["validate"].all():
            exact = law_points(group, "validated_mode")
        else:
            exact = dict.fromkeys(single, np.nan)
        measured = law_points(group, "response_mode")
        rows.append({"sweep": sweep, "pattern": pattern, "amplitude": amplitude, "mode": mode,
                     "far_detuning": group["detuning"].iat[-1],
                     **{law: measured[law] for law in measured},
                     **{f"{law}_theory": exact[law] for law in exact},
                     **{f"{law}_single_mode": single[law] for law in single}})
    return pd.DataFrame(rows)


def fit_or_nan(x: pd.Series, y: pd.Series) -> tuple[float, float]:
    """``(exponent, prefactor)`` of a power law, NaN if fewer than two finite points.

    Parameters
    ----------
    x, y : Series
        The points (``y`` may hold NaN).

    Returns
    -------
    tuple of float
        Exponent and prefactor of ``y = prefactor x^exponent``.
    """
    finite = np.isfinite(y.to_numpy(float))
    if finite.sum() < 2:
        return np.nan, np.nan
    fit = fit_power_law(x[finite], y[finite])
    return fit.exponent, fit.prefactor


def fit_laws(laws: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """Power laws of peak, off-resonance response and half-width against ``A``.

    Parameters
    ----------
    laws : DataFrame
        :func:`resonance_laws`.
    params : dict
        The aggregate keys (``fit_ranges``).

    Returns
    -------
    DataFrame
        One row per (sweep, pattern, range, quantity).
    """
    rows = []
    for (sweep, pattern), group in laws.groupby(["sweep", "pattern"], sort=True):
        for range_name, fit_range in params["fit_ranges"].items():
            inside = group[in_range(group["amplitude"], fit_range)]
            for quantity in ("peak", "off_resonance", "half_width"):
                ok = inside[np.isfinite(inside[quantity])]
                if len(ok) < 2:
                    continue
                measured = fit_power_law(ok["amplitude"], ok[quantity])
                exact = fit_or_nan(ok["amplitude"], ok[f"{quantity}_theory"])
                single = fit_power_law(ok["amplitude"], ok[f"{quantity}_single_mode"])
                exponent, prefactor = theory.RESONANCE_POWER_LAWS[quantity]
                rows.append({
                    "experiment": NAME, "quantity": quantity, "variable": "amplitude",
                    "sweep": sweep, "pattern": pattern, "range": range_name,
                    **vars(measured),
                    "exponent_theory_range": exact[0],
                    "prefactor_theory_range": exact[1],
                    "exponent_single_mode_range": single.exponent,
                    "exponent_asymptotic": exponent,
                    "prefactor_asymptotic": np.nan if prefactor is None else prefactor,
                })
    return pd.DataFrame(rows)


def aggregate(rows: pd.DataFrame, runs: pd.DataFrame, kernels: dict[str, Kernel],
              params: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The experiment's table (theory beside every run) and its fitted laws.

    Parameters
    ----------
    rows : DataFrame
        Measured rows of every shard, theory included (:func:`measure`).
    runs : DataFrame
        The plan.
    kernels : dict of str to Kernel
        The kernels (unused: the theory is added per shard by :func:`measure`).
    params : dict
        The plan's keys and ``fit_ranges``.

    Returns
    -------
    table, fits : DataFrame
        The table and its fitted laws.
    """
    table = in_plan_order(rows, runs)
    return table, fit_laws(resonance_laws(table), params)


#: tables derived from this experiment's table (``results/<paper>/tables/resonance_<name>``)
DERIVED = {"laws": resonance_laws}
