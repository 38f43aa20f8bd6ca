"""Test-wide settings.

Every test runs without the user's GRADCLI_POTENTIALS folder. Under CI (the CI
environment variable is set, as .ci/run's runner does) the hypothesis tests draw
the same examples every run, so a red CI can always be reproduced; on a
developer's machine they keep exploring new ones.
"""

import functools
import os
import sys
from pathlib import Path

import pytest
import typer.testing
from hypothesis import settings

# Helper modules shared by several test folders (cli_helpers, ts_helpers) live in tests/support;
# plain pytest, as CI runs it, puts only each test file's own folder on the path.
sys.path.insert(0, str(Path(__file__).parent / "support"))

# Typer's CliRunner rebuilds the app's click command from every command's signature on each
# invoke, which cost several times a small command's own run; build it once per app, as
# `gradcli batch` does for its jobs.
typer.testing._get_command = functools.cache(typer.testing._get_command)

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _no_user_potentials(monkeypatch):
    monkeypatch.delenv("GRADCLI_POTENTIALS", raising=False)


@pytest.fixture(scope="module")
def muller_brown():
    """The compiled Müller-Brown potential (its listed points: ts_helpers.listed)."""
    from ts_helpers import named

    return named("muller-brown")
