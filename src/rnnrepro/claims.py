"""The paper's quantitative claims, checked against this pipeline's tables.

``paper/<paper>/claims.yaml`` lists every claim: where it is made, what it says, the
paper's value, where the measured value comes from (a table, a row filter, a column,
a reduction) and a tolerance.  :func:`evaluate_claims` reads the measured values from
the tables -- never from the claims file -- and marks each claim PASS or FAIL; a
failing claim is reported, it does not stop the build.  A claim that needs data this
project cannot obtain (``kind: not_reproducible``) is listed with its reason and never
judged.  ``paper/<paper>/numbers.yaml`` names further values the manuscript quotes
(counts, fitted prefactors); they are read the same way, so no number in the text is
typed by hand.
"""

from __future__ import annotations

import ast
import json
import math
import operator
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from rnnrepro.captions import caption_latex, latex_escape

__all__ = ["REDUCTIONS", "COMPARISONS", "KINDS", "ClaimError", "arithmetic", "select",
           "measured_value", "check", "load_claims", "evaluate_claims", "evaluate_numbers",
           "format_number", "claims_latex", "numbers_latex", "fits_latex", "figures_latex"]

REDUCTIONS = {
    "one": None,                                   # exactly one row must match
    "max": lambda s: float(s.max()),
    "min": lambda s: float(s.min()),
    "max_abs": lambda s: float(s.abs().max()),
    "mean": lambda s: float(s.mean()),
    "count": lambda s: float(len(s)),
    "sum": lambda s: float(s.sum()),
    "fraction": lambda s: float(s.astype(bool).mean()),   # of a boolean column
    "nunique": lambda s: float(s.nunique()),
    # (max - min) / mean: how much a quantity varies across the rows
    "relative_range": lambda s: float((s.max() - s.min()) / s.mean()),
    "at_max": None,                                # `column` where `by` is largest
    "spearman": None,                              # rank correlation of `column` with `by`
}
COMPARISONS = ("equal", "at_most", "at_least")
#: claim: judged PASS/FAIL; setup: sizes and counts, MATCH/DIFFERS; not_reproducible:
#: needs data this project cannot obtain, listed with its reason
KINDS = ("claim", "setup", "not_reproducible")
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
              ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg}


class ClaimError(ValueError):
    """A claim that cannot be evaluated (bad spec, no matching rows)."""


def arithmetic(expression: Any) -> float:
    """A number, or a string of plain arithmetic such as ``"(2*0.001)**(1/3)"``.

    Parameters
    ----------
    expression : int, float or str
        A number, or an expression of numbers, ``+ - * / **``, unary minus,
        parentheses and ``sqrt(...)``; names and other calls are refused.

    Returns
    -------
    float
        Its value.

    Raises
    ------
    ClaimError
        If the string is not plain arithmetic.
    """
    if isinstance(expression, (int, float)):
        return float(expression)

    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.operand))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "sqrt":
            return math.sqrt(walk(node.args[0]))
        raise ClaimError(f"not plain arithmetic: {expression!r}")

    return walk(ast.parse(str(expression), mode="eval"))


def select(table: pd.DataFrame, where: dict[str, Any]) -> pd.DataFrame:
    """Rows whose columns equal ``where``'s values (floats to 1e-9 relative), or lie in
    ``{min: a, max: b}`` (either bound optional), or in a list of values, or, for a
    column of comma-separated names, name one of ``{contains: name or [names]}``.

    Parameters
    ----------
    table : DataFrame
        A table.
    where : dict
        Column to value, range or list.

    Returns
    -------
    DataFrame
        The matching rows.
    """
    mask = np.ones(len(table), bool)
    for column, value in where.items():
        if column not in table.columns:
            raise ClaimError(f"no column {column!r} to filter on")
        values = table[column]
        if isinstance(value, dict) and "contains" in value:
            wanted = value["contains"]
            wanted = {wanted} if isinstance(wanted, str) else set(wanted)
            mask &= np.array([bool(wanted & set(str(v).split(","))) for v in values], bool)
        elif isinstance(value, dict):
            numbers = values.to_numpy(float)
            mask &= numbers >= value.get("min", -np.inf) * (1 - 1e-9)
            mask &= numbers <= value.get("max", np.inf) * (1 + 1e-9)
        elif isinstance(value, list):
            mask &= np.any([np.isclose(values.to_numpy(float), float(v), rtol=1e-9, atol=0)
                            for v in value], axis=0)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            mask &= np.isclose(values.to_numpy(float), float(value), rtol=1e-9, atol=0)
        else:
            mask &= (values == value).to_numpy()
    return table[mask]


