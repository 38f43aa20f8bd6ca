"""The tests mirror the package: each folder of tests is named after the
subpackage it tests (support, data and reference hold helpers and recorded
anchors, not tests)."""

from pathlib import Path

TESTS = Path(__file__).parent
PACKAGE = TESTS.parent / "gradcli"
NOT_TESTS = {"support", "data", "reference"}


def test_every_test_folder_is_a_subpackage():
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "__"))}
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders - NOT_TESTS <= subpackages, folders - NOT_TESTS - subpackages
    assert not any(any((TESTS / name).glob("test_*.py")) for name in NOT_TESTS)


def test_every_subpackage_has_its_tests():
    subpackages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert all(any((TESTS / name).glob("test_*.py")) for name in subpackages), sorted(
        name for name in subpackages if not any((TESTS / name).glob("test_*.py"))
    )
