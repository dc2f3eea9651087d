"""One module per figure of the paper.

Each module has ``NAME`` (the file stem under ``results/figures/``), ``TABLES`` (the
tables it reads, as keys ``results/tables/<key>.parquet``) and
``plot(tables) -> Figure``.  A figure never recomputes a measurement: it reads tables.
"""

from __future__ import annotations

from types import ModuleType

from curnn.figures import (fig1_schematic, fig2_kernel_matrix, fig3_fixed_point,
                           fig4_power_laws, fig5_resonances, fig6_decay, fig7_length)

FIGURES: dict[str, ModuleType] = {
    "fig1": fig1_schematic, "fig2": fig2_kernel_matrix, "fig3": fig3_fixed_point,
    "fig4": fig4_power_laws, "fig5": fig5_resonances,
    "fig6": fig6_decay, "fig7": fig7_length}


def get(figure: str) -> ModuleType:
    try:
        return FIGURES[figure]
    except KeyError:
        raise KeyError(f"unknown figure {figure!r}; known: {sorted(FIGURES)}") from None
