"""``python -m curnn <stage> ...``: the only entry points the workflow calls.

Each stage reads files, calls one library function and writes its outputs atomically.
Parameters arrive as one JSON ``--spec`` (the experiment's config section and the
specs of the kernels it uses), so Snakemake re-runs a job exactly when they change.

Stages: ``check-config``, ``kernel``, ``simulate``, ``measure``, ``aggregate``,
``collect-fits``, ``figure``, ``claims``, ``manuscript``; and ``benchmark`` (not part
of the workflow).  Tables, figures and the manuscript get a provenance sidecar
(:mod:`curnn.provenance`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from curnn import experiments, figures
from curnn.config import ConfigError, load_config
from curnn.io import read_arrays, read_table, write_arrays, write_table
from curnn.kernels import build_kernel, load_kernel, save_kernel
from curnn.manuscript import LatexMissing
from curnn.model import SimulationError
from curnn.provenance import write_provenance


def _spec(text: str) -> dict:
    spec = json.loads(text)
    return spec["params"], spec.get("kernel_specs", {})


def cmd_check_config(args: argparse.Namespace) -> None:
    load_config(*args.configfiles)
    print("configuration is valid")


def cmd_kernel(args: argparse.Namespace) -> None:
    save_kernel(build_kernel(args.name, json.loads(args.spec)), args.out)


def cmd_simulate(args: argparse.Namespace) -> None:
    module = experiments.get(args.experiment)
    params, kernel_specs = _spec(args.spec)
    runs = experiments.shard_of(module.plan(params, kernel_specs), args.shard, args.shards)
    kernels = {k.name: k for k in map(load_kernel, args.kernels)}
    write_arrays(module.simulate(runs, kernels, params), args.out)


def cmd_measure(args: argparse.Namespace) -> None:
    module = experiments.get(args.experiment)
    params, kernel_specs = _spec(args.spec)
    runs = module.plan(params, kernel_specs)
    write_table(module.measure(read_arrays(args.raw), runs, params), args.out)


def cmd_aggregate(args: argparse.Namespace) -> None:
    module = experiments.get(args.experiment)
    params, kernel_specs = _spec(args.spec)
    rows = pd.concat([read_table(p) for p in args.rows], ignore_index=True)
    kernels = {k.name: k for k in map(load_kernel, args.kernels)}
    table, fits = module.aggregate(rows, module.plan(params, kernel_specs), params, kernels)
    write_table(table, args.table)
    write_table(fits, args.fits)
    write_provenance([args.table, args.fits], [*args.rows, *args.kernels], json.loads(args.spec))


def cmd_collect_fits(args: argparse.Namespace) -> None:
    fits = pd.concat([read_table(p) for p in args.inputs], ignore_index=True)
    write_table(fits, args.out)
    write_provenance([args.out], args.inputs, {"stage": "collect-fits"})


def cmd_figure(args: argparse.Namespace) -> None:
    from curnn.figures import style

    module = figures.get(args.figure)
    given = dict(item.split("=", 1) for item in args.tables)
    missing = set(module.TABLES) - set(given)
    if missing:
        raise SystemExit(f"figure {args.figure} needs tables {sorted(missing)}")
    style.apply_style()
    fig = module.plot({key: read_table(given[key]) for key in module.TABLES})
    style.save_figure(fig, args.pdf, args.png, args.dpi)
    write_provenance([args.pdf, args.png], [given[key] for key in module.TABLES],
                     {"figure": args.figure, "dpi": args.dpi})


def _tables(items: list[str]) -> dict[str, str]:
    return dict(item.split("=", 1) for item in items)


def cmd_claims(args: argparse.Namespace) -> None:
    from curnn import claims as claims_mod
    from curnn.io import atomic_write

    paths = _tables(args.tables)
    tables = {key: read_table(path) for key, path in paths.items()}
    checked = claims_mod.evaluate_claims(claims_mod.load_claims(args.claims), tables)
    numbers = claims_mod.evaluate_numbers(args.numbers, tables)
    write_table(checked, args.out)
    texts = {args.claims_tex: claims_mod.claims_latex(checked),
             args.numbers_tex: claims_mod.numbers_latex(numbers, checked),
             args.fits_tex: claims_mod.fits_latex(tables["fits"])}
    for path, text in texts.items():
        with atomic_write(path) as tmp:
            Path(tmp).write_text(text)
    failed = checked[~checked["passed"]]
    for row in failed.itertuples(index=False):
        print(f"claim {row.id}: {row.status} (paper {row.paper_value:.6g}, measured "
              f"{row.measured_value:.6g})", file=sys.stderr)
    write_provenance([args.out, *texts], [*paths.values(), args.claims, args.numbers],
                     {"stage": "claims"})


def cmd_manuscript(args: argparse.Namespace) -> None:
    from curnn.manuscript import build_pdf

    build_pdf(args.tex, args.out, args.epoch)
    write_provenance([args.out], [args.tex, *args.inputs], {"stage": "manuscript",
                                                          "source_date_epoch": args.epoch})


def cmd_benchmark(args: argparse.Namespace) -> None:
    from curnn.benchmark import run_benchmark

    run_benchmark(args.N, tuple(args.batches), tuple(args.dtypes))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m curnn", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="stage", required=True)

    p = sub.add_parser("check-config", help="validate config files (later ones override)")
    p.add_argument("configfiles", nargs="+", type=Path)
    p.set_defaults(func=cmd_check_config)

    p = sub.add_parser("kernel", help="build a kernel's Fourier multipliers")
    p.add_argument("--name", required=True)
    p.add_argument("--spec", required=True, help="JSON of the kernel's config entry")
    p.add_argument("--out", required=True, type=Path)
    p.set_defaults(func=cmd_kernel)

    for name, func, help_ in (("simulate", cmd_simulate, "simulate one shard of runs"),
                              ("measure", cmd_measure, "per-run metrics of one shard"),
                              ("aggregate", cmd_aggregate, "one table and fits per experiment")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--experiment", required=True, choices=sorted(experiments.EXPERIMENTS))
        p.add_argument("--spec", required=True,
                       help='JSON {"params": experiment config, "kernel_specs": {...}}')
        p.set_defaults(func=func)
        if name != "measure":
            p.add_argument("--kernels", nargs="+", required=True, type=Path)
        if name == "simulate":
            p.add_argument("--shard", type=int, required=True)
            p.add_argument("--shards", type=int, required=True)
            p.add_argument("--out", required=True, type=Path)
        elif name == "measure":
            p.add_argument("--raw", required=True, type=Path)
            p.add_argument("--out", required=True, type=Path)
        else:
            p.add_argument("--rows", nargs="+", required=True, type=Path)
            p.add_argument("--table", required=True, type=Path)
            p.add_argument("--fits", required=True, type=Path)

    p = sub.add_parser("collect-fits", help="concatenate the experiments' fit tables")
    p.add_argument("--inputs", nargs="+", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.set_defaults(func=cmd_collect_fits)

    p = sub.add_parser("figure", help="render one figure from tables")
    p.add_argument("--figure", required=True, choices=sorted(figures.FIGURES))
    p.add_argument("--tables", nargs="*", default=[], metavar="KEY=PATH")
    p.add_argument("--dpi", type=int, default=200)
    p.add_argument("--pdf", required=True, type=Path)
    p.add_argument("--png", required=True, type=Path)
    p.set_defaults(func=cmd_figure)

    p = sub.add_parser("claims", help="check the paper's claims against the tables")
    p.add_argument("--tables", nargs="+", required=True, metavar="KEY=PATH")
    p.add_argument("--claims", required=True, type=Path)
    p.add_argument("--numbers", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--claims-tex", required=True, type=Path)
    p.add_argument("--numbers-tex", required=True, type=Path)
    p.add_argument("--fits-tex", required=True, type=Path)
    p.set_defaults(func=cmd_claims)

    p = sub.add_parser("manuscript", help="compile the manuscript with latexmk")
    p.add_argument("--tex", required=True, type=Path)
    p.add_argument("--inputs", nargs="*", default=[], type=Path,
                   help="files the manuscript reads (for the provenance record)")
    p.add_argument("--epoch", type=int, required=True, help="SOURCE_DATE_EPOCH")
    p.add_argument("--out", required=True, type=Path)
    p.set_defaults(func=cmd_manuscript)

    p = sub.add_parser("benchmark", help="site-updates per second vs the FFT floor")
    p.add_argument("--N", type=int, default=1024)
    p.add_argument("--batches", type=int, nargs="+", default=[1, 16, 64, 256])
    p.add_argument("--dtypes", nargs="+", default=["complex64", "complex128"])
    p.set_defaults(func=cmd_benchmark)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (ConfigError, SimulationError, LatexMissing) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
