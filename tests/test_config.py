"""Bad input is refused before any job starts, naming the key, the value and the rule.

The matrix below is checked twice: in-process against :func:`validate_config` (fast),
and end to end, where each configuration must make ``snakemake -n`` exit non-zero
before any job with the key named (``test_every_bad_configuration_stops_a_dry_run``).
"""

import copy
import math
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml

from rnnrepro.config import ConfigError, config_schema, load_config, validate_config

C = "chandra2024"


def fixed(c):
    return c[C]["experiments"]["fixed_points"]


def resonance(c):
    return c[C]["experiments"]["resonance"]


def sweep(c, name):
    return resonance(c)["sweeps"][name]


def decay(c):
    return c[C]["experiments"]["decay"]


def length(c):
    return c[C]["experiments"]["length"]


def kernel(c, name):
    return c[C]["kernels"][name]


# (id, mutation of the tiny config, key named in the message, words of the rule)
BAD = [
    ("decay-grid-reversed", lambda c: decay(c)["cases"][0]["backgrounds"].update(
        log10_min=-1.0, log10_max=-3.0),
     f"{C}.experiments.decay.cases[0].backgrounds.log10_min", "at most log10_max"),
    ("plane-laws-offsets-reversed", lambda c: sweep(c, "plane_laws")["offsets"].update(
        log10_min=0.0, log10_max=-2.0),
     f"{C}.experiments.resonance.sweeps.plane_laws.offsets.log10_min", "at most"),
    ("nan-tolerance", lambda c: sweep(c, "spectrum").update(tol=math.nan),
     f"{C}.experiments.resonance.sweeps.spectrum.tol", "finite"),
    ("infinite-fit-range", lambda c: fixed(c).update(fit_range=[1e-4, math.inf]),
     f"{C}.experiments.fixed_points.fit_range[1]", "finite"),
    ("cap-below-one-window", lambda c: sweep(c, "spectrum").update(max_iter=100),
     f"{C}.experiments.resonance.sweeps.spectrum.max_iter", "windows"),
    ("nan-anywhere", lambda c: kernel(c, "ring2048").update(alpha=math.nan),
     f"{C}.kernels.ring2048.alpha", "finite"),
    ("infinite-decay-factor", lambda c: decay(c).update(decay_factor=-math.inf),
     f"{C}.experiments.decay.decay_factor", "finite"),
    ("float-shards", lambda c: fixed(c).update(shards=2.0),
     f"{C}.experiments.fixed_points.shards", "not of type 'integer'"),
    ("float-per-decade", lambda c: fixed(c)["inputs"].update(per_decade=1.0),
     f"{C}.experiments.fixed_points.inputs.per_decade", "not of type 'integer'"),
    ("bool-shards", lambda c: decay(c).update(shards=True),
     f"{C}.experiments.decay.shards", "not of type 'integer'"),
    ("alpha-zero", lambda c: kernel(c, "ring2048").update(alpha=0.0),
     f"{C}.experiments.decay.cases[0].kernel", "0 < alpha"),
    ("alpha-negative", lambda c: kernel(c, "ring2048").update(alpha=-0.5),
     f"{C}.experiments.length.cases[0].kernel", "0 < alpha"),
    ("torus-too-strong", lambda c: kernel(c, "torus128").update(alpha=1.0),
     f"{C}.experiments.decay.cases[1].kernel", "pi / 4"),
    ("not-anti-hermitian", lambda c: c[C]["kernels"].update(fn={
        "type": "first_neighbour", "shape": [4, 4], "a": 0.5, "b": 1.0, "c": 1.0}),
     f"{C}.kernels.fn", "anti-Hermitian"),
    ("coefficients-d-e-on-a-ring", lambda c: c[C]["kernels"].update(fn={
        "type": "first_neighbour", "shape": [8], "a": [0, 1], "b": 1.0, "c": -1.0,
        "d": 1.0, "e": -1.0}),
     f"{C}.kernels.fn", "two-dimensional"),
    ("fit-start-beyond-lattice", lambda c: length(c).update(fit_start=200),
     f"{C}.experiments.length.fit_start", "half-width"),
    ("fit-range-without-points", lambda c: fixed(c).update(fit_range=[0.2, 0.3]),
     f"{C}.experiments.fixed_points.fit_range", "at least 2"),
    ("decay-fit-range-one-point", lambda c: decay(c).update(fit_range=[5e-3, 2e-2]),
     f"{C}.experiments.decay.fit_range", "at least 2"),
    ("input-too-large", lambda c: fixed(c)["inputs"].update(log10_max=3.0),
     f"{C}.experiments.fixed_points.inputs", "steps to decay"),
    ("background-too-large", lambda c: decay(c)["cases"][0]["backgrounds"].update(
        log10_max=2.0), f"{C}.experiments.decay.cases[0].backgrounds", "steps to decay"),
    ("unknown-experiment-key", lambda c: fixed(c).update(shardz=2),
     f"{C}.experiments.fixed_points", "allowed keys"),
    ("unknown-top-level-key", lambda c: c.update(resonance={"shards": 2}),
     "<top level>", "allowed keys"),
    ("unknown-sweep-key", lambda c: sweep(c, "detail").update(ramp=4),
     f"{C}.experiments.resonance.sweeps.detail", "allowed keys"),
    ("missing-key", lambda c: decay(c).pop("tol"),
     f"{C}.experiments.decay", "'tol' is a required property"),
    ("dtype-unknown", lambda c: fixed(c).update(dtype="complex32"),
     f"{C}.experiments.fixed_points.dtype", "complex64"),
    ("shards-negative", lambda c: fixed(c).update(shards=-2),
     f"{C}.experiments.fixed_points.shards", "less than the minimum"),
    ("shards-zero", lambda c: length(c).update(shards=0),
     f"{C}.experiments.length.shards", "less than the minimum"),
    ("string-for-number", lambda c: decay(c).update(tol="small"),
     f"{C}.experiments.decay.tol", "not of type 'number'"),
    ("kernel-missing", lambda c: fixed(c).update(kernel="nope"),
     f"{C}.experiments.fixed_points.kernel", "one of the kernels"),
    ("fixed-points-on-a-random-kernel", lambda c: kernel(c, "ring16").update(
        type="random", seed=1), f"{C}.experiments.fixed_points.kernel", "laplacian"),
    ("resonance-on-a-torus", lambda c: sweep(c, "detail").update(kernel="torus128"),
     f"{C}.experiments.resonance.sweeps.detail.kernel", "dimension 1"),
    ("resonance-degenerate-kernel", lambda c: sweep(c, "spectrum").update(kernel="ring16"),
     f"{C}.experiments.resonance.sweeps.spectrum.kernel", "distinct"),
    ("solve-unknown-sweep", lambda c: resonance(c).update(solve_sweeps=["lows"]),
     f"{C}.experiments.resonance.solve_sweeps", "one of the sweeps"),
    ("switch-on-reversed", lambda c: sweep(c, "spectrum")["switch_on"].update(
        min=4096, max=1024),
     f"{C}.experiments.resonance.sweeps.spectrum.switch_on.min", "at most switch_on.max"),
    ("fit-ranges-reversed", lambda c: resonance(c)["fit_ranges"].update(weak=[0.1, 1e-3]),
     f"{C}.experiments.resonance.fit_ranges.weak", "low < high"),
    ("fit-range-one-amplitude", lambda c: resonance(c)["fit_ranges"].update(
        paper=[5e-2, 2e-1]), f"{C}.experiments.resonance.fit_ranges.paper", "holds one"),
    ("amplitude-above-one", lambda c: sweep(c, "spectrum").update(amplitudes_log10=[0.5]),
     f"{C}.experiments.resonance.sweeps.spectrum.amplitudes_log10[0]",
     "greater than or equal to the maximum"),
    ("near-omega-beyond-2pi", lambda c: sweep(c, "detail").update(near_omega=[7.0]),
     f"{C}.experiments.resonance.sweeps.detail.near_omega[0]", "maximum"),
    ("far-offset-beyond-pi", lambda c: sweep(c, "site_laws").update(far_offset=4.0),
     f"{C}.experiments.resonance.sweeps.site_laws.far_offset", "maximum"),
    ("detail-too-few-points", lambda c: sweep(c, "detail").update(n_points=2),
     f"{C}.experiments.resonance.sweeps.detail.n_points", "less than the minimum"),
    ("laws-without-offsets", lambda c: sweep(c, "site_laws").pop("offsets"),
     f"{C}.experiments.resonance.sweeps.site_laws", "'offsets' is a required property"),
    ("shape-zero", lambda c: kernel(c, "ring16").update(shape=[0]),
     f"{C}.kernels.ring16.shape[0]", "less than the minimum"),
    ("shape-three-d", lambda c: kernel(c, "ring16").update(shape=[4, 4, 4]),
     f"{C}.kernels.ring16.shape", "too long"),
    ("torus-not-square", lambda c: kernel(c, "torus128").update(shape=[32, 16]),
     f"{C}.kernels.torus128.shape", "square"),
    ("kernel-type-unknown", lambda c: kernel(c, "random256").update(type="gaussian"),
     f"{C}.kernels.random256.type", "laplacian"),
    ("laplacian-without-alpha", lambda c: kernel(c, "ring16").pop("alpha"),
     f"{C}.kernels.ring16", "'alpha' is a required property"),
    ("random-without-seed", lambda c: kernel(c, "random256").pop("seed"),
     f"{C}.kernels.random256", "'seed' is a required property"),
    ("seed-negative", lambda c: kernel(c, "random256").update(seed=-1),
     f"{C}.kernels.random256.seed", "less than the minimum"),
    ("kick-size-zero", lambda c: decay(c).update(kick_size=0.0),
     f"{C}.experiments.decay.kick_size", "less than or equal to the minimum"),
    ("decay-factor-above-one", lambda c: fixed(c).update(decay_factor=1.5),
     f"{C}.experiments.fixed_points.decay_factor", "maximum"),
    ("trace-points-two", lambda c: decay(c).update(trace_points=2),
     f"{C}.experiments.decay.trace_points", "less than the minimum"),
    ("source-above-one", lambda c: length(c).update(source=2.0),
     f"{C}.experiments.length.source", "maximum"),
    ("decay-on-a-random-kernel", lambda c: decay(c)["cases"][0].update(kernel="random256"),
     f"{C}.experiments.decay.cases[0].kernel", "laplacian"),
    ("no-cases", lambda c: length(c).update(cases=[]),
     f"{C}.experiments.length.cases", "should be non-empty"),
    ("no-caption-inputs", lambda c: fixed(c).update(caption_inputs=[]),
     f"{C}.experiments.fixed_points.caption_inputs", "should be non-empty"),
    ("cap-below-check", lambda c: fixed(c).update(max_iter=8),
     f"{C}.experiments.fixed_points.max_iter", "at least check_every"),
    ("dpi-zero", lambda c: c["figures"].update(dpi=0),
     "figures.dpi", "less than the minimum"),
    ("dpi-word", lambda c: c["figures"].update(dpi="high"),
     "figures.dpi", "not of type 'integer'"),
]


