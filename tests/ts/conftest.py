"""Fixtures for tests/ts: no user potentials; the Müller-Brown potential."""

import pytest
from ts_helpers import named

from gradcli.named import ENV_VAR


@pytest.fixture(autouse=True)
def _no_user_potentials(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture(scope="module")
def muller_brown():
    return named("muller-brown")
