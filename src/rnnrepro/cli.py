"""``python -m rnnrepro <stage> ...``: the only entry points the workflow calls.

Each stage checks the files it reads against the checksums their jobs recorded
(:func:`rnnrepro.provenance.verify_inputs`), calls one library function, writes its
outputs atomically and a provenance sidecar beside each.  Parameters arrive as one
JSON ``--params`` holding only the config keys the stage reads, so Snakemake re-runs a
job exactly when they change.

Stages: ``check-config``, ``kernel``, ``plan``, ``simulate``, ``measure``,
``aggregate``, ``derive``, ``collect-fits``, ``figure``, ``claims``, ``manuscript``;
and, outside the workflow, ``benchmark``, ``fingerprints``, ``readme`` and ``docs``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rnnrepro import registry
from rnnrepro.config import ConfigError, load_config
from rnnrepro.experiments import SimulationError, concat_rows, shard_of
from rnnrepro.io import atomic_write, read_arrays, read_table, write_arrays, write_table
from rnnrepro.manuscript import LatexMissing
from rnnrepro.provenance import DamagedInput, verify_inputs, write_provenance

__all__ = ["build_parser", "main"]


def _items(items: list[str]) -> dict[str, str]:
    return dict(item.split("=", 1) for item in items)


def _load_kernels(paper: registry.Paper, paths: list[Path]) -> dict:
    if paper.kernels is None or not paths:
        return {}
    return {k.name: k for k in map(paper.kernels.load, paths)}


def cmd_check_config(args: argparse.Namespace) -> None:
    load_config(*args.configfiles)
    print("configuration is valid")


def cmd_kernel(args: argparse.Namespace) -> None:
    paper = registry.paper(args.paper)
    spec = json.loads(args.spec)
    paper.kernels.save(paper.kernels.build(args.name, spec), args.out)
    write_provenance([args.out], [], {"kernel": args.name, "spec": spec})


def cmd_plan(args: argparse.Namespace) -> None:
    paper = registry.paper_of_experiment(args.experiment)
    module = paper.experiment(args.experiment)
    verify_inputs(args.kernels)
    params = json.loads(args.params)
    write_table(module.plan(params, _load_kernels(paper, args.kernels)), args.out)
    write_provenance([args.out], args.kernels, params)


def cmd_simulate(args: argparse.Namespace) -> None:
    paper = registry.paper_of_experiment(args.experiment)
    module = paper.experiment(args.experiment)
    verify_inputs([args.plan, *args.kernels])
    params = json.loads(args.params)
    runs = shard_of(read_table(args.plan), args.shard, args.shards)
    if len(runs):
        raw = module.simulate(runs, _load_kernels(paper, args.kernels), params)
    else:   # more shards than runs: an empty shard is valid and changes nothing
        raw = {"run_id": runs["run_id"].to_numpy().astype(str)}
    write_arrays(raw, args.out)
    write_provenance([args.out], [args.plan, *args.kernels], params)


def cmd_measure(args: argparse.Namespace) -> None:
    paper = registry.paper_of_experiment(args.experiment)
    module = paper.experiment(args.experiment)
    verify_inputs([args.raw, args.plan, *args.kernels])
    params = json.loads(args.params)
    raw = read_arrays(args.raw)
    runs = read_table(args.plan)
    if len(raw["run_id"]):
        rows = module.measure(raw, runs, _load_kernels(paper, args.kernels), params)
    else:
        rows = runs.iloc[:0]
    write_table(rows, args.out)
    write_provenance([args.out], [args.raw, args.plan, *args.kernels], params)


def cmd_aggregate(args: argparse.Namespace) -> None:
    paper = registry.paper_of_experiment(args.experiment)
    module = paper.experiment(args.experiment)
    verify_inputs([*args.rows, args.plan, *args.kernels])
    params = json.loads(args.params)
    rows = concat_rows([read_table(p) for p in args.rows])
    table, fits = module.aggregate(rows, read_table(args.plan),
                                   _load_kernels(paper, args.kernels), params)
    write_table(table, args.table)
    write_table(fits, args.fits)
    write_provenance([args.table, args.fits], [*args.rows, args.plan, *args.kernels], params)


def cmd_derive(args: argparse.Namespace) -> None:
    module = registry.experiment(args.experiment)
    verify_inputs([args.table])
    write_table(module.DERIVED[args.name](read_table(args.table)), args.out)
    write_provenance([args.out], [args.table], {"derived": args.name})


FITS_DESCRIPTION = (
    "Every law fitted to the simulations, one row per fit: the measured exponent and "
    "prefactor with their standard errors, the fit range and residual, beside the exact "
    "theory over the same range and the asymptotic law.")
CLAIMS_DESCRIPTION = (
    "Each quantitative statement of the paper checked against this build's tables: the "
    "paper's value, the measured value, the tolerance and the verdict (PASS / FAIL for "
    "results, MATCH / DIFFERS for the set-up, NOT REPRODUCIBLE with its reason).")


def cmd_collect_fits(args: argparse.Namespace) -> None:
    import pandas as pd

    from rnnrepro.report import write_html_table

    verify_inputs(args.inputs)
    fits = pd.concat([read_table(p) for p in args.inputs], ignore_index=True)
    write_table(fits, args.out)
    write_html_table(fits.dropna(axis="columns", how="all"), args.html,
                     f"Fitted laws: {registry.paper(args.paper).reference}", FITS_DESCRIPTION)
    write_provenance([args.out, args.html], args.inputs, {"stage": "collect-fits"})


def cmd_figure(args: argparse.Namespace) -> None:
    from rnnrepro import style

    paper = registry.paper_of_figure(args.figure)
    module = paper.figure(args.figure)
    given = _items(args.tables)
    missing = set(module.TABLES) - set(given)
    if missing:
        raise SystemExit(f"figure {args.figure} needs tables {sorted(missing)}")
    verify_inputs([*given.values(), *args.kernels])
    options = json.loads(args.options)
    style.apply_style()
    fig = module.plot({key: read_table(given[key]) for key in module.TABLES},
                      _load_kernels(paper, args.kernels), options)
    style.save_figure(fig, args.pdf, args.png, args.dpi)
    write_provenance([args.pdf, args.png], [*(given[k] for k in module.TABLES), *args.kernels],
                     {"figure": args.figure, "dpi": args.dpi, "options": options})


def cmd_claims(args: argparse.Namespace) -> None:
    from rnnrepro import claims as claims_mod
    from rnnrepro.report import write_html_table

    paper = registry.paper(args.paper)
    paths = _items(args.tables)
    verify_inputs(paths.values())
    tables = {key: read_table(path) for key, path in paths.items()}
    checked = claims_mod.evaluate_claims(claims_mod.load_claims(args.claims), tables)
    numbers = claims_mod.evaluate_numbers(args.numbers, tables)
    figures = [(m.NAME, f"{args.figures_dir}/{m.NAME}.pdf", m.CAPTION) for m in paper.figures]
    write_table(checked, args.out)
    write_html_table(checked, args.html, f"Claims: {paper.reference}", CLAIMS_DESCRIPTION,
                     status_column="status")
    texts = {args.claims_tex: claims_mod.claims_latex(checked),
             args.numbers_tex: claims_mod.numbers_latex(numbers, checked),
             args.fits_tex: claims_mod.fits_latex(tables["fits"]),
             args.figures_tex: claims_mod.figures_latex(figures)}
    for path, text in texts.items():
        with atomic_write(path) as tmp:
            Path(tmp).write_text(text)
    failed = checked[~checked["passed"]]
    for row in failed.itertuples(index=False):
        print(f"claim {row.id}: {row.status} (paper {row.paper_value:.6g}, measured "
              f"{row.measured_value:.6g})", file=sys.stderr)
    write_provenance([args.out, args.html, *texts],
                     [*paths.values(), args.claims, args.numbers],
                     {"stage": "claims", "paper": args.paper})


def cmd_manuscript(args: argparse.Namespace) -> None:
    from rnnrepro.manuscript import build_pdf

    verify_inputs(args.inputs)
    build_pdf(args.tex, args.out, args.epoch)
    write_provenance([args.out], [args.tex, *args.inputs], {"stage": "manuscript",
                                                          "source_date_epoch": args.epoch})


def cmd_benchmark(args: argparse.Namespace) -> None:
    if args.paper == "chandra2024":
        from rnnrepro.chandra2024.benchmark import run_benchmark

        run_benchmark(args.N or 1024, tuple(args.batches), tuple(args.dtypes))
        return
    import numpy as np

    from rnnrepro.clark2025.model import benchmark

    if args.cost:
        from rnnrepro.clark2025.cost import SOLVER_ROW, cost_table
        from rnnrepro.config import load_config

        table = cost_table(load_config(*args.cost))
        print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        solver = table["experiment"] == SOLVER_ROW
        print(f"total: {table['cpu_hours'].sum():.4g} CPU-hours (one core per job) for "
              f"{table.loc[~solver, 'networks'].sum()} networks and "
              f"{table.loc[solver, 'networks'].sum()} sampled solves (rows "
              f"{SOLVER_ROW}: N is 0, trajectories are the solver's paths)")
        return
    print(f"{'N':>5} {'traj':>5} {'dtype':>8} {'s/step':>9} {'floor s/step':>12} "
          f"{'ratio':>6} {'traj-time/s':>11}   (ratio: matmul floor / step; 1 = bound)")
    for n in ([args.N] if args.N else [500, 1000, 2000]):
        for dtype in ("float32", "float64"):
            r = benchmark(n, trajectories=64, dtype=np.dtype(dtype))
            print(f"{n:>5} {64:>5} {dtype:>8} {r['seconds_per_step']:>9.3g} "
                  f"{r['floor_seconds_per_step']:>12.3g} {r['floor_ratio']:>6.2f} "
                  f"{r['traj_time_units_per_s']:>11.4g}", flush=True)


def cmd_fingerprints(args: argparse.Namespace) -> None:
    from rnnrepro.stages import stage_fingerprints

    for name, digest in stage_fingerprints().items():
        print(f"{digest[:16]}  {name}")


def cmd_readme(args: argparse.Namespace) -> None:
    from rnnrepro.readme import make_thumbnails, update_readme

    if args.thumbnails:
        for path in make_thumbnails(args.thumbnails):
            print(f"wrote {path}")
    changed = update_readme(args.readme, check=args.check)
    if args.check and changed:
        raise SystemExit(f"{args.readme} is out of date: run `python -m rnnrepro readme`")


def cmd_docs(args: argparse.Namespace) -> None:
    from rnnrepro.docsgen import write_docs

    changed = write_docs(check=args.check)
    if args.check and changed:
        raise SystemExit(f"out of date: {[str(p) for p in changed]}: run `python -m "
                         "rnnrepro docs`")


def _experiment_stage(sub, name: str, func, help_: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_)
    p.add_argument("--experiment", required=True)
    p.add_argument("--params", required=True, help="JSON of the config keys the stage reads")
    p.add_argument("--kernels", nargs="*", default=[], type=Path)
    p.set_defaults(func=func)
    return p


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per stage.

    Returns
    -------
    argparse.ArgumentParser
        The parser.
    """
    parser = argparse.ArgumentParser(prog="python -m rnnrepro", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="stage", required=True)

    p = sub.add_parser("check-config", help="validate config files (later ones override)")
    p.add_argument("configfiles", nargs="+", type=Path)
    p.set_defaults(func=cmd_check_config)

    p = sub.add_parser("kernel", help="build one kernel of a paper")
    p.add_argument("--paper", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--spec", required=True, help="JSON of the kernel's config entry")
    p.add_argument("--out", required=True, type=Path)
    p.set_defaults(func=cmd_kernel)

    p = _experiment_stage(sub, "plan", cmd_plan, "one row per run of an experiment")
    p.add_argument("--out", required=True, type=Path)
    p = _experiment_stage(sub, "simulate", cmd_simulate, "simulate one shard of runs")
    p.add_argument("--plan", required=True, type=Path)
    p.add_argument("--shard", type=int, required=True)
    p.add_argument("--shards", type=int, required=True)
    p.add_argument("--out", required=True, type=Path)
    p = _experiment_stage(sub, "measure", cmd_measure, "per-run metrics of one shard")
    p.add_argument("--plan", required=True, type=Path)
    p.add_argument("--raw", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p = _experiment_stage(sub, "aggregate", cmd_aggregate, "one table and fits per experiment")
    p.add_argument("--plan", required=True, type=Path)
    p.add_argument("--rows", nargs="+", required=True, type=Path)
    p.add_argument("--table", required=True, type=Path)
    p.add_argument("--fits", required=True, type=Path)

    p = sub.add_parser("derive", help="a table derived from an experiment's table")
    p.add_argument("--experiment", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--table", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.set_defaults(func=cmd_derive)

    p = sub.add_parser("collect-fits", help="concatenate the experiments' fit tables")
    p.add_argument("--paper", required=True)
    p.add_argument("--inputs", nargs="+", required=True, type=Path)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--html", required=True, type=Path, help="the table for the report")
    p.set_defaults(func=cmd_collect_fits)

    p = sub.add_parser("figure", help="render one figure from tables")
    p.add_argument("--figure", required=True)
    p.add_argument("--tables", nargs="*", default=[], metavar="KEY=PATH")
    p.add_argument("--kernels", nargs="*", default=[], type=Path)
    p.add_argument("--options", default="{}", help="JSON of the figure's config options")
    p.add_argument("--dpi", type=int, default=200)
    p.add_argument("--pdf", required=True, type=Path)
    p.add_argument("--png", required=True, type=Path)
    p.set_defaults(func=cmd_figure)

    p = sub.add_parser("claims", help="check a paper's claims against its tables")
    p.add_argument("--paper", required=True)
    p.add_argument("--tables", nargs="+", required=True, metavar="KEY=PATH")
    p.add_argument("--claims", required=True, type=Path)
    p.add_argument("--numbers", required=True, type=Path)
    p.add_argument("--figures-dir", required=True)
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--html", required=True, type=Path, help="the table for the report")
    p.add_argument("--claims-tex", required=True, type=Path)
    p.add_argument("--numbers-tex", required=True, type=Path)
    p.add_argument("--fits-tex", required=True, type=Path)
    p.add_argument("--figures-tex", required=True, type=Path)
    p.set_defaults(func=cmd_claims)

    p = sub.add_parser("manuscript", help="compile a manuscript with latexmk")
    p.add_argument("--tex", required=True, type=Path)
    p.add_argument("--inputs", nargs="*", default=[], type=Path,
                   help="files the manuscript reads (checked, and recorded in provenance)")
    p.add_argument("--epoch", type=int, required=True, help="SOURCE_DATE_EPOCH")
    p.add_argument("--out", required=True, type=Path)
    p.set_defaults(func=cmd_manuscript)

    p = sub.add_parser("benchmark", help="a paper's simulator against its floor (FFT pair, "
                                         "matrix product)")
    p.add_argument("--paper", choices=["chandra2024", "clark2025"], default="chandra2024")
    p.add_argument("--N", type=int, default=None, help="default: 1024 (chandra2024), "
                                                       "500 1000 2000 (clark2025)")
    p.add_argument("--batches", type=int, nargs="+", default=[1, 16, 64, 256])
    p.add_argument("--dtypes", nargs="+", default=["complex64", "complex128"])
    p.add_argument("--cost", nargs="+", type=Path, metavar="CONFIG",
                   help="clark2025: the CPU time of these merged config files, from short "
                        "timed runs at each of their network shapes")
    p.set_defaults(func=cmd_benchmark)

    p = sub.add_parser("fingerprints", help="the code fingerprint of every stage")
    p.set_defaults(func=cmd_fingerprints)

    p = sub.add_parser("docs", help="regenerate docs/config.md and docs/api.md")
    p.add_argument("--check", action="store_true", help="fail if they are out of date")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("readme", help="regenerate the README's figure table")
    p.add_argument("--readme", type=Path, default=registry.REPO / "README.md")
    p.add_argument("--check", action="store_true", help="fail if it is out of date")
    p.add_argument("--thumbnails", type=Path, metavar="RESULTS",
                   help="first make docs/thumbnails/ from the PNGs of a build's results/")
    p.set_defaults(func=cmd_readme)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one stage; print a one-line error (no traceback) for expected failures.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status.
    """
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except (ConfigError, LatexMissing, DamagedInput, SimulationError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
