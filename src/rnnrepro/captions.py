"""Figure captions, written once in each figure module, rendered for each reader.

A caption is plain text with inline math between dollar signs (``$\\tau_r$``).  It
becomes LaTeX for the manuscript (:func:`caption_latex`), reStructuredText for the
Snakemake report (:func:`caption_rst`) and Markdown for the README
(:func:`caption_markdown`).
"""

from __future__ import annotations

import re

__all__ = ["split_math", "caption_latex", "caption_rst", "caption_markdown", "first_sentence"]

_MATH = re.compile(r"\$([^$]+)\$")
LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_",
                 "{": r"\{", "}": r"\}", "$": r"\$", "^": r"\textasciicircum{}",
                 "~": r"\textasciitilde{}"}


def split_math(text: str) -> list[tuple[bool, str]]:
    """The caption as ``(is_math, piece)`` pairs, in order.

    Parameters
    ----------
    text : str
        A caption.

    Returns
    -------
    list of (bool, str)
        Text and math pieces.
    """
    pieces, position = [], 0
    for match in _MATH.finditer(text):
        if match.start() > position:
            pieces.append((False, text[position:match.start()]))
        pieces.append((True, match.group(1)))
        position = match.end()
    if position < len(text):
        pieces.append((False, text[position:]))
    return pieces


def latex_escape(text: str) -> str:
    """Plain text safe for LaTeX: each special character replaced once.

    Parameters
    ----------
    text : str
        Plain text.

    Returns
    -------
    str
        Escaped text.
    """
    return "".join(LATEX_SPECIAL.get(char, char) for char in str(text))


def caption_latex(text: str) -> str:
    """The caption as LaTeX (text escaped, math kept).

    Parameters
    ----------
    text : str
        A caption.

    Returns
    -------
    str
        LaTeX.
    """
    return "".join(f"${piece}$" if math else latex_escape(piece)
                   for math, piece in split_math(text))


def caption_rst(text: str) -> str:
    """The caption as reStructuredText (math as the ``:math:`` role).

    Parameters
    ----------
    text : str
        A caption.

    Returns
    -------
    str
        reStructuredText.
    """
    out = []
    for math, piece in split_math(text):
        if math:
            out.append(rf"\ :math:`{piece}`\ ")
        else:
            out.append(piece.replace("\\", "\\\\").replace("*", r"\*").replace("`", r"\`"))
    return "".join(out)


def caption_markdown(text: str) -> str:
    """The caption as Markdown (math between dollar signs, as GitHub renders it).

    Parameters
    ----------
    text : str
        A caption.

    Returns
    -------
    str
        Markdown.
    """
    return text.replace("|", r"\|")


def first_sentence(text: str) -> str:
    """The caption's first sentence (up to the first ``. `` outside math).

    Parameters
    ----------
    text : str
        A caption.

    Returns
    -------
    str
        The first sentence, with its full stop.
    """
    out = ""
    for math, piece in split_math(text):
        if math:
            out += f"${piece}$"
            continue
        end = re.search(r"[.:;] ", piece)
        if end:
            return out + piece[: end.start() + 1]
        out += piece
    return out