def measured_value(spec: dict[str, Any], tables: dict[str, pd.DataFrame]) -> float:
    """The value a spec points to: ``{table, where, column, reduce}``.

    Parameters
    ----------
    spec : dict
        ``table`` (a table's name), ``where`` (row filter of :func:`select`, default
        all rows), ``column`` and ``reduce`` (a key of :data:`REDUCTIONS`, default
        ``one``: exactly one row must match); ``at_max`` and ``spearman`` also need
        ``by``, the column to maximise or to rank-correlate with.
    tables : dict of str to DataFrame
        The paper's tables by name.

    Returns
    -------
    float
        The reduced value of ``column`` over the selected rows.

    Raises
    ------
    ClaimError
        If the table or a column is unknown, ``reduce`` is unknown, no row (or, for
        ``one``, not exactly one row) matches, or ``spearman`` has fewer than 3 rows.
    """
    if spec["table"] not in tables:
        raise ClaimError(f"unknown table {spec['table']!r}")
    rows = select(tables[spec["table"]], spec.get("where", {}))
    column = spec["column"]
    if column not in rows.columns:
        raise ClaimError(f"table {spec['table']!r} has no column {column!r}")
    reduce = spec.get("reduce", "one")
    if reduce not in REDUCTIONS:
        raise ClaimError(f"reduce must be one of {sorted(REDUCTIONS)}, got {reduce!r}")
    if reduce == "one":
        if len(rows) != 1:
            raise ClaimError(f"{len(rows)} rows of {spec['table']!r} match {spec.get('where')}, "
                             "expected exactly one")
        return float(rows[column].iat[0])
    if reduce not in ("count",) and len(rows) == 0:
        raise ClaimError(f"no rows of {spec['table']!r} match {spec.get('where')}")
    if reduce == "at_max":
        return float(rows[column].iat[int(np.argmax(rows[spec["by"]].to_numpy(float)))])
    if reduce == "spearman":
        if len(rows) < 3:
            raise ClaimError(f"a rank correlation needs 3 rows, {len(rows)} match")
        return float(rows[column].rank().corr(rows[spec["by"]].rank()))
    return REDUCTIONS[reduce](rows[column])


def check(measured: float, paper: float, comparison: str, tolerance: dict[str, float]
          ) -> tuple[bool, float]:
    """``(passed, allowed)``: the claim's test with its absolute or relative tolerance.

    Parameters
    ----------
    measured : float
        The measured value; NaN or infinity always fails.
    paper : float
        The paper's value.
    comparison : str
        One of :data:`COMPARISONS`: ``equal`` (``|measured - paper| <= allowed``),
        ``at_most`` (``measured <= paper + allowed``) or ``at_least``
        (``measured >= paper - allowed``).
    tolerance : dict of str to float
        ``abs`` and/or ``rel``; ``allowed = abs + rel |paper|``.

    Returns
    -------
    tuple of (bool, float)
        Whether the claim passes, and the allowed deviation ``allowed``.

    Raises
    ------
    ClaimError
        If ``comparison`` is unknown.
    """
    allowed = tolerance.get("abs", 0.0) + tolerance.get("rel", 0.0) * abs(paper)
    if not np.isfinite(measured):
        return False, allowed
    if comparison == "equal":
        return abs(measured - paper) <= allowed, allowed
    if comparison == "at_most":
        return measured <= paper + allowed, allowed
    if comparison == "at_least":
        return measured >= paper - allowed, allowed
    raise ClaimError(f"comparison must be one of {COMPARISONS}, got {comparison!r}")


