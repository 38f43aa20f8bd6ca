"""The built-in potentials ship inside the package: after a plain (non-editable)
install they are found through importlib.resources from any folder.

Builds the package the way a wheel is built (setuptools' build_py from
pyproject.toml, in a copy of the source) and imports gradcli from the result
in a fresh interpreter whose working folder is elsewhere."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_built_package_contains_and_finds_the_potentials(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for item in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / item, source / item)
    for folder in ("gradcli", "potentials"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    build_lib = tmp_path / "lib"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from setuptools import setup; setup()",
            "-q",
            "build_py",
            "--build-lib",
            str(build_lib),
        ],
        cwd=source,
        check=True,
        capture_output=True,
    )

    shipped = sorted(p.name for p in (build_lib / "gradcli" / "builtin_potentials").glob("*.toml"))
    assert shipped == sorted(p.name for p in (ROOT / "potentials").glob("*.toml"))

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "from gradcli.named import builtin_dir, list_potentials; "
        "print(builtin_dir()); print(' '.join(p.name for p in list_potentials()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(build_lib), "PATH": ""},
    ).stdout.splitlines()
    assert out[0].startswith(str(build_lib))
    assert {"morse", "muller-brown", "lj-cluster"} <= set(out[1].split())
