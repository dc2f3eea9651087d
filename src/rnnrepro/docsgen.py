"""Generated pages of the documentation site: the configuration reference (one source
for every key: the schema each experiment declares) and the API reference (every module
of the package, rendered from its docstrings by mkdocstrings).

``python -m rnnrepro docs`` rewrites ``docs/config.md`` and ``docs/api.md``; a test fails
when they are out of date.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from rnnrepro import registry
from rnnrepro.config import config_schema

__all__ = ["config_reference", "api_reference", "write_docs"]


def _allowed(node: dict[str, Any]) -> str:
    """The values a key accepts, in words."""
    if "enum" in node:
        return " \\| ".join(f"`{v}`" for v in node["enum"])
    kind = node.get("type", "")
    if kind == "array":
        items = node.get("items", {})
        size = ""
        if "minItems" in node or "maxItems" in node:
            size = f" ({node.get('minItems', 0)}..{node.get('maxItems', '')} items)"
        return f"list of {_allowed(items) or 'values'}{size}"
    bounds = []
    for key, symbol in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="),
                        ("exclusiveMaximum", "<")):
        if key in node:
            bounds.append(f"{symbol} {node[key]:g}")
    text = kind + (" " + ", ".join(bounds) if bounds else "")
    if "oneOf" in node:
        text = "number or [real, imag]"
    return text


def _rows(node: dict[str, Any], path: str) -> list[str]:
    rows = []
    properties = node.get("properties", {})
    for name, child in properties.items():
        key = f"{path}.{name}" if path else name
        if child.get("type") == "object" and "properties" in child:
            rows.append(f"| `{key}` | section | {child.get('description', '')} |")
            rows += _rows(child, key)
        elif child.get("type") == "object" and isinstance(child.get("additionalProperties"),
                                                          dict):
            rows.append(f"| `{key}.<name>` | named entries | {child.get('description', '')} |")
            rows += _rows(child["additionalProperties"], f"{key}.<name>")
        elif child.get("type") == "array" and child.get("items", {}).get("type") == "object":
            rows.append(f"| `{key}` | list | {child.get('description', '')} |")
            rows += _rows(child["items"], f"{key}[i]")
        else:
            description = child.get("description", "").replace("|", "\\|")
            rows.append(f"| `{key}` | {_allowed(child)} | {description} |")
    return rows


def config_reference() -> str:
    """Markdown: every key of the configuration, from the schema's descriptions.

    Returns
    -------
    str
        The page.
    """
    schema = config_schema()
    lines = ["# Configuration reference", "",
             "Generated from the schema each experiment declares next to its code "
             "(`python -m rnnrepro docs`); `config.yaml` holds the defaults and "
             "`config/*.yaml` the presets. Every key is required and checked before any "
             "job starts; a bad value stops Snakemake with a message naming the key, the "
             "value and what is allowed.", ""]
    for name, section in schema["properties"].items():
        lines += [f"## `{name}`", "", section.get("description", ""), "",
                  "| key | allowed | meaning |", "|---|---|---|"]
        lines += _rows(section, name)
        lines.append("")
    return "\n".join(lines)


def api_reference() -> str:
    """Markdown: one mkdocstrings block per module of the package.

    Returns
    -------
    str
        The page.
    """
    import rnnrepro

    lines = ["# API reference", "",
             "Every module of the package, from its docstrings (numpydoc). The workflow "
             "calls only `python -m rnnrepro <stage>`; everything else is a plain function "
             "to call from a test or a notebook.", ""]
    for info in sorted(pkgutil.walk_packages(rnnrepro.__path__, "rnnrepro."),
                       key=lambda i: i.name):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
        lines += [f"::: {info.name}", "    options:", "      heading_level: 2", ""]
    return "\n".join(lines)


def write_docs(repo: Path = registry.REPO, check: bool = False) -> list[Path]:
    """Write the generated pages; return those that changed (or would).

    Parameters
    ----------
    repo : Path
        The repository.
    check : bool
        Only report.

    Returns
    -------
    list of Path
        Pages out of date.
    """
    changed = []
    for name, text in (("config.md", config_reference()), ("api.md", api_reference())):
        path = repo / "docs" / name
        if not path.exists() or path.read_text() != text + "\n":
            changed.append(path)
            if not check:
                path.write_text(text + "\n")
    return changed