def load_claims(path: str | Path) -> list[dict[str, Any]]:
    """Read a claims file and check its entries' shape.

    Parameters
    ----------
    path : str or Path
        ``paper/<paper>/claims.yaml``.

    Returns
    -------
    list of dict
        The claims, in file order.
    """
    claims = yaml.safe_load(Path(path).read_text())["claims"]
    ids = [c["id"] for c in claims]
    if len(set(ids)) != len(ids):
        raise ClaimError("claim ids must be unique")
    for claim in claims:
        kind = claim.get("kind", "claim")
        if kind not in KINDS:
            raise ClaimError(f"claim {claim['id']}: kind must be one of {KINDS}, got {kind!r}")
        needed = {"id", "source", "claim"} | (
            {"reason"} if kind == "not_reproducible" else {"paper_value", "measured",
                                                           "tolerance"})
        missing = needed - set(claim)
        if missing:
            raise ClaimError(f"claim {claim['id']}: missing {sorted(missing)}")
    return claims


def evaluate_claims(claims: list[dict[str, Any]], tables: dict[str, pd.DataFrame]
                    ) -> pd.DataFrame:
    """One row per claim: paper value, measured value, tolerance, status.

    Status: PASS or FAIL (a claim), MATCH or DIFFERS (a set-up statement: sizes and
    counts are compared, not judged, since a default configuration may be smaller than
    the paper's), or NOT REPRODUCIBLE (the claim needs data this project cannot obtain;
    its ``reason`` is the note).

    Parameters
    ----------
    claims : list of dict
        As loaded by :func:`load_claims`.
    tables : dict of str to DataFrame
        The paper's tables by name.

    Returns
    -------
    DataFrame
        One row per claim.
    """
    rows = []
    for claim in claims:
        if claim.get("kind") == "not_reproducible":
            rows.append(_not_reproducible_row(claim))
            continue
        paper = arithmetic(claim["paper_value"])
        comparison = claim.get("comparison", "equal")
        try:
            measured = measured_value(claim["measured"], tables)
            error = ""
        except ClaimError as exc:
            measured, error = np.nan, str(exc)
        passed, allowed = check(measured, paper, comparison, claim["tolerance"])
        # setup statements (sizes, counts) are compared, not judged: the default config
        # is deliberately smaller than the paper's
        setup = claim.get("kind") == "setup"
        status = ("MATCH" if passed else "DIFFERS") if setup else ("PASS" if passed else "FAIL")
        rows.append({
            "id": claim["id"], "source": claim["source"], "claim": claim["claim"],
            "paper_value": paper, "paper_text": str(claim.get("paper_text",
                                                              claim["paper_value"])),
            "measured_value": measured, "comparison": comparison, "tolerance": allowed,
            "tolerance_kind": "abs" if "abs" in claim["tolerance"] else "rel",
            "difference": measured - paper, "kind": claim.get("kind", "claim"),
            "passed": bool(passed), "status": status,
            "measured_from": json.dumps(claim["measured"], sort_keys=True),
            "note": claim.get("note", "") + (f" [{error}]" if error else ""),
        })
    return pd.DataFrame(rows)


def _not_reproducible_row(claim: dict[str, Any]) -> dict[str, Any]:
    paper = arithmetic(claim["paper_value"]) if "paper_value" in claim else np.nan
    return {
        "id": claim["id"], "source": claim["source"], "claim": claim["claim"],
        "paper_value": paper, "paper_text": str(claim.get("paper_text", "")),
        "measured_value": np.nan, "comparison": "equal", "tolerance": 0.0,
        "tolerance_kind": "abs", "difference": np.nan, "kind": "not_reproducible",
        "passed": False, "status": "NOT REPRODUCIBLE", "measured_from": "",
        "note": claim["reason"],
    }


