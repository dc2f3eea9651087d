# Configuration, validation and path helpers shared by every rule file.
# No science here: the rules only name files and call `python -m curnn <stage>`.

import json
import os
import shlex
import sys
from pathlib import Path

SRC = os.path.join(workflow.basedir, "src")
sys.path.insert(0, SRC)

from curnn import experiments as _experiments  # noqa: E402
from curnn import figures as _figures  # noqa: E402
from curnn.config import validate_config  # noqa: E402
from curnn.manuscript import LATEX_PACKAGES, latex_available  # noqa: E402
from curnn.provenance import sidecar_path  # noqa: E402

# Bad input stops here, before any job starts, with a message naming the key.
validate_config(config, os.path.join(workflow.basedir, "workflow/schemas/config.schema.yaml"))

# Jobs run the library that sits beside this Snakefile, with the Python running Snakemake.
CURNN = f"{shlex.quote(sys.executable)} -m curnn"
shell.prefix("export PYTHONPATH=" + shlex.quote(SRC) + "${{PYTHONPATH:+:$PYTHONPATH}}; ")

# The manuscript needs LaTeX; without it the build says so and makes everything else.
LATEX = latex_available()
if not LATEX:
    print("NOTE: latexmk/pdflatex not found, so results/paper/ms.pdf will not be built "
          "(everything else will). Install: apt-get install " + " ".join(LATEX_PACKAGES),
          file=sys.stderr)


def _source_date_epoch():
    """The PDF's date: $SOURCE_DATE_EPOCH, else the time of the checked-out commit."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    import subprocess
    try:
        return int(subprocess.run(["git", "-C", workflow.basedir, "log", "-1", "--format=%ct"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    except (OSError, ValueError, subprocess.CalledProcessError):
        return 0


SOURCE_DATE_EPOCH = _source_date_epoch()

EXPERIMENTS = [name for name in _experiments.EXPERIMENTS if name in config["experiments"]]
FIGURES = {key: module for key, module in _figures.FIGURES.items()}
FIGURE_BY_NAME = {module.NAME: key for key, module in FIGURES.items()}


wildcard_constraints:
    kernel=r"[A-Za-z0-9_\-]+",
    experiment="|".join(EXPERIMENTS),
    shard=r"\d+",
    shards=r"\d+",
    name="|".join(FIGURE_BY_NAME),


def experiment_params(experiment):
    return config["experiments"][experiment]


def experiment_kernels(experiment):
    return _experiments.get(experiment).kernel_names(experiment_params(experiment))


def experiment_spec(experiment):
    """JSON handed to the library: the experiment's section and its kernels' specs."""
    kernels = experiment_kernels(experiment)
    return json.dumps({"params": experiment_params(experiment),
                       "kernel_specs": {k: config["kernels"][k] for k in kernels}},
                      sort_keys=True)


def kernel_files(experiment):
    return [f"results/kernels/{k}.npz" for k in experiment_kernels(experiment)]


def shard_files(experiment, ext):
    n = experiment_params(experiment)["shards"]
    return [f"results/runs/{experiment}/shard-{i}-of-{n}.{ext}" for i in range(n)]


def table_file(key):
    return f"results/tables/{key}.parquet"


def all_tables():
    return [table_file(e) for e in EXPERIMENTS]


def provenance_files(*paths):
    """The provenance sidecars `<path>.prov.json` of outputs."""
    return [str(sidecar_path(p)) for p in paths]


def figure_files(figure):
    name = FIGURES[figure].NAME
    return [f"results/figures/{name}.pdf", f"results/figures/{name}.png"]


def all_figure_files():
    return [f for figure in FIGURES for f in figure_files(figure)]


def figure_tables(figure):
    return {key.replace("/", "_"): table_file(key) for key in FIGURES[figure].TABLES}


def figure_table_args(wildcards, input):
    keys = FIGURES[FIGURE_BY_NAME[wildcards.name]].TABLES
    return " ".join(shlex.quote(f"{key}={input[key.replace('/', '_')]}") for key in keys)
