import tomllib
from importlib import resources

import pytest

from gradcli.frontend import Potential


def _named(name: str):
    text = resources.files("gradcli.builtin_potentials").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    spec = tomllib.loads(text)
    return Potential(spec["expression"], variables=spec["variables"]), spec


@pytest.fixture(scope="session")
def muller_brown():
    return _named("muller-brown")


@pytest.fixture(scope="session")
def himmelblau():
    return _named("himmelblau")
