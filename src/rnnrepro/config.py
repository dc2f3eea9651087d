"""Loading and validating the configuration, before any job starts.

``config.yaml`` holds one section per paper (``chandra2024: {kernels, experiments}``)
and the shared ``figures`` options.  :func:`validate_config` runs three passes and
reports every problem of the first pass that finds any, each naming the key, the
value and what is allowed:

1. numbers: NaN and infinities are refused everywhere;
2. the schema assembled from the papers (:func:`config_schema`): types (an integer
   must be written as one: ``2.0`` is refused), bounds, allowed values, required and
   unknown keys (listing the allowed ones);
3. the checks each kernel family and each experiment declares next to its code
   (``check``): ordered ranges, grids that give their fits enough points, kernels
   that are unitary and non-degenerate where an experiment needs it, inputs the
   arithmetic can hold, caps that leave room for a measurement.

``python -m rnnrepro check-config`` and the Snakefile call the same function.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import yaml

from rnnrepro import schema
from rnnrepro.grids import in_range, log_grid
from rnnrepro.registry import papers

__all__ = ["ConfigError", "Problem", "load_yaml", "merge", "config_schema",
           "validate_config", "load_config", "grid_problems", "range_problems",
           "fit_points_problems"]


class ConfigError(ValueError):
    """An invalid configuration; the message names each key and what is allowed."""


@dataclass(frozen=True)
class Problem:
    """One invalid value: its key (relative to the section checked), value, and rule."""

    key: str
    value: Any
    allowed: str

    def message(self, prefix: str = "") -> str:
        """``config key '<prefix>.<key>': got <value>; allowed: <rule>``.

        Parameters
        ----------
        prefix : str, optional
            Dotted path of the section the key is relative to (e.g.
            ``chandra2024.kernels.ring16``); empty for the top level.

        Returns
        -------
        str
            The message, the key being ``prefix.key`` (or whichever of the two is
            non-empty).
        """
        key = f"{prefix}.{self.key}" if prefix and self.key else (prefix or self.key)
        return f"config key '{key}': got {self.value!r}; allowed: {self.allowed}"


def load_yaml(path: str | Path) -> dict[str, Any]:
    """A YAML file as a dict (empty file: empty dict).

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    dict
        Its content.
    """
    with open(path) as fh:
        return yaml.safe_load(fh) or {}


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Recursive merge (as Snakemake does for ``--configfile``): ``override`` wins.

    Parameters
    ----------
    base, override : dict
        Configurations.

    Returns
    -------
    dict
        The merged configuration (inputs unchanged).
    """
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def config_schema() -> dict[str, Any]:
    """The whole schema: one section per paper, and ``figures``.

    Returns
    -------
    dict
        A JSON Schema (draft 2020-12).
    """
    properties: dict[str, Any] = {}
    for paper in papers().values():
        experiments = {m.NAME: m.SCHEMA for m in paper.experiments}
        sections = {"experiments": schema.section(
            f"experiments of {paper.id}", experiments)}
        if paper.kernels is not None:
            sections = {"kernels": schema.mapping(
                f"named kernels of {paper.id}; experiments refer to them by name",
                paper.kernels.SCHEMA), **sections}
        properties[paper.id] = schema.section(f"{paper.reference}: {paper.title}", sections)
    properties["figures"] = schema.section("options shared by every figure", {
        "dpi": schema.integer("resolution of the PNG figures (dots per inch)", 20, 1200)})
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "rnnrepro pipeline configuration",
            **schema.section("every parameter of the pipeline; config.yaml holds the "
                             "defaults, files in config/ override some keys", properties)}


def _key(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<top level>"


def _nonfinite_problems(value: Any, path: tuple = ()) -> list[str]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _nonfinite_problems(v, path + (k,))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _nonfinite_problems(v, path + (i,))]
    if isinstance(value, float) and not math.isfinite(value):
        return [Problem(_key(path), value, "finite numbers only").message()]
    return []


def _strict_validator(schema_: dict) -> jsonschema.protocols.Validator:
    # JSON Schema counts 2.0 as an integer and True as a number; a config should not
    checker = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine_many({
        "integer": lambda _, x: isinstance(x, int) and not isinstance(x, bool),
        "number": lambda _, x: isinstance(x, (int, float)) and not isinstance(x, bool),
    })
    cls = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=checker)
    return cls(schema_)


