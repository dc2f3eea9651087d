import copy

import pytest

from curnn.config import ConfigError, load_config, validate_config


def test_shipped_configs_are_valid(repo):
    for preset in ("paper.yaml", "tiny.yaml"):
        load_config(repo / "config.yaml", repo / "config" / preset)


@pytest.mark.parametrize("mutate, key, detail", [
    (lambda c: c["experiments"]["fixed_points"].update(shards=-1),
     "experiments.fixed_points.shards", "less than the minimum"),
    (lambda c: c["experiments"]["fixed_points"].update(shards="four"),
     "experiments.fixed_points.shards", "not of type 'integer'"),
    (lambda c: c["experiments"]["fixed_points"].update(shardz=2),
     "experiments.fixed_points", "'shardz' was unexpected"),
    (lambda c: c["experiments"]["fixed_points"].update(dtype="complex32"),
     "experiments.fixed_points.dtype", "complex64"),
    (lambda c: c["experiments"]["fixed_points"].update(perturbation=-1e-5),
     "experiments.fixed_points.perturbation", "less than or equal to the minimum"),
    (lambda c: c["kernels"]["ring16"].update(shape=[0]),
     "kernels.ring16.shape.0", "less than the minimum"),
    (lambda c: c["experiments"]["fixed_points"].update(kernel="nope"),
     "experiments.fixed_points.kernel", "not one of the kernels"),
    (lambda c: c["experiments"]["fixed_points"].update(fit_range=[1e-2, 1e-6]),
     "experiments.fixed_points.fit_range", "below the second"),
    (lambda c: c["kernels"]["ring16"].update(type="random", seed=1),
     "experiments.fixed_points.kernel", "needs a laplacian kernel"),
    (lambda c: c["kernels"]["ring16"].pop("alpha"),
     "kernels.ring16", "'alpha' is a required property"),
])
def test_invalid_values_name_the_key(default_config, mutate, key, detail):
    config = copy.deepcopy(default_config)
    mutate(config)
    with pytest.raises(ConfigError) as err:
        validate_config(config)
    assert f"config key '{key}'" in str(err.value)
    assert detail in str(err.value)
