"""Compile ``paper/<paper>/ms.tex`` to a PDF whose bytes depend only on its inputs.

``latexmk -pdf`` runs with its auxiliary files in a scratch directory beside the PDF
(``.latex-<name>/``; the working directory stays the workflow's, so the manuscript's
relative paths to ``results/`` resolve), with ``SOURCE_DATE_EPOCH`` and
``FORCE_SOURCE_DATE=1`` (pdfTeX then writes that date everywhere); the manuscript
itself empties the trailer ID (``\\pdftrailerid{}``).  The PDF is moved into place
only when complete.  The scratch directory is emptied before each build and removed
after it, so a build killed halfway leaves nothing that the next one trusts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from rnnrepro.io import atomic_write

LATEX_PACKAGES = ("texlive-latex-base", "texlive-latex-recommended",
                  "texlive-fonts-recommended", "lmodern", "latexmk")


__all__ = ["LATEX_PACKAGES", "LatexMissing", "latex_available", "scratch_directory",
           "source_date_epoch", "build_pdf"]


class LatexMissing(RuntimeError):
    """No ``latexmk``/``pdflatex`` on the PATH."""


def latex_available() -> bool:
    """Whether ``latexmk`` and ``pdflatex`` are on the PATH.

    Returns
    -------
    bool
        True if the manuscript can be built.
    """
    return shutil.which("latexmk") is not None and shutil.which("pdflatex") is not None


def source_date_epoch(repo: str | Path) -> int:
    """The manuscripts' date: ``$SOURCE_DATE_EPOCH``, else the time of the checked-out
    commit, else 0.

    Parameters
    ----------
    repo : str or Path
        The repository.

    Returns
    -------
    int
        Seconds since 1970.
    """
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ.get("SOURCE_DATE_EPOCH"))
    try:
        return int(subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%ct"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    except (OSError, ValueError, subprocess.CalledProcessError):
        return 0


def scratch_directory(out: str | Path) -> Path:
    """Where the build of ``out`` keeps its auxiliary files: ``.latex-<stem>/`` beside it.

    Parameters
    ----------
    out : str or Path
        The PDF to build.

    Returns
    -------
    Path
        The scratch directory.
    """
    out = Path(out)
    return out.parent / f".latex-{out.stem}"


def build_pdf(tex: str | Path, out: str | Path, epoch: int) -> None:
    """Compile ``tex`` to ``out`` with a fixed date.

    Parameters
    ----------
    tex : str or Path
        The manuscript source.
    out : str or Path
        The PDF to write.
    epoch : int
        ``SOURCE_DATE_EPOCH`` (seconds).

    Returns
    -------
    None
    """
    if not latex_available():
        raise LatexMissing("latexmk/pdflatex not found; on Debian/Ubuntu: apt-get install "
                           + " ".join(LATEX_PACKAGES))
    tex = Path(tex).resolve()
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "FORCE_SOURCE_DATE": "1",
           "TZ": "UTC"}
    build = scratch_directory(out)
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    result = subprocess.run(
        ["latexmk", "-pdf", "-interaction=nonstopmode", "-halt-on-error",
         f"-outdir={build}", f"-auxdir={build}", str(tex)],
        env=env, capture_output=True, text=True)
    if result.returncode != 0:
        log = build / (tex.stem + ".log")
        tail = log.read_text(errors="replace")[-3000:] if log.exists() else result.stdout[-3000:]
        raise RuntimeError(f"latexmk failed on {tex}:\n{tail}")
    with atomic_write(out) as tmp:
        shutil.copyfile(build / (tex.stem + ".pdf"), tmp)
    shutil.rmtree(build, ignore_errors=True)
