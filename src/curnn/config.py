"""Loading and validating the pipeline configuration.

The schema (``workflow/schemas/config.schema.yaml``) rejects wrong types, unknown keys
and out-of-range values; :func:`validate_config` adds the checks a schema cannot
express (names that must refer to a kernel, ranges that must be ordered).  Every
error names the offending key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import yaml

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"


class ConfigError(ValueError):
    """An invalid configuration; the message names the key and what is allowed."""


def load_yaml(path: str | Path) -> dict[str, Any]:
    with open(path) as fh:
        return yaml.safe_load(fh) or {}


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Recursive merge (as Snakemake does for ``--configfile``): override wins."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _key(path) -> str:
    return ".".join(str(p) for p in path) or "<top level>"


def validate_config(config: dict[str, Any], schema_path: str | Path = SCHEMA_PATH) -> None:
    """Raise :class:`ConfigError` naming the first invalid key (all errors listed)."""
    schema = load_yaml(schema_path)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.path)))
    problems = [f"config key '{_key(e.path)}': {e.message}" for e in errors]
    if not problems:
        problems = _semantic_problems(config)
    if problems:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))


def _semantic_problems(config: dict[str, Any]) -> list[str]:
    problems = []
    kernels = config["kernels"]
    for name, params in config["experiments"].items():
        prefix = f"experiments.{name}"
        if "kernel" in params and params["kernel"] not in kernels:
            problems.append(f"config key '{prefix}.kernel': {params['kernel']!r} is not "
                            f"one of the kernels {sorted(kernels)}")
        grid = params.get("inputs")
        if grid and grid["log10_min"] > grid["log10_max"]:
            problems.append(f"config key '{prefix}.inputs': log10_min must not exceed "
                            "log10_max")
        fit_range = params.get("fit_range")
        if fit_range and fit_range[0] >= fit_range[1]:
            problems.append(f"config key '{prefix}.fit_range': the first value must be "
                            "below the second")
    resonance = config["experiments"].get("resonance", {})
    for sweep_name, sweep in resonance.get("sweeps", {}).items():
        prefix = f"experiments.resonance.sweeps.{sweep_name}.kernel"
        if sweep["kernel"] not in kernels:
            problems.append(f"config key '{prefix}': {sweep['kernel']!r} is not one of the "
                            f"kernels {sorted(kernels)}")
        elif len(kernels[sweep["kernel"]]["shape"]) != 1:
            problems.append(f"config key '{prefix}': the resonance experiment needs a ring "
                            "kernel (shape [N])")
        ramp = sweep["ramp"]
        if ramp["min"] > ramp["max"]:
            problems.append(f"config key 'experiments.resonance.sweeps.{sweep_name}.ramp': "
                            "min must not exceed max")
    for name in resonance.get("solve_sweeps", []):
        if name not in resonance.get("sweeps", {}):
            problems.append(f"config key 'experiments.resonance.solve_sweeps': {name!r} is "
                            f"not one of the sweeps {sorted(resonance.get('sweeps', {}))}")
    for name, range_ in resonance.get("fit_ranges", {}).items():
        if range_[0] >= range_[1]:
            problems.append(f"config key 'experiments.resonance.fit_ranges.{name}': the "
                            "first value must be below the second")
    for name, spec in kernels.items():
        if spec["type"] == "first_neighbour" and len(spec["shape"]) != 2 and \
                ("d" in spec or "e" in spec):
            problems.append(f"config key 'kernels.{name}': coefficients d, e need a 2-D shape")
    for name in ("decay", "length"):
        for i, case in enumerate(config["experiments"].get(name, {}).get("cases", [])):
            problems += _background_case_problems(f"experiments.{name}.cases[{i}].kernel",
                                                  case["kernel"], kernels)
    fixed = config["experiments"].get("fixed_points")
    if fixed and fixed["kernel"] in kernels and kernels[fixed["kernel"]]["type"] != "laplacian":
        problems.append("config key 'experiments.fixed_points.kernel': needs a laplacian "
                        "kernel (lambda_0 = 1 keeps the uniform mode on the map of Fig. 3)")
    return problems


def _background_case_problems(key: str, name: str, kernels: dict[str, Any]) -> list[str]:
    """A background case needs a Laplacian ring or square torus with ``4 alpha dim < 2 pi``.

    ``lambda_k = exp(-i alpha eps(k))`` with ``eps <= 4 dim``: once ``4 alpha dim`` reaches
    ``2 pi`` a whole shell of modes has ``lambda_k = 1`` again and is as marginal as the
    uniform mode, and the static response gains a second, oscillating long-range part.
    """
    if name not in kernels:
        return [f"config key '{key}': {name!r} is not one of the kernels {sorted(kernels)}"]
    spec = kernels[name]
    if spec["type"] != "laplacian":
        return [f"config key '{key}': {name!r} must be a laplacian kernel (lambda_0 = 1 keeps "
                "the uniform background state)"]
    shape = spec["shape"]
    if len(set(shape)) != 1:
        return [f"config key '{key}': the torus {name!r} must be square, got shape {shape}"]
    if 4 * abs(spec["alpha"]) * len(shape) >= 2 * np.pi:
        limit = np.pi / (2 * len(shape))
        return [f"config key '{key}': kernel {name!r} needs |alpha| < pi / {2 * len(shape)} = "
                f"{limit:.4f} in {len(shape)}D (a shell of modes with lambda = 1 would be "
                "marginal too), got alpha = {spec['alpha']}"]
    return []


def load_config(*paths: str | Path, schema_path: str | Path = SCHEMA_PATH) -> dict[str, Any]:
    """Load config files in order (later ones override), validate, and return."""
    config: dict[str, Any] = {}
    for path in paths:
        config = merge(config, load_yaml(path))
    validate_config(config, schema_path)
    return config