#: removals cannot be written as an override file (Snakemake merges override files onto
#: config.yaml, so a removed key comes back): these are checked in-process only
REMOVALS = {"missing-key", "laws-without-offsets", "laplacian-without-alpha",
            "random-without-seed"}


@pytest.fixture()
def tiny_config(repo):
    return load_config(repo / "config.yaml", repo / "config" / "tiny.yaml")


def test_the_matrix_is_large_and_its_ids_unique():
    ids = [case[0] for case in BAD]
    assert len(ids) >= 40 and len(set(ids)) == len(ids)


def test_shipped_configs_are_valid(repo):
    for preset in ("paper.yaml", "tiny.yaml"):
        load_config(repo / "config.yaml", repo / "config" / preset)


@pytest.mark.parametrize("case_id, mutate, key, rule", BAD, ids=[c[0] for c in BAD])
def test_bad_configuration_is_refused_naming_the_key(tiny_config, case_id, mutate, key, rule):
    config = copy.deepcopy(tiny_config)
    mutate(config)
    with pytest.raises(ConfigError) as err:
        validate_config(config)
    message = str(err.value)
    assert f"config key '{key}'" in message, message
    assert rule in message, message


def test_unknown_keys_list_the_allowed_ones(tiny_config):
    fixed(tiny_config)["shardz"] = 2
    with pytest.raises(ConfigError, match=r"allowed keys: \['caption_inputs', 'check_every'"):
        validate_config(tiny_config)


