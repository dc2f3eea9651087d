"""Throughput of the simulator against an FFT-only floor.

``python -m rnnrepro benchmark`` prints, for a ring of ``N`` sites and several batch
sizes, site-updates per second of

- ``fft pair``: ``ifft(lambda * fft(Z))`` alone, the floor no step can beat;
- ``step``: one full step ``phi(U ⊛ Z + I)`` of :class:`rnnrepro.chandra2024.model.Stepper`;
- ``lock-in``: one step of :func:`rnnrepro.chandra2024.model.lock_in` (site drive, demodulation and
  the mode read-out included), the loop of the resonance experiment;

and the ratio of each step's time to the FFT pair's (1.0 would be the floor).
"""

from __future__ import annotations

import time

import numpy as np
import scipy.fft as sfft

from rnnrepro.chandra2024.kernels import random_multipliers
from rnnrepro.chandra2024.model import Stepper, lock_in


def _best_time(func, repeats: int) -> float:
    """Best of 5 timings of ``repeats`` calls, seconds per call."""
    best = np.inf
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeats):
            func()
        best = min(best, (time.perf_counter() - start) / repeats)
    return best


def measure_throughput(n_sites: int, batch: int, dtype: str, steps: int = 64) -> dict:
    """Seconds per step and site-updates per second of the FFT pair, step and lock-in."""
    rng = np.random.default_rng(0)
    lam = random_multipliers((n_sites,), seed=1).astype(dtype)
    z = (0.1 * (rng.standard_normal((batch, n_sites))
                + 1j * rng.standard_normal((batch, n_sites)))).astype(dtype)
    stepper = Stepper(lam, dtype)
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

    t_fft = _best_time(fft_pair, repeats)
    t_step = _best_time(lambda: stepper(z, drive), repeats)
    t_lock = _best_time(lock_in_window, max(1, repeats // steps)) / steps
    sites = batch * n_sites
    return {"N": n_sites, "batch": batch, "dtype": dtype,
            "fft_pair": sites / t_fft, "step": sites / t_step, "lock_in": sites / t_lock,
            "step_ratio": t_step / t_fft, "lock_in_ratio": t_lock / t_fft}


def run_benchmark(n_sites: int = 1024, batches=(1, 16, 64, 256),
                  dtypes=("complex64", "complex128")) -> list[dict]:
    """Print and return one row per (dtype, batch)."""
    header = (f"{'N':>5} {'batch':>5} {'dtype':>10} {'fft pair':>10} {'step':>10} "
              f"{'ratio':>6} {'lock-in':>10} {'ratio':>6}   (site-updates/s; ratio: "
              "time / FFT pair)")
    print(header)
    rows = []
    for dtype in dtypes:
        for batch in batches:
            r = measure_throughput(n_sites, batch, dtype)
            rows.append(r)
            print(f"{r['N']:>5} {r['batch']:>5} {r['dtype']:>10} {r['fft_pair']:>10.3g} "
                  f"{r['step']:>10.3g} {r['step_ratio']:>6.2f} {r['lock_in']:>10.3g} "
                  f"{r['lock_in_ratio']:>6.2f}", flush=True)
    return rows