def evaluate_numbers(path: str | Path, tables: dict[str, pd.DataFrame]) -> dict[str, float]:
    """Named values quoted by the manuscript, read from the tables.

    Parameters
    ----------
    path : str or Path
        ``paper/<paper>/numbers.yaml``: a ``numbers`` mapping of name to a spec of
        :func:`measured_value`.
    tables : dict of str to DataFrame
        The paper's tables by name.

    Returns
    -------
    dict of str to float
        Each name's measured value; NaN (printed ``--``, with a warning on stderr) where
        this configuration has no row to read it from, as a claim would FAIL.
    """
    numbers = yaml.safe_load(Path(path).read_text())["numbers"]
    values = {}
    for name, spec in numbers.items():
        try:
            values[name] = measured_value(spec, tables)
        except ClaimError as exc:
            print(f"number {name}: {exc}", file=sys.stderr)
            values[name] = math.nan
    return values


def format_number(value: float, digits: int = 6) -> str:
    """``%g`` with ``digits`` significant digits; exponents in LaTeX form.

    Parameters
    ----------
    value : float
        The number.
    digits : int, optional
        Significant digits.

    Returns
    -------
    str
        Math-mode LaTeX text (without ``$``), e.g. ``1.5\\times 10^{-3}``; ``--`` for
        NaN or infinity.
    """
    if not np.isfinite(value):
        return "--"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{mantissa}\\times 10^{{{int(exponent)}}}"
    return text


def claims_latex(claims: pd.DataFrame) -> str:
    """The claims table for the manuscript (a ``longtable``).

    Parameters
    ----------
    claims : DataFrame
        As returned by :func:`evaluate_claims`.

    Returns
    -------
    str
        LaTeX: one row per claim (source, claim, paper value, measured value,
        tolerance, status), with the note under every claim that did not pass.
    """
    symbol = {"equal": "", "at_most": r"$\le$ ", "at_least": r"$\ge$ "}
    lines = [r"\begin{longtable}{p{0.08\linewidth}p{0.36\linewidth}lllc}",
             r"\hline source & claim & paper & measured & tolerance & \\ \hline\endhead"]
    for row in claims.itertuples(index=False):
        tolerance = f"$\\pm {format_number(row.tolerance, 2)}$" if row.tolerance else "exact"
        status = (rf"\textbf{{{row.status}}}" if row.passed
                  else rf"\textcolor{{red}}{{\textbf{{{row.status}}}}}")
        lines.append(
            f"{latex_escape(row.source)} & {latex_escape(row.claim)} & "
            f"{symbol[row.comparison]}${format_number(row.paper_value)}$ & "
            f"${format_number(row.measured_value)}$ & {tolerance} & {status} \\\\")
        if row.note and not row.passed:
            lines.append(rf"& \multicolumn{{5}}{{p{{0.85\linewidth}}}}{{\footnotesize\emph{{why:}} "
                         rf"{latex_escape(row.note.strip())}}} \\")
    lines += [r"\hline", r"\end{longtable}"]
    return "\n".join(lines) + "\n"


