"""Compile ``paper/ms.tex`` to a PDF whose bytes depend only on its inputs.

``latexmk -pdf`` runs in a scratch directory (the working directory stays the
project's, so the manuscript's relative paths to ``results/`` resolve) with
``SOURCE_DATE_EPOCH`` and ``FORCE_SOURCE_DATE=1`` (pdfTeX then writes that date
everywhere) and the manuscript itself empties the trailer ID (``\\pdftrailerid{}``);
the PDF is moved into place only when complete.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from curnn.io import atomic_write

LATEX_PACKAGES = ("texlive-latex-base", "texlive-latex-recommended",
                  "texlive-fonts-recommended", "lmodern", "latexmk")


class LatexMissing(RuntimeError):
    """No ``latexmk``/``pdflatex`` on the PATH."""


def latex_available() -> bool:
    return shutil.which("latexmk") is not None and shutil.which("pdflatex") is not None


def build_pdf(tex: str | Path, out: str | Path, epoch: int) -> None:
    if not latex_available():
        raise LatexMissing("latexmk/pdflatex not found; on Debian/Ubuntu: apt-get install "
                           + " ".join(LATEX_PACKAGES))
    tex = Path(tex).resolve()
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "FORCE_SOURCE_DATE": "1",
           "TZ": "UTC"}
    with tempfile.TemporaryDirectory(prefix="curnn-latex-") as build:
        result = subprocess.run(
            ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
             f"-outdir={build}", f"-auxdir={build}", str(tex)],
            env=env, capture_output=True, text=True)
        if result.returncode != 0:
            log = Path(build) / (tex.stem + ".log")
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else result.stdout[-3000:]
            raise RuntimeError(f"latexmk failed on {tex}:\n{tail}")
        with atomic_write(out) as tmp:
            shutil.copyfile(Path(build) / (tex.stem + ".pdf"), tmp)