def test_every_key_has_a_description():
    def walk(node, path):
        if isinstance(node, dict):
            if node.get("type") in ("integer", "number", "string", "boolean", "array") \
                    or "enum" in node:
                assert node.get("description"), path
            for key, value in node.items():
                if key in ("properties",):
                    for name, child in value.items():
                        walk(child, f"{path}.{name}")
                elif key in ("items", "additionalProperties") and isinstance(value, dict):
                    walk(value, f"{path}.{key}")
    walk(config_schema(), "config")


@pytest.mark.e2e
def test_every_bad_configuration_stops_a_dry_run(repo, tiny_config, tmp_path):
    """Acceptance: each bad configuration makes `snakemake -n` exit non-zero, before any
    job, naming the key."""
    def dry_run(case):
        case_id, mutate, key, _ = case
        config = copy.deepcopy(tiny_config)
        mutate(config)
        workdir = tmp_path / case_id
        workdir.mkdir()
        (workdir / "config.yaml").write_text(yaml.safe_dump(config))
        # the merged tiny config, mutated, overrides every key of config.yaml it holds
        result = subprocess.run(
            [sys.executable, "-m", "snakemake", "-n", "-s", str(repo / "Snakefile"),
             "--directory", str(workdir), "--configfile", str(workdir / "config.yaml")],
            capture_output=True, text=True, timeout=300)
        return case_id, key, result, (workdir / "results").exists()

    cases = [case for case in BAD if case[0] not in REMOVALS]
    assert len(cases) >= 40
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(dry_run, cases))
    failures = []
    for case_id, key, result, made_results in outcomes:
        text = result.stdout + result.stderr
        if result.returncode == 0 or f"config key '{key}'" not in text or made_results:
            failures.append(f"{case_id}: exit {result.returncode}, key named: "
                            f"{key in text}\n{text[-800:]}")
    assert not failures, "\n\n".join(failures)
