"""Every module declares its public names, and every public function documents itself.

Each module of :mod:`rnnrepro` defines ``__all__``; every name there exists; every
public function and every public method of a public class has a numpydoc docstring
with a ``Parameters`` section naming exactly its arguments (when it takes any) and a
``Returns`` or ``Yields`` section.  The API reference (``docs/api.md``) is rendered
from these docstrings.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types

import pytest

import rnnrepro

MODULES = sorted(info.name for info in pkgutil.walk_packages(rnnrepro.__path__, "rnnrepro.")
                 if not info.name.endswith("__main__"))
#: a numpydoc section header: the title, then a line of dashes as long
SECTION = re.compile(r"^(?P<title>[A-Z][A-Za-z ]+)\n-+$", re.MULTILINE)
#: an entry of a Parameters section: ``name : type``, ``a, b : type`` or a bare ``name``
ENTRY = re.compile(r"^(?P<names>\*{0,2}\w+(?:\s*,\s*\*{0,2}\w+)*)\s*(?::.*)?$")


def sections(doc: str) -> dict[str, str]:
    """The numpydoc sections of a (dedented) docstring, by title."""
    heads = list(SECTION.finditer(doc))
    return {h["title"]: doc[h.end():heads[i + 1].start() if i + 1 < len(heads) else None]
            for i, h in enumerate(heads)}


def documented_parameters(section: str) -> set[str]:
    """The names a Parameters section documents (entries at its own indentation)."""
    names = set()
    for line in section.splitlines():
        if line and not line[0].isspace():
            match = ENTRY.match(line.strip())
            if match:
                names.update(n.strip().lstrip("*") for n in match["names"].split(","))
    return names


def public_callables(module) -> list[tuple[str, object]]:
    """``(qualified name, function)`` of every function and public method in ``__all__``."""
    out = []
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isclass(obj):
            for key, member in vars(obj).items():
                if key.startswith("_"):
                    continue
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if inspect.isfunction(inspect.unwrap(member)):
                    out.append((f"{name}.{key}", member))
        elif inspect.isfunction(inspect.unwrap(obj)):
            out.append((name, obj))
    return out


def problems(module) -> list[str]:
    """What is missing from the docstrings of a module's public functions."""
    found = []
    for qualname, function in public_callables(module):
        doc = inspect.getdoc(function) or ""
        parts = sections(doc)
        signature = inspect.signature(inspect.unwrap(function))
        arguments = {p for p in signature.parameters if p not in ("self", "cls")}
        if arguments:
            if "Parameters" not in parts:
                found.append(f"{qualname}: no Parameters section")
            else:
                documented = documented_parameters(parts["Parameters"])
                if arguments - documented:
                    found.append(f"{qualname}: undocumented {sorted(arguments - documented)}")
                if documented - arguments:
                    found.append(f"{qualname}: documents unknown {sorted(documented - arguments)}")
        if "Returns" not in parts and "Yields" not in parts:
            found.append(f"{qualname}: no Returns or Yields section")
    return found


def test_walk_finds_the_package():
    assert "rnnrepro.registry" in MODULES and "rnnrepro.chandra2024.theory" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_module_declares_its_public_names(name):
    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} defines no __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what it lacks: {missing}"
    assert len(set(module.__all__)) == len(module.__all__), f"{name}.__all__ repeats a name"


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_have_numpydoc_sections(name):
    module = importlib.import_module(name)
    if not hasattr(module, "__all__"):
        pytest.fail(f"{name} defines no __all__")
    found = problems(module)
    assert not found, f"{name}:\n" + "\n".join(found)


def test_the_checker_sees_missing_and_misnamed_sections():
    def documented(a: int, b: int = 0) -> int:
        """Sum.

        Parameters
        ----------
        a, b : int
            Terms.

        Returns
        -------
        int
            ``a + b``.
        """
        return a + b

    def undocumented(a: int) -> int:
        """Sum, with ``a`` mentioned but no Parameters section; Returns a number."""
        return a

    def misnamed(a: int) -> int:
        """Identity.

        Parameters
        ----------
        x : int
            Not the argument.

        Yields
        ------
        int
            ``a``.
        """
        yield a

    module = types.SimpleNamespace(__all__=["documented", "undocumented", "misnamed"],
                                   documented=documented, undocumented=undocumented,
                                   misnamed=misnamed)
    assert problems(module) == ["undocumented: no Parameters section",
                                "undocumented: no Returns or Yields section",
                                "misnamed: undocumented ['a']",
                                "misnamed: documents unknown ['x']"]
