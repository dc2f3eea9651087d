"""Compiled (numba) elementwise kernels of the step, bit for bit equal to the numpy path.

One step of the map is ``Z <- phi(U ⊛ Z + I)`` with ``phi(z) = z / sqrt(1 + |z|^2)``;
the FFT pair is scipy's, and everything after the inverse FFT (adding the drive at
site 0, then ``phi``) is one pass over the batch here instead of about ten numpy passes
(``python -m rnnrepro benchmark``: ``phi`` costs 0.06 FFT pairs instead of 0.4 at
``N = 1024``, batch 64, complex64).

The kernels do the same IEEE operations in the same order as
:func:`rnnrepro.chandra2024.model.phi` (``t = re*re``, ``t += im*im``, ``t += 1``,
``sqrt``, ``1/sqrt``, scale both parts), with no fast-math flags (so no fused
multiply-add and no approximate reciprocal square root): the results are identical to
the numpy path, and a table does not depend on whether numba is installed (tested).
``error_model="numpy"`` lets a division by zero give ``inf`` instead of raising, which
is what allows LLVM to vectorise the loops.  Each row is processed on its own, so a
row's result does not depend on its batch.

Without numba (an optional dependency) the module still imports, :data:`AVAILABLE` is
False, and :mod:`rnnrepro.chandra2024.model` uses its numpy path (as it does with
``RNNREPRO_BACKEND=numpy``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

try:
    import numba
except ImportError:   # the numpy path of the model is used instead
    numba = None

__all__ = ["AVAILABLE", "phi_rows", "drive_site_phi", "add_phi"]

#: whether numba is installed (the kernels are compiled)
AVAILABLE = numba is not None


def _jit(function: Callable) -> Callable:
    # compiled once per dtype and cached on disk (__pycache__), so a job does not
    # recompile; without numba the plain function stays (correct, slow, unused)
    if numba is None:
        return function
    try:
        return numba.njit(nogil=True, cache=True, error_model="numpy")(function)
    except RuntimeError:   # no writable cache location: compile in every process
        return numba.njit(nogil=True, error_model="numpy")(function)


@_jit
def _phi_row(row, scratch, one):  # pragma: no cover - compiled
    """``row <- phi(row)`` in place; ``scratch`` holds ``1 + |z|^2`` (length >= row)."""
    n = row.size
    overflow = 0
    for j in range(n):
        v = row[j]
        t = v.real * v.real
        t = t + v.imag * v.imag
        t = t + one
        scratch[j] = t
        overflow |= not (t < np.inf)
    if overflow == 0:
        for j in range(n):
            s = one / np.sqrt(scratch[j])
            v = row[j]
            row[j] = complex(v.real * s, v.imag * s)
        return
    # |z|^2 overflowed (or z holds NaN) somewhere in the row: those elements take the
    # overflow-free form, as numpy's phi does element by element
    for j in range(n):
        v = row[j]
        t = scratch[j]
        t = np.sqrt(t) if t < np.inf else np.hypot(np.hypot(v.real, v.imag), one)
        s = one / t
        row[j] = complex(v.real * s, v.imag * s)


@_jit
def phi_rows(y, scratch, one):  # pragma: no cover - compiled
    """``y <- phi(y)`` in place, row by row.

    Parameters
    ----------
    y : ndarray
        C-contiguous ``(batch, n)`` complex array.
    scratch : ndarray
        Real work array of length ``n``, of ``y``'s precision.
    one : float
        ``1`` in ``y``'s real precision (``np.float32(1)`` for complex64).

    Returns
    -------
    None
    """
    for r in range(y.shape[0]):
        _phi_row(y[r], scratch, one)


@_jit
def drive_site_phi(y, forcing, scratch, one):  # pragma: no cover - compiled
    """``y[r, 0] += forcing[r]``, then ``y <- phi(y)``, row by row, in place.

    Parameters
    ----------
    y : ndarray
        C-contiguous ``(batch, n)`` complex array: ``U ⊛ Z`` of each run.
    forcing : ndarray
        ``(batch,)`` drive at site 0, of ``y``'s dtype.
    scratch : ndarray
        Real work array of length ``n``, of ``y``'s precision.
    one : float
        ``1`` in ``y``'s real precision.

    Returns
    -------
    None
    """
    for r in range(y.shape[0]):
        y[r, 0] += forcing[r]
        _phi_row(y[r], scratch, one)


@_jit
def add_phi(y, inputs, scratch, one):  # pragma: no cover - compiled
    """``y <- phi(y + inputs)`` in place, row by row; ``inputs`` broadcast over ``y``.

    Parameters
    ----------
    y : ndarray
        C-contiguous ``(batch, n)`` complex array.
    inputs : ndarray
        ``(batch or 1, n or 1)`` array of ``y``'s dtype (one input per run and site, per
        run, per site, or one for all).
    scratch : ndarray
        Real work array of length ``n``, of ``y``'s precision.
    one : float
        ``1`` in ``y``'s real precision.

    Returns
    -------
    None
    """
    per_run = inputs.shape[0] > 1
    per_site = inputs.shape[1] > 1
    for r in range(y.shape[0]):
        row = y[r]
        source = inputs[r if per_run else 0]
        if per_site:
            for j in range(row.size):
                row[j] += source[j]
        else:
            value = source[0]
            for j in range(row.size):
                row[j] += value
        _phi_row(row, scratch, one)
