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
network case) or ``plane`` (the plane wave of the observed mode: the exact case).  Each
run starts from rest, switches the drive on smoothly over ``T`` iterations (a sudden
switch-on rings every mode at its own eigenfrequency, and those free oscillations are
barely damped near criticality; :func:`switch_on_length` sizes ``T`` per run), and stops
when its lock-in amplitude has converged (:func:`rnnrepro.chandra2024.model.lock_in`).
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
           "switch_on_length", "plan", "SteadyStateSolver", "pattern_vector", "simulate",
           "validation_flags", "measure", "add_theory", "half_width", "law_points",
           "resonance_laws", "fit_or_nan", "fit_laws", "aggregate"]

NAME = "resonance"
RUN_KEYS = ("pattern", "dtype", "tol", "block", "max_iter")   # runs sharing these batch
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
    """``omega - theta`` wrapped to ``[-pi, pi)``."""
    return np.mod(np.asarray(omega) - np.asarray(theta) + np.pi, 2 * np.pi) - np.pi


def nearest_mode(omega: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Index of the eigenphase nearest each frequency (circular distance)."""
    distance = np.abs(circular_offset(np.asarray(omega)[:, None], theta[None, :]))
    return distance.argmin(axis=1)


def sweep_frequencies(sweep: dict[str, Any], theta: np.ndarray
                      ) -> list[tuple[float, int, float]]:
    """``(omega, observed mode, detuning)`` of every frequency of a sweep."""
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
        for log_a in sweep["amplitudes_log10"]:
            amplitude = float(10.0 ** log_a)
            for omega, mode, detuning in sweep_frequencies(sweep, theta):
                row = {"sweep": sweep_name, "kind": sweep["kind"], "kernel": sweep["kernel"],
                       "N": int(theta.size), "pattern": sweep["pattern"],
                       "amplitude": amplitude, "omega": omega, "mode": mode,
                       "nearest_theta": float(theta[mode]), "detuning": detuning,
                       **{k: sweep[k] for k in RUN_KEYS if k != "pattern"}}
                # the switch-on rule's parameters define the run; its length is derived
                identity = {**row, "experiment": NAME, "switch_on": sweep["switch_on"],
                            "kernel_spec": kernel.params}
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
    which left the "validated" amplitudes wrong by up to 9 %.
    """

    def __init__(self, kernel: Kernel):
        lam = kernel.multipliers.astype(complex).ravel()
        self.n_sites = lam.size
        u = np.fft.ifft(lam[:, None] * np.fft.fft(np.eye(self.n_sites), axis=0), axis=0)
        self.u = u
        self.u_real = np.block([[u.real, -u.imag], [u.imag, u.real]])

    def solve(self, amplitude: float, omega: float, pattern: np.ndarray,
              guess: np.ndarray, *, f_tol: float = 1e-13, max_steps: int = 40
              ) -> tuple[np.ndarray, float]:
        """Return ``W`` and the max-norm of the residual ``e^{-i omega} phi(.) - W``."""
        n, u_real = self.n_sites, self.u_real
        rotation = np.exp(-1j * omega)
        w = guess.astype(complex)
        residual = np.inf
        for _ in range(max_steps):
            y = self.u @ w + amplitude * pattern
            f = rotation * phi(y) - w
            residual = float(np.abs(f).max())
            if residual < f_tol:
                break
            q = 1.0 + np.abs(y) ** 2
            # derivatives of phi(y) = y q^(-1/2) along Re y and Im y, rotated
            d_re = rotation * (q ** -0.5 - y * y.real * q ** -1.5)
            d_im = rotation * (1j * q ** -0.5 - y * y.imag * q ** -1.5)
            # rows: d(Re f), d(Im f); columns: d(Re w), d(Im w)
            jacobian = (np.concatenate([d_re.real, d_re.imag])[:, None]
                        * np.concatenate([u_real[:n], u_real[:n]]))
            jacobian += (np.concatenate([d_im.real, d_im.imag])[:, None]
                         * np.concatenate([u_real[n:], u_real[n:]]))
            jacobian -= np.eye(2 * n)
            step = np.linalg.solve(jacobian, -np.concatenate([f.real, f.imag]))
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


LABEL_KEYS = ("sweep", "kernel", "pattern", "amplitude", "omega")


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
        Lock-in amplitudes, convergence records and every run's final state (packed).
    """
    batches = runs.groupby(["kernel", *RUN_KEYS], sort=True).indices
    size = len(runs)
    out = {key: np.full(size, np.nan, dtype=complex) for key in ("site", "mode")}
    out.update(iterations=np.zeros(size, np.int64), converged=np.zeros(size, bool),
               rel_change=np.full(size, np.nan), rel_error=np.full(size, np.nan))
    states: list[np.ndarray] = [np.zeros(0, complex)] * size
    for (kernel_name, pattern, dtype, tol, block, max_iter), index in batches.items():
        part = runs.iloc[index]
        stepper = Stepper(kernels[kernel_name].multipliers, dtype)
        result = lock_in(stepper, part["amplitude"].to_numpy(), part["omega"].to_numpy(),
                         part["mode"].to_numpy(), pattern, block=int(block), tol=float(tol),
                         max_iter=int(max_iter),
                         switch_on_length=part["switch_on_length"].to_numpy(),
                         labels=describe_runs(NAME, part, LABEL_KEYS))
        out["site"][index], out["mode"][index] = result.site, result.mode
        out["iterations"][index] = result.iterations
        out["converged"][index] = result.converged
        out["rel_change"][index] = result.rel_change
        out["rel_error"][index] = result.rel_error
        for j, i in enumerate(index):
            states[i] = result.state[j].astype(complex)
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
    """One row per run: lock-in responses (modulus and phase), convergence, validation.

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
        solver = solvers.setdefault(run.kernel, SteadyStateSolver(kernels[run.kernel]))
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
        validated_site=np.abs(newton["site"]), validated_mode=np.abs(newton["mode"]),
        validation_residual=residual,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        rows["validation_rel_dev"] = np.maximum(
            np.abs(raw["site"] - newton["site"]) / np.abs(newton["site"]),
            np.abs(raw["mode"] - newton["mode"]) / np.abs(newton["mode"]))
    return rows


def add_theory(table: pd.DataFrame, kernels: dict[str, Kernel]) -> pd.DataFrame:
    """Theory beside each run.

    ``response_mode_theory``: the exact single-mode solution for the observed mode, with
    drive ``A`` (plane) or ``A/N`` (site: the mode's share).  ``response_site_theory``:
    the same for plane drive; for site drive the sum of every mode's single-mode
    solution with ``A/N`` (independent modes: accurate only at weak drive).
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
    """Peak (``d = 0``), off-resonance (last, far detuning) and half-width of one
    resonance's ``d >= 0`` runs, from the column ``response``; NaN where a run they
    need did not converge."""
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
    """``(exponent, prefactor)`` of a power law, NaN if fewer than two finite points."""
    finite = np.isfinite(y.to_numpy(float))
    if finite.sum() < 2:
        return np.nan, np.nan
    fit = fit_power_law(x[finite], y[finite])
    return fit.exponent, fit.prefactor


def fit_laws(laws: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    """Power laws of peak, off-resonance response and half-width against ``A``."""
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
        Measured rows of every shard.
    runs : DataFrame
        The plan.
    kernels : dict of str to Kernel
        The kernels (their eigenphases for the independent-mode prediction).
    params : dict
        The plan's keys and ``fit_ranges``.

    Returns
    -------
    table, fits : DataFrame
        The table and its fitted laws.
    """
    table = add_theory(in_plan_order(rows, runs), kernels)
    return table, fit_laws(resonance_laws(table), params)


#: tables derived from this experiment's table (``results/<paper>/tables/resonance_<name>``)
DERIVED = {"laws": resonance_laws}