def numbers_latex(numbers: dict[str, float], claims: pd.DataFrame) -> str:
    r"""Macros ``\num{name}``, ``\claimvalue{id}``, ``\claimstatus{id}`` for the text.

    Also ``\claimspassed`` and ``\claimstotal`` (judged claims only); an unknown name
    or id typesets as a bold ``??``.

    Parameters
    ----------
    numbers : dict of str to float
        As returned by :func:`evaluate_numbers`.
    claims : DataFrame
        As returned by :func:`evaluate_claims`.

    Returns
    -------
    str
        LaTeX macro definitions.
    """
    lines = ["% generated by `python -m rnnrepro claims`: do not edit",
             r"\makeatletter"]
    for name, value in sorted(numbers.items()):
        lines.append(rf"\expandafter\def\csname rr@num@{name}\endcsname"
                     rf"{{\ensuremath{{{format_number(value)}}}}}")
    for row in claims.itertuples(index=False):
        lines.append(rf"\expandafter\def\csname rr@claim@{row.id}\endcsname"
                     rf"{{\ensuremath{{{format_number(row.measured_value)}}}}}")
        lines.append(rf"\expandafter\def\csname rr@status@{row.id}\endcsname{{{row.status}}}")
    judged = claims[claims["kind"] == "claim"]
    lines.append(rf"\def\rr@claims@passed{{{int(judged['passed'].sum())}}}")
    lines.append(rf"\def\rr@claims@total{{{len(judged)}}}")
    for macro, prefix in (("num", "num"), ("claimvalue", "claim"), ("claimstatus", "status")):
        lines.append(rf"\newcommand{{\{macro}}}[1]{{\@ifundefined{{rr@{prefix}@#1}}"
                     rf"{{\textbf{{??}}}}{{\csname rr@{prefix}@#1\endcsname}}}}")
    lines += [
              r"\newcommand{\claimspassed}{\rr@claims@passed}",
              r"\newcommand{\claimstotal}{\rr@claims@total}",
              r"\makeatother"]
    return "\n".join(lines) + "\n"


def _fit_case(row: dict[str, Any]) -> str:
    """What a fit row is about: its kernel, sweep, pattern, range, spectrum, gain, rank."""
    parts = [str(row[k]) for k in ("kernel", "sweep", "pattern", "range", "spectrum")
             if isinstance(row.get(k), str) and row[k]]
    for key, label in (("g_eff", "g"), ("effective_rank", "rank"), ("N", "N")):
        value = row.get(key)
        if isinstance(value, (int, float)) and np.isfinite(value):
            parts.append(f"{label}={value:g}")
    return ", ".join(parts)


def fits_latex(fits: pd.DataFrame) -> str:
    """Every fitted law: quantity, case, fitted value, the same fit of the exact theory,
    and the asymptote.

    A power law reports its exponent; a fit of another form (an extrapolation to
    ``1/N = 0``) reports its ``value`` and the theory's.

    Parameters
    ----------
    fits : DataFrame
        A paper's ``fits`` table.

    Returns
    -------
    str
        A ``longtable``.
    """
    lines = [r"\begin{longtable}{llllll}",
             r"\hline experiment & quantity & case & fitted & exact, same points"
             r" & asymptotic \\ \hline\endhead"]
    for row in fits.to_dict("records"):
        power_law = np.isfinite(row.get("exponent", np.nan))
        if power_law:
            fitted = (f"${format_number(row['exponent'], 5)} \\pm "
                      f"{format_number(row['exponent_stderr'], 1)}$")
            exact = f"${format_number(row['exponent_theory_range'], 5)}$"
            asymptotic = f"${format_number(row['exponent_asymptotic'], 4)}$"
        else:
            fitted = (f"${format_number(row['value'], 5)} \\pm "
                      f"{format_number(row['value_stderr'], 1)}$")
            exact = f"${format_number(row['value_theory'], 5)}$"
            asymptotic = "--"
        lines.append(f"{latex_escape(row['experiment'])} & {latex_escape(row['quantity'])} & "
                     f"{latex_escape(_fit_case(row))} & {fitted} & {exact} & {asymptotic} \\\\")
    lines += [r"\hline", r"\end{longtable}"]
    return "\n".join(lines) + "\n"


def figures_latex(figures: list[tuple[str, str, str]]) -> str:
    """Every figure of a paper as a LaTeX float with its caption and label.

    Parameters
    ----------
    figures : list of (name, pdf path, caption)
        In the paper's order; the label is the figure's name.

    Returns
    -------
    str
        LaTeX.
    """
    lines = ["% generated by `python -m rnnrepro claims` from the figure modules' CAPTION"]
    for name, pdf, caption in figures:
        lines += [r"\begin{figure}[p]\centering",
                  rf"\includegraphics[width=\linewidth]{{{pdf}}}",
                  rf"\caption{{{caption_latex(caption)}}}\label{{{name}}}",
                  r"\end{figure}"]
    return "\n".join(lines) + "\n"
