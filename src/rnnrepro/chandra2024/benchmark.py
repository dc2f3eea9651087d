"""Throughput of the simulator against an FFT-only floor, and what a resonance study costs.

``python -m rnnrepro benchmark`` prints, for a ring of ``N`` sites and several batch
sizes, site-updates per second of

- ``fft pair``: ``ifft(lambda * fft(Z))`` alone (scipy.fft), the floor no step can beat;
- ``step``: one full step ``phi(U ⊛ Z + I)`` of :class:`rnnrepro.chandra2024.model.Stepper`;
- ``lock-in``: one step of :func:`rnnrepro.chandra2024.model.lock_in` (site drive, demodulation and
  the mode read-out included), the loop of the resonance experiment;

and the ratio of each step's time to the FFT pair's (1.0 would be the floor), once per
backend of the step (``numba``, compiled; ``numpy``; they give identical results).

``python -m rnnrepro.chandra2024.benchmark cost`` measures what Fig. 5's spectrum sweep
costs per run (CPU seconds, iterations, the steady-state estimate, one Newton
validation) for rings of several sizes and extrapolates to whole sweeps of
``n_freq`` frequencies (``docs/benchmark.md``).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import scipy.fft as sfft

from rnnrepro.chandra2024.kernels import build, random_multipliers
from rnnrepro.chandra2024.model import BACKENDS, Stepper, default_backend, lock_in

__all__ = ["measure_throughput", "run_benchmark", "COST_AMPLITUDES_LOG10", "measure_cost",
           "run_cost_table"]


def _best_time(func: Callable[[], object], repeats: int) -> float:
    """Best of 5 timings of ``repeats`` calls, seconds per call."""
    best = np.inf
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeats):
            func()
        best = min(best, (time.perf_counter() - start) / repeats)
    return best


def measure_throughput(n_sites: int, batch: int, dtype: str, steps: int = 64,
                       backend: str | None = None) -> dict:
    """Seconds per step and site-updates per second of the FFT pair, step and lock-in.

    Parameters
    ----------
    n_sites : int
        Ring length ``N``.
    batch : int
        Runs stepped together.
    dtype : str
        ``complex64`` or ``complex128``.
    steps : int
        Steps of one timed lock-in call.
    backend : str, optional
        The step's backend (:data:`rnnrepro.chandra2024.model.BACKENDS`); default the
        model's default.

    Returns
    -------
    dict
        ``N``, ``batch``, ``dtype``, ``backend``; site-updates per second ``fft_pair``,
        ``step``, ``lock_in``; and ``step_ratio``, ``lock_in_ratio`` (time per step over
        the FFT pair's).
    """
    rng = np.random.default_rng(0)
    lam = random_multipliers((n_sites,), seed=1).astype(dtype)
    z = (0.1 * (rng.standard_normal((batch, n_sites))
                + 1j * rng.standard_normal((batch, n_sites)))).astype(dtype)
    stepper = Stepper(lam, dtype, backend=backend)
    drive = np.full((batch, 1), 0.01, dtype=dtype)
    repeats = max(4, 2 ** 16 // (batch * n_sites) * 16)

    def fft_pair():
        zk = sfft.fft(z, axis=-1)
        zk *= lam
        sfft.ifft(zk, axis=-1, overwrite_x=True)

    omega = np.linspace(0.1, 6.0, batch)
    amplitude = np.full(batch, 0.01)
    modes = np.zeros(batch, dtype=np.int64)

    def lock_in_window():
        lock_in(stepper, amplitude, omega, modes, "site", block=steps, tol=1e-30,
                max_iter=steps)

    lock_in_window()   # compiles the kernels (numba), outside the timing
    t_fft = _best_time(fft_pair, repeats)
    t_step = _best_time(lambda: stepper(z, drive), repeats)
    t_lock = _best_time(lock_in_window, max(1, repeats // steps)) / steps
    sites = batch * n_sites
    return {"N": n_sites, "batch": batch, "dtype": dtype, "backend": stepper.backend,
            "fft_pair": sites / t_fft, "step": sites / t_step, "lock_in": sites / t_lock,
            "step_ratio": t_step / t_fft, "lock_in_ratio": t_lock / t_fft}


def run_benchmark(n_sites: int = 1024, batches: Sequence[int] = (1, 16, 64, 256),
                  dtypes: Sequence[str] = ("complex64", "complex128"),
                  backends: Sequence[str] | None = None) -> list[dict]:
    """Print and return one row per (backend, dtype, batch).

    Parameters
    ----------
    n_sites : int
        Ring length ``N``.
    batches : sequence of int
        Batch sizes.
    dtypes : sequence of str
        Complex dtypes.
    backends : sequence of str, optional
        Backends of the step; default every one available (the default first).

    Returns
    -------
    list of dict
        :func:`measure_throughput` per row.
    """
    if backends is None:
        backends = [default_backend()] + [b for b in BACKENDS if b != default_backend()
                                          and default_backend() == "numba"]
    header = (f"{'N':>5} {'batch':>5} {'dtype':>10} {'backend':>7} {'fft pair':>10} "
              f"{'step':>10} {'ratio':>6} {'lock-in':>10} {'ratio':>6}   (site-updates/s; "
              "ratio: time / FFT pair)")
    print(header)
    rows = []
    for backend in backends:
        for dtype in dtypes:
            for batch in batches:
                r = measure_throughput(n_sites, batch, dtype, backend=backend)
                rows.append(r)
                print(f"{r['N']:>5} {r['batch']:>5} {r['dtype']:>10} {r['backend']:>7} "
                      f"{r['fft_pair']:>10.3g} {r['step']:>10.3g} {r['step_ratio']:>6.2f} "
                      f"{r['lock_in']:>10.3g} {r['lock_in_ratio']:>6.2f}", flush=True)
    return rows


#: the paper's five intensities ``A = 10^-(1:5)/2``
COST_AMPLITUDES_LOG10 = (-0.5, -1.0, -1.5, -2.0, -2.5)


def measure_cost(n_sites: int, n_freq: int, *, sample: int = 64, start: str = "estimate",
                 amplitudes_log10: Sequence[float] = COST_AMPLITUDES_LOG10,
                 seed: int = 240513854, validate: bool = True) -> pd.DataFrame:
    """CPU time and iterations per run of a Fig. 5 spectrum sweep, by intensity.

    A completely random kernel of ``n_sites`` (seeded), the paper's numerics (single-site
    drive, complex64, ``tol = 1e-3``, ``block = 1024``, the default switch-on rule) and
    ``n_freq`` frequencies ``2 pi j / n_freq``, of which every ``n_freq // sample``-th
    is simulated (all intensities batched together, as in a shard); a run's cost does
    not depend on the others, so the sample's mean is the sweep's.  One run per size is
    also validated by the Newton solve (dense ``2N x 2N``), whose cost grows as ``N^3``.

    Parameters
    ----------
    n_sites : int
        Ring length ``N``.
    n_freq : int
        Frequencies of the sweep.
    sample : int
        Frequencies simulated per intensity.
    start : str
        ``estimate`` or ``rest`` (the sweep's ``start``).
    amplitudes_log10 : sequence of float
        The intensities.
    seed : int
        The kernel's seed.
    validate : bool
        Time one Newton validation too.

    Returns
    -------
    DataFrame
        One row per intensity: ``N``, ``n_freq``, ``start``, ``amplitude``, ``runs``
        (simulated), ``iterations`` (mean per run), ``cpu_per_run`` (seconds,
        simulation and start), ``newton_seconds`` (one validation, NaN if not timed).
    """
    from rnnrepro.chandra2024.experiments import resonance

    kernel = build(f"random{n_sites}", {"type": "random", "shape": [n_sites], "seed": seed})
    sweep = {"kind": "spectrum", "kernel": kernel.name, "pattern": "site",
             "dtype": "complex64", "tol": 1.0e-3, "block": 1024,
             "switch_on": {"drift": 40, "relaxations": 8, "min": 1024, "max": 65536},
             "max_iter": 262144, "amplitudes_log10": list(amplitudes_log10),
             "n_freq": n_freq, "start": start}
    runs = resonance.plan({"sweeps": {"spectrum": sweep}}, {kernel.name: kernel})
    every = max(1, n_freq // sample)
    chosen = runs[runs.groupby("amplitude").cumcount().to_numpy() % every == 0]
    chosen = chosen.reset_index(drop=True)
    began = time.process_time()
    raw = resonance.simulate(chosen, {kernel.name: kernel}, {"sweeps": {"spectrum": sweep}})
    cpu = time.process_time() - began
    iterations = pd.Series(raw["iterations"]).groupby(chosen["amplitude"].to_numpy())
    # a run's CPU time is shared out in proportion to its iterations (the steps dominate)
    per_iteration = cpu / raw["iterations"].sum()
    newton = np.nan
    if validate:
        run = chosen.iloc[0]
        began = time.process_time()
        solver = resonance.SteadyStateSolver(kernel)
        solver.solve(run["amplitude"], run["omega"],
                     resonance.pattern_vector("site", int(run["mode"]), n_sites),
                     raw["state_values"][:n_sites] * np.exp(-1j * run["omega"]
                                                            * raw["iterations"][0]))
        newton = time.process_time() - began
    return pd.DataFrame({
        "N": n_sites, "n_freq": n_freq, "start": start,
        "amplitude": iterations.mean().index, "runs": iterations.size().to_numpy(),
        "iterations": iterations.mean().to_numpy(),
        "cpu_per_run": iterations.mean().to_numpy() * per_iteration,
        "newton_seconds": newton})


def run_cost_table(sizes: Sequence[int] = (256, 1024, 4096),
                   n_freqs: Sequence[int] = (256, 1024), sample: int = 64,
                   start: str = "estimate") -> pd.DataFrame:
    """Print and return the cost of Fig. 5's spectrum sweep for each ring size.

    Parameters
    ----------
    sizes : sequence of int
        Ring lengths ``N``.
    n_freqs : sequence of int
        Frequency counts whose sweep totals are extrapolated (``runs = 5 n_freq``).
    sample : int
        Frequencies simulated per intensity and size.
    start : str
        ``estimate`` or ``rest``.

    Returns
    -------
    DataFrame
        :func:`measure_cost` rows of every size.
    """
    tables = [measure_cost(n, max(n_freqs), sample=sample, start=start) for n in sizes]
    table = pd.concat(tables, ignore_index=True)
    print(f"{'N':>5} {'A':>8} {'iterations':>10} {'CPU s/run':>9}")
    for row in table.itertuples():
        print(f"{row.N:>5} {row.amplitude:>8.3g} {row.iterations:>10.0f} "
              f"{row.cpu_per_run:>9.3f}")
    print(f"\n{'N':>5} {'CPU s/run':>9} {'Newton s':>8} "
          + " ".join(f"{'sweep ' + str(f) + ' CPU-min':>18}" for f in n_freqs))
    for n, part in table.groupby("N"):
        mean = part["cpu_per_run"].mean()
        totals = " ".join(f"{mean * len(part) * f / 60:>18.1f}" for f in n_freqs)
        print(f"{n:>5} {mean:>9.3f} {part['newton_seconds'].iat[0]:>8.2f} {totals}")
    return table


def _main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m rnnrepro.chandra2024.benchmark",
                                     description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cost = sub.add_parser("cost", help="cost of Fig. 5's spectrum sweep against N")
    cost.add_argument("--sizes", type=int, nargs="+", default=[256, 1024, 4096])
    cost.add_argument("--n-freqs", type=int, nargs="+", default=[256, 1024])
    cost.add_argument("--sample", type=int, default=64)
    cost.add_argument("--start", choices=["estimate", "rest"], default="estimate")
    args = parser.parse_args(argv)
    run_cost_table(args.sizes, args.n_freqs, args.sample, args.start)


if __name__ == "__main__":
    _main()
