"""Code fingerprints: a job re-runs when the code that computes its output changes.

Snakemake re-runs a job when its parameters change; each rule passes the fingerprint
of the code its job runs as one of its parameters.  The fingerprint of a function is
the SHA-256 of its syntax tree -- without docstrings, comments or formatting -- and of
the trees of every definition of this package that it refers to, followed
transitively: functions, classes (whole), and module-level constants reached through
plain names (``phi``), imported names (``from ... import phi``) or module attributes
(``theory.fixed_point``).

So editing a comment or a docstring re-runs nothing; editing a line that a
simulation can execute re-runs that simulation; editing a figure's ``plot`` re-runs
that figure only.  What it cannot see: code reached dynamically (``getattr`` with a
computed name, objects passed in from outside whose class is never named), and third-
party packages (their versions are in each output's provenance sidecar).  It
over-approximates rather than misses: a class counts whole, and a name referenced
anywhere in a function counts even on a branch that never runs.  The few definitions
that cannot change an output's bytes (the atomic file writer) are listed in
:data:`OPAQUE` and not followed, so tidying them re-runs nothing.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib
import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["PACKAGE", "OPAQUE", "code_fingerprint", "strip_docstrings"]

#: only definitions inside this package are followed
PACKAGE = "rnnrepro"
#: definitions whose code cannot change an output's bytes, not followed: the atomic
#: writer renames the bytes it is given, and the test-only fault injection lives there
OPAQUE = frozenset({("rnnrepro.io", "atomic_write"), ("rnnrepro.io", "KILL_WHILE_WRITING")})


def strip_docstrings(tree: ast.AST) -> ast.AST:
    """Remove the docstring of every module, class and function in ``tree`` (in place).

    Parameters
    ----------
    tree : ast.AST
        A parsed syntax tree.

    Returns
    -------
    ast.AST
        The same tree.
    """
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(
                    getattr(body[0], "value", None), ast.Constant) and isinstance(
                    body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return tree


class _Module:
    """Top-level definitions and imports of one module of the package."""

    def __init__(self, name: str):
        self.name = name
        source = Path(importlib.import_module(name).__file__).read_text()
        tree = strip_docstrings(ast.parse(source))
        self.definitions: dict[str, ast.AST] = {}
        self.imports: dict[str, tuple[str, str | None]] = {}   # alias -> (module, attr)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.definitions[node.name] = node
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for leaf in ast.walk(target):
                        if isinstance(leaf, ast.Name):
                            self.definitions[leaf.id] = node
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.imports[alias.asname or alias.name.split(".")[0]] = (
                        alias.name if alias.asname else alias.name.split(".")[0], None)


@functools.cache
def _module(name: str) -> _Module:
    return _Module(name)


def _is_package_module(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


def _resolve_module_attribute(module: str, attr: str) -> tuple[str, str] | None:
    """``module.attr`` as (module, definition), following submodules and re-exports."""
    submodule = f"{module}.{attr}"
    try:
        importlib.import_module(submodule)
        return submodule, ""          # a whole submodule: its attributes resolve later
    except ImportError:
        pass
    info = _module(module)
    if attr in info.definitions:
        return module, attr
    if attr in info.imports:
        source, name = info.imports[attr]
        if _is_package_module(source):
            return (source, name) if name else (source, "")
    return None


def _references(node: ast.AST) -> Iterable[tuple[str, str | None]]:
    """``(name, attribute)`` pairs a node refers to: ``x`` and ``x.y``."""
    for child in ast.walk(node):
        if isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name):
            yield child.value.id, child.attr
        elif isinstance(child, ast.Name):
            yield child.id, None


def _closure(start: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Every (module, definition) reachable from ``start``, with its normalised tree."""
    seen: dict[tuple[str, str], str] = {}
    stack = list(start)
    while stack:
        module, name = stack.pop()
        if (module, name) in seen:
            continue
        info = _module(module)
        node = info.definitions.get(name)
        if node is None:
            raise KeyError(f"{module}.{name} is not a top-level definition")
        seen[(module, name)] = ast.dump(node, annotate_fields=False, include_attributes=False)
        for base, attr in _references(node):
            targets: list[tuple[str, str]] = []
            if base in info.definitions and attr is None:
                targets.append((module, base))
            elif base in info.imports:
                source, imported = info.imports[base]
                if not _is_package_module(source):
                    continue
                if imported is None or (imported and _resolve_module_attribute(
                        source, imported) == (f"{source}.{imported}", "")):
                    # a module: follow the attribute used on it
                    module_name = source if imported is None else f"{source}.{imported}"
                    if attr is not None:
                        resolved = _resolve_module_attribute(module_name, attr)
                        if resolved and resolved[1]:
                            targets.append(resolved)
                elif imported:
                    resolved = _resolve_module_attribute(source, imported)
                    if resolved and resolved[1]:
                        targets.append(resolved)
            stack.extend(t for t in targets if t not in seen and t not in OPAQUE)
    return seen


def _qualify(obj: Any) -> tuple[str, str]:
    if isinstance(obj, ModuleType):
        raise TypeError("fingerprint functions or classes, not whole modules")
    module = inspect.getmodule(obj).__name__
    name = obj.__qualname__.split(".")[0]
    if not _is_package_module(module):
        raise ValueError(f"{module}.{name} is not part of {PACKAGE}")
    return module, name


def code_fingerprint(*entry_points: Callable | type) -> str:
    """SHA-256 of the code the entry points run (see the module docstring).

    Parameters
    ----------
    *entry_points : functions or classes
        Top-level definitions of this package.

    Returns
    -------
    str
        Hex digest; the same for code that differs only in comments, docstrings or
        formatting.
    """
    closure = _closure([_qualify(obj) for obj in entry_points])
    digest = hashlib.sha256()
    for (module, name), dump in sorted(closure.items()):
        digest.update(f"{module}.{name}\n{dump}\n".encode())
    return digest.hexdigest()
