"""Fig. 2: a first-neighbour convolution as an ``E^2 x E^2`` matrix, and its unitary map.

(a) The generator ``y_ij = a x_ij + b x_{i+1,j} + c x_{i-1,j} + d x_{i,j+1} + e x_{i,j-1}``
after the reshape ``k = i + E j``: the main diagonal (``a``), the bands at ``±1``
(``b``, ``c``) and ``±E`` (``d``, ``e``), and the wrap-around entries of the periodic
boundary (the corner blocks and the stray entries inside the ``±1`` bands).
(b) Eigenvalues of the exponentiated (unitary) kernel ``exp(G)``, computed from the
dense matrix, on the unit circle, and the Fourier multipliers the simulation uses.
(c) A basis-invariant property is a kernel property: the transpose of the matrix of an
asymmetric stencil is the matrix of the centrally reflected stencil
(``b <-> c``, ``d <-> e``); the panel shows the transpose and prints the largest
difference from the reflected stencil's matrix.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from scipy.linalg import expm

from rnnrepro import style
from rnnrepro.chandra2024.kernels import first_neighbour_multipliers, generator_matrix

__all__ = ["NAME", "TABLES", "CLAIM", "CAPTION", "plot"]

NAME = "fig2_kernel_matrix"
TABLES: tuple[str, ...] = ()
#: the one-line claim the figure supports (README)
CLAIM = (r"a first-neighbour kernel is a banded matrix with wrap-around blocks; its "
         r"exponential is unitary")
CAPTION = (r"(a) A first-neighbour convolution on an $E \times E$ torus as an "
           r"$E^2 \times E^2$ matrix after the reshape $k = i + E j$: diagonal bands and the "
           r"wrap-around blocks of the periodic boundary. (b) Eigenvalues of the "
           r"exponentiated, unitary kernel on the unit circle (dense matrix exponential and "
           r"the FFT multipliers). (c) The transpose of an asymmetric stencil's matrix is the "
           r"matrix of the centrally reflected stencil: a basis-invariant property is a "
           r"kernel property.")
E = 6
#: an anti-Hermitian stencil (a imaginary, c = -conj(b), e = -conj(d))
UNITARY_STENCIL = dict(a=0.4j, b=0.5 + 0.3j, c=-0.5 + 0.3j, d=0.2 + 0.6j, e=-0.2 + 0.6j)
#: an asymmetric (not anti-Hermitian) stencil for the symmetry remark
ASYMMETRIC_STENCIL = dict(a=1.0, b=2.0, c=3.0, d=4.0, e=5.0)
COEFFICIENT_COLORS = ["white", "black", "tab:blue", "tab:cyan", "tab:red", "tab:orange"]


def coefficient_map(matrix: np.ndarray, stencil: dict) -> np.ndarray:
    """Each entry's stencil coefficient as 1..5 (``a .. e``), 0 where the matrix is 0."""
    out = np.zeros(matrix.shape, dtype=int)
    for index, name in enumerate("abcde", start=1):
        out[np.isclose(matrix, stencil[name]) & (matrix != 0)] = index
    return out


def draw_matrix(ax: plt.Axes, codes: np.ndarray, title: str) -> None:
    ax.imshow(codes, cmap=ListedColormap(COEFFICIENT_COLORS), vmin=-0.5, vmax=5.5,
              interpolation="nearest")
    for k in range(0, E * E + 1, E):
        ax.axhline(k - 0.5, color="0.85", linewidth=0.4)
        ax.axvline(k - 0.5, color="0.85", linewidth=0.4)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=7.5)


def plot(tables: dict[str, pd.DataFrame], kernels: dict, options: dict) -> plt.Figure:
    """Draw the three panels for stencils on an ``E x E`` torus (``E = 6``).

    Parameters
    ----------
    tables : dict of str to DataFrame
        The tables of ``TABLES``: none, the matrices are built here from the
        module's ``UNITARY_STENCIL`` and ``ASYMMETRIC_STENCIL``.
    kernels : dict of str to Kernel
        Unused.
    options : dict
        Unused.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; the caller saves and closes it.
    """
    fig, axes = plt.subplots(1, 3, figsize=(style.PAGE_WIDTH, 2.6),
                             gridspec_kw={"width_ratios": [1, 1, 1], "wspace": 0.35})
    asym = generator_matrix((E, E), **ASYMMETRIC_STENCIL)
    draw_matrix(axes[0], coefficient_map(asym, ASYMMETRIC_STENCIL),
                f"(a) generator, $E = {E}$: $k = i + E j$")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c, label=f"${n}$")
               for n, c in zip("abcde", COEFFICIENT_COLORS[1:])]
    axes[0].legend(handles=handles, ncol=5, loc="upper center", bbox_to_anchor=(0.5, -0.02),
                   fontsize=6.5, handlelength=1, columnspacing=0.8)

    generator = generator_matrix((E, E), **UNITARY_STENCIL)
    eigenvalues = np.linalg.eigvals(expm(generator))
    multipliers = first_neighbour_multipliers((E, E), **UNITARY_STENCIL).ravel()
    t = np.linspace(0, 2 * np.pi, 400)
    ax = axes[1]
    ax.plot(np.cos(t), np.sin(t), color="0.7", linewidth=0.8)
    ax.plot(eigenvalues.real, eigenvalues.imag, "o", color="black", markersize=4,
            label=r"eig $\exp(G)$, dense")
    ax.plot(multipliers.real, multipliers.imag, "x", color="tab:red", markersize=4,
            label=r"$\lambda_k$ (FFT)")
    ax.set_aspect("equal")
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_title("(b) eigenvalues of the unitary kernel\n"
                 f"$\\max\\,||\\mu| - 1|$ = {np.abs(np.abs(eigenvalues) - 1).max():.0e}",
                 fontsize=7.5)
    ax.legend(loc="lower center", fontsize=6, bbox_to_anchor=(0.5, -0.4))
    ax.set_xticks([-1, 0, 1])
    ax.set_yticks([-1, 0, 1])

    s = ASYMMETRIC_STENCIL
    reflected = dict(a=s["a"], b=s["c"], c=s["b"], d=s["e"], e=s["d"])
    mismatch = np.abs(asym.T - generator_matrix((E, E), **reflected)).max()
    draw_matrix(axes[2], coefficient_map(asym.T, ASYMMETRIC_STENCIL),
                "(c) transpose = central reflection\n"
                f"($b \\leftrightarrow c$, $d \\leftrightarrow e$): max diff {mismatch:.0f}")
    return fig
