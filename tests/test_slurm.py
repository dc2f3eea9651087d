"""The workflow on a real single-node SLURM (tests/slurm/single_node.sh), against a local run.

Needs root and the Debian packages slurmctld, slurmd, slurm-client and munge
(`tests/slurm/single_node.sh install`; CI installs them).  Where SLURM cannot start,
the tests are skipped with the reason.  Everything the cluster starts is stopped by
PID afterwards, and the test checks that nothing of it is left running.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slurm]

SCRIPT = "tests/slurm/single_node.sh"
PAPER = "chandra2024"
TABLES = ["fixed_points", "resonance", "resonance_laws", "decay", "length", "fits", "claims"]
#: the paper's tables (claims need every one), not its figures and manuscript: the cluster
#: path is the same for every rule, and each job costs seconds of sbatch and polling
TARGET = f"results/{PAPER}/tables/claims.parquet"
#: no accounting database: the plugin's default `sacct` status query would hang
SLURM_FLAGS = ["--slurm-no-account", "--slurm-status-command", "squeue",
               "--slurm-init-seconds-before-status-checks", "2",
               "--seconds-between-status-checks", "2"]


def why_slurm_cannot_start() -> str | None:
    if os.geteuid() != 0:
        return "not root: the test cluster runs its daemons as root"
    missing = [t for t in ("munged", "slurmctld", "slurmd", "sbatch", "squeue")
               if shutil.which(t) is None]
    if missing:
        return f"SLURM not installed (missing {', '.join(missing)}): run {SCRIPT} install"
    try:
        import snakemake_executor_plugin_slurm  # noqa: F401
    except ImportError:
        return "snakemake-executor-plugin-slurm not installed (pip install -e '.[test]')"
    return None


def daemon_pids(state):
    run = state / "run"
    return [int(p.read_text()) for p in run.glob("*.pid")] if run.exists() else []


@pytest.fixture(scope="module")
def cluster(repo, tmp_path_factory):
    reason = why_slurm_cannot_start()
    if reason:
        pytest.skip(reason)
    state = tmp_path_factory.mktemp("slurm")
    started = subprocess.run(["bash", str(repo / SCRIPT), "start", str(state)],
                             capture_output=True, text=True, timeout=180)
    if started.returncode != 0:
        subprocess.run(["bash", str(repo / SCRIPT), "stop", str(state)], timeout=120)
        pytest.skip(f"SLURM could not start: {started.stderr[-2000:]}")
    pids = daemon_pids(state)
    env = {**os.environ, "SLURM_CONF": str(state / "slurm.conf")}
    yield env
    subprocess.run(["bash", str(repo / SCRIPT), "stop", str(state)], timeout=120)
    alive = [pid for pid in pids if os.path.exists(f"/proc/{pid}")]
    assert not alive, f"cluster processes left running: {alive}"


def snakemake(repo, workdir, *args, env=None, slurm=True):
    cmd = [sys.executable, "-m", "snakemake", "-s", str(repo / "Snakefile"),
           "--directory", str(workdir), "--configfile", str(repo / "config" / "tiny.yaml")]
    if slurm:
        cmd += ["--profile", str(repo / "workflow" / "profiles" / "slurm"), *SLURM_FLAGS]
    return cmd + list(args), env


def run(cmd_env, timeout=900):
    cmd, env = cmd_env
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


@pytest.fixture(scope="module")
def local_tables(repo, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("local")
    result = run(snakemake(repo, workdir, "-j2", TARGET, slurm=False))
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir / "results" / PAPER / "tables"


def assert_same_tables(workdir, local_tables):
    for name in TABLES:
        ours = workdir / "results" / PAPER / "tables" / f"{name}.parquet"
        assert ours.read_bytes() == (local_tables / f"{name}.parquet").read_bytes(), name


def test_a_cluster_run_killed_midway_restarts_and_matches_the_local_run(
        repo, cluster, local_tables, tmp_path):
    """One cluster run, killed once its first simulation shards are done, then restarted:
    the jobs go through sbatch (simulation shards in groups), the restart runs only what
    is missing and leaves finished outputs alone, and the tables are the local run's."""
    cmd, env = snakemake(repo, tmp_path, TARGET, env=cluster)
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, start_new_session=True)
    # wait until the first simulation shards are done, then kill the whole run
    shards = tmp_path / "results" / PAPER / "runs"
    deadline = time.time() + 600
    while time.time() < deadline and len(list(shards.glob("*/shard-*.parquet"))) < 2:
        if first.poll() is not None:
            pytest.fail("the run finished before it could be killed:\n"
                        + first.stdout.read()[-3000:])
        time.sleep(1)
    os.killpg(first.pid, signal.SIGTERM)
    first.wait(timeout=120)
    first_log = first.stdout.read()
    subprocess.run(["scancel", "--user=root"], env=cluster, timeout=60)
    done_before = {p: p.read_bytes() for p in (tmp_path / "results").rglob("*.parquet")}
    assert done_before, "nothing finished before the kill"
    assert not (tmp_path / TARGET).exists()

    unlock = run(snakemake(repo, tmp_path, "--unlock", env=cluster))
    assert unlock.returncode == 0, unlock.stderr[-2000:]
    second = run(snakemake(repo, tmp_path, TARGET, env=cluster))
    log = second.stdout + second.stderr
    assert second.returncode == 0, log[-4000:]
    # the jobs went through sbatch (the plugin reports each submission), the simulation
    # shards as group jobs of the profile
    submitted = re.findall(r"submitted with SLURM jobid (\d+)", first_log + log)
    planned = planned_shards(repo)
    assert len(submitted) >= 3, (first_log + log)[-3000:]
    assert "group_shard" in first_log + log
    # the restart ran only the simulations that were missing, with the same results
    rerun = job_count(log, "simulate")
    assert rerun is not None, "no job table in the restart's log:\n" + log[-3000:]
    assert rerun < planned, (rerun, planned)
    for path, content in done_before.items():
        assert path.read_bytes() == content, path
    assert_same_tables(tmp_path, local_tables)


def job_count(log: str, rule: str) -> int | None:
    """Jobs of ``rule`` in Snakemake's "Job stats" table: 0 if the table lists other rules
    only, None if the log holds no such table (so a changed format cannot pass)."""
    match = re.search(r"Job stats:\n.*?\n-+\s+-+\n(.*?)\ntotal\s+\d+", log, re.S)
    if not match:
        return None
    counts = dict(line.split() for line in match.group(1).strip().splitlines())
    return int(counts.get(rule, 0))


def planned_shards(repo) -> int:
    """Simulation jobs of the tiny config."""
    from rnnrepro.config import load_config

    config = load_config(repo / "config.yaml", repo / "config" / "tiny.yaml")
    return sum(e["shards"] for e in config[PAPER]["experiments"].values())
