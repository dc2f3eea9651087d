"""Fits of the first paper's simulated data: decay times, lock-in weights, lengths.

Nothing here knows the theory: every number is fitted from simulation output.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from rnnrepro.fits import fit_line

__all__ = ["DecayFit", "fit_decay_time", "hann_weights", "LengthFit", "fit_window",
           "prony_decay", "fit_damped_cosine", "fit_k0_profile"]

@dataclass
class DecayFit:
    """Exponential decay ``|o_n| ∝ exp(-n / tau)`` fitted on a window of steps."""

    tau: float               # decay time, iterations
    tau_stderr: float
    rate: float              # contraction per step, exp(-1 / tau)
    window_start: int        # first step used
    window_end: int          # last step used
    n_points: int
    log_residual_rms: float  # rms misfit of ln|o_n|: ~0 for a clean exponential

    def as_dict(self, prefix: str) -> dict[str, float]:
        """Columns ``prefix`` (the decay time), ``prefix_stderr``, ``prefix_rate``, ...

        Parameters
        ----------
        prefix : str
            Column prefix, e.g. ``tau`` or ``tau_<kick>``.

        Returns
        -------
        dict of str to float
            ``tau`` under ``prefix``, every other field ``f`` under ``prefix_f``
            (``tau_stderr`` becomes ``prefix_stderr``).
        """
        return {prefix if k == "tau" else f"{prefix}_{k.removeprefix('tau_')}": v
                for k, v in asdict(self).items()}


def fit_decay_time(steps: np.ndarray, values: np.ndarray, *, skip: int = 0,
                   floor: float = 0.0) -> DecayFit:
    """Fit ``ln|o_n| = c - n / tau`` by least squares.

    ``skip`` drops the first points (a transient); points with ``|o_n| <= floor``
    (round-off noise) are excluded.  ``tau`` is in the units of ``steps``.

    Parameters
    ----------
    steps : array_like
        Times ``n`` of the samples, shape ``(n_samples,)`` (iterations).
    values : array_like
        The decaying quantity ``o_n`` at those times, shape ``(n_samples,)``; only its
        magnitude is used, so its sign may be either.
    skip : int, optional
        Number of leading samples to drop.
    floor : float, optional
        Samples with ``|o_n| <= floor`` are excluded.

    Returns
    -------
    DecayFit
        ``tau = -1 / slope`` with its standard error (propagated from the slope's),
        the rate ``exp(slope)`` per step, the first and last step used, the number of
        points and the RMS residual of ``ln|o_n|``.

    Raises
    ------
    ValueError
        If fewer than 3 samples remain, or the fitted slope is not negative.
    """
    steps = np.asarray(steps, dtype=float)
    magnitude = np.abs(np.asarray(values, dtype=float))
    use = np.zeros(len(steps), dtype=bool)
    use[skip:] = True
    use &= magnitude > floor
    if use.sum() < 3:
        raise ValueError(f"decay fit needs at least 3 points above the floor, got {use.sum()}")
    line = fit_line(steps[use], np.log(magnitude[use]))
    if line.slope >= 0:
        raise ValueError(f"trace does not decay (slope {line.slope:.3e} per step)")
    tau = -1.0 / line.slope
    return DecayFit(tau=tau, tau_stderr=line.slope_stderr / line.slope ** 2,
                    rate=float(np.exp(line.slope)),
                    window_start=int(steps[use][0]), window_end=int(steps[use][-1]),
                    n_points=line.n_points, log_residual_rms=line.residual_rms)


def hann_weights(length: int) -> np.ndarray:
    """Hann window ``w_n = sin^2(pi (n + 1/2) / L)``, ``n = 0 .. L-1``, for lock-in sums.

    Its sidelobes fall as ``(L d)^-3`` at detuning ``d``, so a free oscillation at
    another frequency leaks little into the lock-in amplitude.

    Parameters
    ----------
    length : int
        Window length ``L`` (iterations).

    Returns
    -------
    numpy.ndarray
        Weights ``w_n`` in ``(0, 1]``, shape ``(L,)``; for ``L >= 2`` they sum to
        ``L / 2``.
    """
    return np.sin(np.pi * (np.arange(length) + 0.5) / length) ** 2


@dataclass
class LengthFit:
    """Spatial decay ``~ exp(-x / xi)`` of a response, with its oscillation wavenumber."""

    xi: float                # propagation length, sites
    xi_stderr: float
    wavenumber: float        # radians per site
    wavenumber_stderr: float
    window_start: int        # first distance used (sites)
    window_end: int          # last distance used
    n_points: int
    rel_residual_rms: float  # rms misfit relative to the fitted envelope

    def as_dict(self) -> dict[str, float]:
        """The fit as table columns.

        Returns
        -------
        dict of str to float
            Every field under its own name (``xi``, ``xi_stderr``, ``wavenumber``, ...).
        """
        return asdict(self)


def fit_window(profile: np.ndarray, start: int, drop: float, end: int) -> tuple[int, int]:
    """``[start, stop]``: from ``start`` to where the response has fallen by ``drop``.

    The envelope is the running maximum of ``|profile|`` from the far end, so zeros of
    the oscillation do not end the window early; ``stop <= end``.

    Parameters
    ----------
    profile : array_like
        Response at distance ``x = 0, 1, ...`` sites from the source (real or
        complex), shape ``(n,)``.
    start : int
        First distance of the window (sites).
    drop : float
        Relative fall of the envelope that ends the window, e.g. ``1e-3``: ``stop`` is
        the last distance whose envelope is at least ``drop`` times that at ``start``.
    end : int
        Last distance the window may reach (sites).

    Returns
    -------
    tuple of (int, int)
        ``(start, stop)``, both inclusive.

    Raises
    ------
    ValueError
        If the window spans fewer than 8 sites.
    """
    magnitude = np.abs(np.asarray(profile)[: end + 1])
    envelope = np.maximum.accumulate(magnitude[::-1])[::-1]
    below = np.flatnonzero(envelope[start:] < drop * envelope[start])
    stop = start + int(below[0]) - 1 if below.size else end
    if stop - start < 8:
        raise ValueError(f"fit window [{start}, {stop}] is too short")
    return start, stop


def prony_decay(x: np.ndarray, profile: np.ndarray) -> tuple[float, float]:
    """``(xi, q)`` of a damped oscillation by linear prediction (Prony's method).

    Each real component obeys ``f(x+1) = p1 f(x) + p2 f(x-1)`` exactly when it is
    ``e^{-x/xi} (a cos qx + b sin qx)``; ``p1, p2`` by least squares (equations scaled
    by the local size of the response), then ``rho e^{+-iq}`` are the roots of
    ``z^2 = p1 z + p2`` and ``xi = -1 / ln rho``.  The starting point of the fits.

    Parameters
    ----------
    x : numpy.ndarray
        Distances of the samples, shape ``(n,)`` (sites); not used in the
        computation, which assumes consecutive samples one site apart.
    profile : numpy.ndarray
        Complex response at those distances, shape ``(n,)``, ``n >= 3``; its real and
        imaginary parts are fitted together.

    Returns
    -------
    tuple of (float, float)
        ``xi`` (sites) and ``q`` (radians per site, in ``[0, pi]``).

    Raises
    ------
    ValueError
        If the largest root's modulus ``rho`` is not in ``(0, 1)`` (no decay).
    """
    parts = [np.real(profile), np.imag(profile)]
    scale = np.sqrt(np.abs(profile[:-2]) ** 2 + np.abs(profile[1:-1]) ** 2
                    + np.abs(profile[2:]) ** 2)
    a = np.concatenate([np.stack([p[1:-1], p[:-2]], 1) / scale[:, None] for p in parts])
    b = np.concatenate([p[2:] / scale for p in parts])
    (p1, p2), *_ = np.linalg.lstsq(a, b, rcond=None)
    roots = np.roots([1.0, -p1, -p2])
    rho = float(np.abs(roots).max())
    q = float(np.abs(np.angle(roots)).max())
    if not 0.0 < rho < 1.0:
        raise ValueError(f"the profile does not decay (rho = {rho:.4g})")
    return -1.0 / np.log(rho), q


def _least_squares_errors(result) -> np.ndarray:
    """Standard errors of a :func:`scipy.optimize.least_squares` solution."""
    jac = result.jac
    dof = max(len(result.fun) - len(result.x), 1)
    s2 = float(result.fun @ result.fun) / dof
    try:
        cov = np.linalg.inv(jac.T @ jac) * s2
    except np.linalg.LinAlgError:
        return np.full(len(result.x), np.nan)
    return np.sqrt(np.abs(np.diag(cov)))


@dataclass
class _ProfileWindow:
    """The part of a response profile a fit uses, with Prony's starting values."""

    x: np.ndarray            # distances from the source, sites
    data: np.ndarray         # complex response at x
    xi0: float               # Prony's length and wavenumber
    q0: float
    weights: np.ndarray      # inverse of the starting envelope: relative residuals

    @classmethod
    def of(cls, profile: np.ndarray, start: int, drop: float, period: int | None):
        profile = np.asarray(profile, dtype=complex)
        end = (period // 2 - 1) if period else len(profile) - 1
        lo, hi = fit_window(profile, start, drop, end)
        x = np.arange(lo, hi + 1, dtype=float)
        data = profile[lo:hi + 1]
        xi0, q0 = prony_decay(x, data)
        first_period = data[: max(2, int(np.pi / max(q0, 1e-9)))]
        weights = np.exp((x - lo) / xi0) / np.abs(first_period).max()
        return cls(x, data, xi0, q0, weights)

    def fit(self, model, p0: np.ndarray, xi_of=lambda p: p[0], xi_error_of=None
            ) -> LengthFit:
        """Weighted least squares of ``model(p, x)`` to the data, from ``p0``.

        ``p[1]`` is the wavenumber; ``xi_of(p)`` the length (and ``xi_error_of(p, se)``
        its standard error, default ``se[0]``)."""
        from scipy.optimize import least_squares

        def residual(p):
            r = (model(p, self.x) - self.data) * self.weights
            return np.concatenate([r.real, r.imag])

        result = least_squares(residual, p0, x_scale="jac", xtol=1e-15, ftol=1e-15,
                               gtol=1e-15)
        errors = _least_squares_errors(result)
        xi_error = xi_error_of(result.x, errors) if xi_error_of else errors[0]
        return LengthFit(xi=float(xi_of(result.x)), xi_stderr=float(xi_error),
                         wavenumber=float(abs(result.x[1])),
                         wavenumber_stderr=float(errors[1]),
                         window_start=int(self.x[0]), window_end=int(self.x[-1]),
                         n_points=len(self.x),
                         rel_residual_rms=float(np.sqrt(np.mean(result.fun ** 2) * 2)))


def fit_damped_cosine(profile: np.ndarray, *, start: int, drop: float,
                      period: int | None = None) -> LengthFit:
    """Fit ``f(x) = e^{-x/xi} (A cos qx + B sin qx)`` (``A, B`` complex) to a 1D response.

    ``profile[x]`` is the response at distance ``x`` from a point source (complex:
    radial and phase parts share ``xi`` and ``q``).  On a ring of ``period`` sites the
    image ``f(period - x)`` is part of the model.  Weighted least squares with weights
    ``e^{x / xi_0}`` (``xi_0`` from :func:`prony_decay`), i.e. relative residuals.

    Parameters
    ----------
    profile : array_like
        Complex response at distance ``x = 0, 1, ...`` sites, shape ``(n,)``.
    start : int
        First distance fitted (sites), past the near-source transient.
    drop : float
        The window ends where the envelope has fallen by this factor
        (:func:`fit_window`).
    period : int, optional
        Ring size ``N`` (sites): adds the image term and limits the window to
        ``x <= N // 2 - 1``; None for no image (window up to the profile's end).

    Returns
    -------
    LengthFit
        ``xi`` (sites), ``q`` (radians per site), their standard errors, the window
        and the RMS relative residual.

    Raises
    ------
    ValueError
        If the window is too short or the profile does not decay.
    """
    window = _ProfileWindow.of(profile, start, drop, period)

    def basis(xi, q, xs):
        return np.exp(-xs / xi) * np.stack([np.cos(q * xs), np.sin(q * xs)])

    def model(p, xs):
        b = basis(p[0], p[1], xs)
        if period:
            b = b + basis(p[0], p[1], period - xs)
        coef = p[2:].reshape(2, 2)          # rows: cos, sin; columns: real, imag part
        return (coef[:, 0] @ b) + 1j * (coef[:, 1] @ b)

    # the amplitudes are linear: start them at their least-squares values
    coef0, *_ = np.linalg.lstsq(basis(window.xi0, window.q0, window.x).T,
                                np.stack([window.data.real, window.data.imag], 1), rcond=None)
    return window.fit(model, np.concatenate([[window.xi0, window.q0], coef0.ravel()]))


def fit_k0_profile(profile: np.ndarray, *, start: int, drop: float,
                   period: int | None = None) -> LengthFit:
    """Fit ``Re[a K0(m x)]`` per component (complex ``a``, shared complex ``m``) in 2D.

    The far response of a point source on a 2D lattice, along an axis, is the
    continuum Green's function ``K0(m r)``: ``xi = 1 / Re m``, wavenumber ``|Im m|``.
    On an ``E x E`` torus (``period = E``) the image at ``E - x`` is included.

    Parameters
    ----------
    profile : array_like
        Complex response along a lattice axis at distance ``x = 0, 1, ...`` sites from
        the source, shape ``(n,)``; the real and imaginary parts each get their own
        amplitude ``a``.
    start : int
        First distance fitted (sites).
    drop : float
        The window ends where the envelope has fallen by this factor
        (:func:`fit_window`).
    period : int, optional
        Torus side ``E`` (sites): adds the image term and limits the window to
        ``x <= E // 2 - 1``; None for no image.

    Returns
    -------
    LengthFit
        ``xi = 1 / Re m`` (sites), wavenumber ``|Im m|`` (radians per site), their
        standard errors, the window and the RMS relative residual.

    Raises
    ------
    ValueError
        If the window is too short or the profile does not decay.
    """
    from scipy.special import kve

    window = _ProfileWindow.of(profile, start, drop, period)
    lo = window.x[0]

    def green(m, xs):
        # K0(z) = kve(0, z) e^{-z}; scaled by e^{m lo} to keep the numbers O(1)
        return kve(0, m * xs) * np.exp(-m * (xs - lo))

    def basis(p, xs):
        m = p[0] + 1j * p[1]
        g = green(m, xs)
        if period:
            g = g + green(m, period - xs)
        return g

    def model(p, xs):
        g = basis(p, xs)
        a_u, a_v = p[2] + 1j * p[3], p[4] + 1j * p[5]
        return (a_u * g).real + 1j * (a_v * g).real

    g0 = basis((1.0 / window.xi0, window.q0), window.x)
    # Re[a g] = a_re g_re - a_im g_im: linear in (a_re, a_im)
    design = np.stack([g0.real, -g0.imag], 1) * window.weights[:, None]
    a0, *_ = np.linalg.lstsq(design, np.stack([window.data.real, window.data.imag], 1)
                             * window.weights[:, None], rcond=None)
    p0 = np.array([1.0 / window.xi0, window.q0, a0[0, 0], a0[1, 0], a0[0, 1], a0[1, 1]])
    return window.fit(model, p0, xi_of=lambda p: 1.0 / p[0],
                      xi_error_of=lambda p, se: se[0] / p[0] ** 2)