def _schema_message(error: jsonschema.ValidationError) -> str:
    key = _key(error.path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(error.instance) - set(allowed))
        return (f"config key '{key}': unknown key(s) {unknown}; allowed keys: {allowed}")
    if error.validator == "required":
        return f"config key '{key}': {error.message}"
    description = error.schema.get("description", "")
    hint = f" ({description})" if description else ""
    return f"config key '{key}': {error.message}{hint}"


def validate_config(config: dict[str, Any]) -> None:
    """Raise :class:`ConfigError` listing every problem found (see the module docstring).

    Parameters
    ----------
    config : dict
        The merged configuration.

    Returns
    -------
    None
    """
    problems = _nonfinite_problems(config)
    if not problems:
        validator = _strict_validator(config_schema())
        errors = sorted(validator.iter_errors(config), key=lambda e: _key(e.path))
        problems = [_schema_message(e) for e in errors]
    if not problems:
        problems = _semantic_problems(config)
    if problems:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))


def _semantic_problems(config: dict[str, Any]) -> list[str]:
    messages = []
    for paper in papers().values():
        section = config[paper.id]
        if paper.kernels is not None:
            for name, spec in section["kernels"].items():
                messages += [p.message(f"{paper.id}.kernels.{name}")
                             for p in paper.kernels.check(name, spec)]
        if messages:
            continue   # experiments' checks build kernels: they need valid specs
        for module in paper.experiments:
            params = section["experiments"][module.NAME]
            messages += [p.message(f"{paper.id}.experiments.{module.NAME}")
                         for p in module.check(params, section)]
    return messages


def load_config(*paths: str | Path) -> dict[str, Any]:
    """Load config files in order (later ones override), validate, and return.

    Parameters
    ----------
    *paths : str or Path
        ``config.yaml`` and presets.

    Returns
    -------
    dict
        The validated configuration.
    """
    config: dict[str, Any] = {}
    for path in paths:
        config = merge(config, load_yaml(path))
    validate_config(config)
    return config


# --- checks shared by the experiments -------------------------------------------------

def grid_problems(key: str, grid: dict[str, Any], minimum: int = 1) -> list[Problem]:
    """A log grid must be ordered and hold at least ``minimum`` values.

    Parameters
    ----------
    key : str
        The grid's key (relative).
    grid : dict
        ``{log10_min, log10_max, per_decade}``.
    minimum : int
        Fewest values needed.

    Returns
    -------
    list of Problem
        Empty if the grid is valid.
    """
    if grid["log10_min"] > grid["log10_max"]:
        return [Problem(f"{key}.log10_min", grid["log10_min"],
                        f"at most log10_max = {grid['log10_max']}")]
    count = len(log_grid(grid))
    if count < minimum:
        return [Problem(key, grid, f"a grid of at least {minimum} values (this one has "
                                   f"{count}): widen it or raise per_decade")]
    return []


def range_problems(key: str, bounds: list[float]) -> list[Problem]:
    """``[low, high]`` must have ``low < high``.

    Parameters
    ----------
    key : str
        The range's key (relative).
    bounds : list of float
        ``[low, high]``.

    Returns
    -------
    list of Problem
        Empty if ordered.
    """
    if bounds[0] >= bounds[1]:
        return [Problem(key, bounds, "[low, high] with low < high")]
    return []


def fit_points_problems(key: str, bounds: list[float], values: np.ndarray, what: str,
                        minimum: int = 2) -> list[Problem]:
    """A fit range must hold at least ``minimum`` of the values it fits.

    Parameters
    ----------
    key : str
        The fit range's key (relative).
    bounds : list of float
        ``[low, high]``.
    values : ndarray
        The grid values the fit would use.
    what : str
        What the values are (for the message).
    minimum : int
        Fewest points a fit needs.

    Returns
    -------
    list of Problem
        Empty if enough values fall inside.
    """
    if bounds[0] >= bounds[1]:
        return range_problems(key, bounds)
    inside = int(in_range(np.asarray(values, float), tuple(bounds)).sum())
    if inside < minimum:
        return [Problem(key, bounds, f"a range holding at least {minimum} of the {what} "
                                     f"(it holds {inside}; the grid spans "
                                     f"{np.min(values):.3g} .. {np.max(values):.3g})")]
    return []
