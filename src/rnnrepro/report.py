"""Tables for ``snakemake --report``: each paper's claims and fitted laws as HTML pages.

The report embeds an HTML output in its viewer, so a table written here reads as a table
there (a parquet file would only be offered for download).  The page is deterministic:
numbers are printed with six significant digits, and nothing depends on the time or the
machine.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

import pandas as pd

from rnnrepro.io import atomic_write

__all__ = ["format_cell", "html_table", "write_html_table"]

_STYLE = """body { font-family: sans-serif; font-size: 13px; margin: 1em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #eee; position: sticky; top: 0; }
tr.FAIL td { background: #fde0dc; }
tr.PASS td, tr.MATCH td { background: #e6f4e6; }
tr.NOT_REPRODUCIBLE td, tr.DIFFERS td { background: #fff6d5; }"""


def format_cell(value: Any) -> str:
    """One cell as text: numbers with six significant digits, empty for missing.

    Parameters
    ----------
    value : Any
        A table entry.

    Returns
    -------
    str
        HTML-escaped text.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.6g}"
    return html.escape(str(value))


def html_table(table: pd.DataFrame, title: str, description: str = "",
               status_column: str | None = None) -> str:
    """A standalone HTML page showing ``table``, one row per table row.

    Parameters
    ----------
    table : pandas.DataFrame
        The table, shown with every column in its order.
    title : str
        Page heading.
    description : str
        A paragraph under the heading (plain text).
    status_column : str or None
        Column whose value (``PASS``, ``FAIL``, ...) colours its row.

    Returns
    -------
    str
        The page.
    """
    header = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    rows = []
    for record in table.itertuples(index=False):
        status = str(getattr(record, status_column)).replace(" ", "_") if status_column else ""
        cells = "".join(f"<td>{format_cell(v)}</td>" for v in record)
        rows.append(f'<tr class="{html.escape(status)}">{cells}</tr>')
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(description)}</p>" if description else "",
        f"<p>{len(table)} rows.</p>",
        f"<table><thead><tr>{header}</tr></thead><tbody>", *rows,
        "</tbody></table></body></html>", ""])


def write_html_table(table: pd.DataFrame, path: str | Path, title: str,
                     description: str = "", status_column: str | None = None) -> None:
    """Write :func:`html_table` to ``path`` atomically.

    Parameters
    ----------
    table : pandas.DataFrame
        The table.
    path : str or Path
        Destination ``.html`` file.
    title : str
        Page heading.
    description : str
        A paragraph under the heading.
    status_column : str or None
        Column that colours each row.

    Returns
    -------
    None
        The page is written to ``path``.
    """
    with atomic_write(path) as tmp:
        Path(tmp).write_text(html_table(table, title, description, status_column))
