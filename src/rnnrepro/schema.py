"""Building blocks of the configuration schema (JSON Schema, draft 2020-12).

Each experiment declares its config section next to its code with these helpers,
every key with a description; :func:`rnnrepro.config.config_schema` assembles the
whole schema from the papers, and the configuration reference in ``docs/`` is
generated from the same descriptions.  Every key is required unless a section says
otherwise: a configuration states every parameter of the runs it defines.
"""

from __future__ import annotations

from typing import Any

__all__ = ["integer", "number", "positive", "fraction", "choice", "string", "boolean",
           "array", "section", "mapping", "log_grid", "positive_range", "DTYPE", "SHARDS"]


def integer(description: str, minimum: int | None = 1, maximum: int | None = None) -> dict:
    """An integer (``2.0`` is refused) in ``[minimum, maximum]``.

    Parameters
    ----------
    description : str
        What the key means, with units.
    minimum, maximum : int or None
        Inclusive bounds (None: unbounded).

    Returns
    -------
    dict
        The schema.
    """
    out: dict[str, Any] = {"type": "integer", "description": description}
    if minimum is not None:
        out["minimum"] = minimum
    if maximum is not None:
        out["maximum"] = maximum
    return out


def number(description: str, *, minimum: float | None = None,
           maximum: float | None = None, exclusive_minimum: float | None = None,
           exclusive_maximum: float | None = None) -> dict:
    """A finite real number within the given bounds.

    Parameters
    ----------
    description : str
        What the key means, with units.
    minimum, maximum, exclusive_minimum, exclusive_maximum : float or None
        Bounds (None: unbounded).

    Returns
    -------
    dict
        The schema.
    """
    out: dict[str, Any] = {"type": "number", "description": description}
    for key, value in (("minimum", minimum), ("maximum", maximum),
                       ("exclusiveMinimum", exclusive_minimum),
                       ("exclusiveMaximum", exclusive_maximum)):
        if value is not None:
            out[key] = value
    return out


def positive(description: str) -> dict:
    """A number above 0.

    Parameters
    ----------
    description : str
        What the key means.

    Returns
    -------
    dict
        The schema.
    """
    return number(description, exclusive_minimum=0)


def fraction(description: str) -> dict:
    """A number strictly between 0 and 1.

    Parameters
    ----------
    description : str
        What the key means.

    Returns
    -------
    dict
        The schema.
    """
    return number(description, exclusive_minimum=0, exclusive_maximum=1)


def choice(description: str, values: list[Any]) -> dict:
    """One of ``values``.

    Parameters
    ----------
    description : str
        What the key means.
    values : list
        The allowed values.

    Returns
    -------
    dict
        The schema.
    """
    return {"description": description, "enum": list(values)}


def string(description: str) -> dict:
    """A string (names of kernels, sweeps ...).

    Parameters
    ----------
    description : str
        What the key means.

    Returns
    -------
    dict
        The schema.
    """
    return {"type": "string", "description": description, "minLength": 1}


def boolean(description: str) -> dict:
    """True or false.

    Parameters
    ----------
    description : str
        What the key means.

    Returns
    -------
    dict
        The schema.
    """
    return {"type": "boolean", "description": description}


def array(description: str, items: dict, min_items: int | None = None,
          max_items: int | None = None) -> dict:
    """A list of ``items``.

    Parameters
    ----------
    description : str
        What the list holds.
    items : dict
        Schema of each element.
    min_items, max_items : int or None
        Length bounds.

    Returns
    -------
    dict
        The schema.
    """
    out: dict[str, Any] = {"type": "array", "description": description, "items": items}
    if min_items is not None:
        out["minItems"] = min_items
    if max_items is not None:
        out["maxItems"] = max_items
    return out


def section(description: str, properties: dict[str, dict],
            optional: tuple[str, ...] = ()) -> dict:
    """An object with exactly these keys (all required but ``optional``).

    Parameters
    ----------
    description : str
        What the section configures.
    properties : dict of str to dict
        Schema of each key.
    optional : tuple of str
        Keys that may be left out.

    Returns
    -------
    dict
        The schema.
    """
    return {"type": "object", "description": description, "additionalProperties": False,
            "required": [k for k in properties if k not in optional],
            "properties": properties}


def mapping(description: str, values: dict, min_properties: int = 1) -> dict:
    """An object of user-chosen names, each value following ``values``.

    Parameters
    ----------
    description : str
        What the names stand for.
    values : dict
        Schema of each value.
    min_properties : int
        Fewest entries.

    Returns
    -------
    dict
        The schema.
    """
    return {"type": "object", "description": description, "minProperties": min_properties,
            "additionalProperties": values, "propertyNames": {"pattern": r"^[A-Za-z0-9_]+$"}}


def log_grid(description: str) -> dict:
    """A log grid ``10^(log10_min + k / per_decade)``, ``k = 0, 1, ...`` up to ``log10_max``.

    Parameters
    ----------
    description : str
        What the grid's values are.

    Returns
    -------
    dict
        The schema.
    """
    return section(description + " (log grid 10^(log10_min + k / per_decade))", {
        "log10_min": number("log10 of the first value"),
        "log10_max": number("log10 of the last value (at least log10_min)"),
        "per_decade": integer("values per decade"),
    })


def positive_range(description: str) -> dict:
    """``[low, high]`` with ``0 < low < high``.

    Parameters
    ----------
    description : str
        What the range bounds.

    Returns
    -------
    dict
        The schema.
    """
    return array(description + " ([low, high], 0 < low < high)",
                 number("bound", exclusive_minimum=0), min_items=2, max_items=2)


DTYPE = choice("floating-point precision of the simulation", ["complex64", "complex128"])
SHARDS = integer("number of simulation jobs; results do not depend on it (empty shards "
                 "are allowed)")
