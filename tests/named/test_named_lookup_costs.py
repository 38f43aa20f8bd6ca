"""What a named-potential lookup costs: every command reads its potential's
file once and builds a family once (issue 8, item 2); ``@NAME`` reads
``NAME.toml`` alone, so a huge or broken file costs nothing to a lookup that
does not name it, and a file over 1 MiB is refused naming the file (issue 15,
item 14)."""

import json
import pathlib
from collections import Counter
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from gradcli.cli.app import app
from gradcli.errors import PotentialFileError, UnknownPotentialError
from gradcli.named import FAMILIES, MAX_FILE_BYTES, find_potential, list_potentials, load, resolve

ENV = {"NO_COLOR": None, "FORCE_COLOR": None, "COLUMNS": "200", "GRADCLI_POTENTIALS": None}


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env=ENV)


@pytest.fixture
def opened(monkeypatch):
    """Counts ``Path.open`` calls by file name: every read of a potential file goes through it."""
    counts = Counter()
    real_open = pathlib.Path.open

    def counting_open(self, *args, **kwargs):
        counts[self.name] += 1
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", counting_open)
    return counts


@pytest.fixture
def built(monkeypatch):
    """Counts family builds by name (each family's ``build`` wrapped)."""
    counts = Counter()
    for name, family in list(FAMILIES.items()):

        def counting_build(n, values, _name=name, _build=family.build):
            counts[_name] += 1
            return _build(n, values)

        monkeypatch.setitem(FAMILIES, name, replace(family, build=counting_build))
    return counts


@pytest.fixture
def compiled(monkeypatch):
    """Counts compilations: ``Potential``, ``VectorFunction`` and ``ParticlePotential`` constructions."""
    from gradcli.frontend.potential import Potential, VectorFunction
    from gradcli.particles import ParticlePotential

    counts = Counter()
    for cls in (Potential, VectorFunction, ParticlePotential):

        def counting_init(self, *args, _cls=cls, _init=cls.__init__, **kwargs):
            counts[_cls.__name__] += 1
            _init(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting_init)
    return counts


MORSE_COMMANDS = [
    ("descend", "@morse"),
    ("descend", "@morse", "--x0", "1.0", "--lr", "0.01", "--steps", "5", "--tol", "0"),
    ("grad", "@morse", "--at", "1"),
    ("force", "@morse", "--at", "1"),
    ("force-constant", "@morse", "--at", "0.7414"),
    ("derivative", "@morse", "--at", "1", "--order", "2"),
    ("jacobian", "@morse", "--at", "1"),
    ("vjp", "@morse", "--at", "1", "--v", "1"),
    ("jvp", "@morse", "--at", "1", "--u", "1"),
    ("potentials", "show", "morse"),
    ("potentials", "show", "morse", "--param", "D=4"),
]


@pytest.mark.parametrize("args", MORSE_COMMANDS, ids=" ".join)
def test_each_command_reads_the_file_once(args, opened, compiled):
    from gradcli.frontend import cache

    for json_flag in ((), ("--json",)):
        opened.clear()
        compiled.clear()
        cache.clear()  # the process keeps compiled potentials (a batch compiles each once): start afresh
        result = run(*args, *json_flag)
        assert result.exit_code == 0, result.stderr
        assert opened["morse.toml"] == 1
        assert sum(opened.values()) == 1, opened  # and no other potential file
        assert sum(compiled.values()) == 1, compiled  # and it is compiled once


LJ_COMMANDS = [
    ("force-constant", "@lj-cluster", "--param", "n=3", "--at", "0,0,0,1.1,0,0,0,1.1,0"),
    ("force-constant", "@lj-cluster", "--param", "n=2", "--at", "0,0,0,1.122462048309373,0,0"),
    ("descend", "@lj-cluster", "--param", "n=3", "--steps", "3", "--tol", "0"),
    ("grad", "@lj-cluster", "--param", "n=2", "--at", "0,0,0,1,0,0"),
    ("potentials", "show", "lj-cluster", "--param", "n=3"),
    ("potentials", "show", "rosenbrock-nd"),
]


@pytest.mark.parametrize("args", LJ_COMMANDS, ids=" ".join)
def test_each_command_builds_the_family_once(args, built, opened, compiled):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    assert sum(compiled.values()) == 1, compiled
    assert sum(built.values()) == 1 and built[args[2] if args[0] == "potentials" else args[1][1:]] == 1, built
    assert sum(opened.values()) == 0, opened  # a family is no file, and no file is read to find it


def test_the_python_api_reads_once_and_builds_once(opened, built):
    morse = load("morse", D=4.0)
    _ = (morse.potential, morse.start, morse.stationary, morse.units, morse.masses, morse.descent_settings())
    lj = load("lj-cluster", n=4, eps=2.0)
    _ = (lj.potential, lj.start, lj.stationary, lj.zero_modes, lj.descent_settings())
    assert dict(opened) == {"morse.toml": 1}
    assert dict(built) == {"lj-cluster": 1}


# --- lookup by name first ----------------------------------------------------------------------


@pytest.fixture
def cluttered(tmp_path):
    """A folder with a 30 MB file, a broken one and a good one."""
    folder = tmp_path / "clutter"
    folder.mkdir()
    with (folder / "huge.toml").open("w", encoding="utf-8") as out:
        out.write('name = "huge"\n# ' + "x" * (30 << 20) + "\n")
    (folder / "broken.toml").write_text('name = "broken"\nexpression = \n', encoding="utf-8")
    (folder / "well.toml").write_text(
        'name = "well"\ndescription = "d"\nexpression = "x**2"\nvariables = ["x"]\nstart = [1.0]\n', encoding="utf-8"
    )
    return folder


def test_a_lookup_reads_only_the_file_it_names(cluttered, opened):
    assert resolve("@well", {}, [cluttered]).expression == "x**2"
    assert resolve("@morse", {}, [cluttered]).name == "morse"
    assert dict(opened) == {"well.toml": 1, "morse.toml": 1}


def test_a_miss_reads_no_file_and_still_suggests(cluttered, opened):
    with pytest.raises(UnknownPotentialError, match="unknown potential '@wel'; did you mean '@well'?"):
        resolve("@wel", {}, [cluttered])
    # Suggestions come from file names: a broken file's name is still a name.
    with pytest.raises(UnknownPotentialError, match="did you mean '@broken'?"):
        resolve("@brokn", {}, [cluttered])
    assert sum(opened.values()) == 0, opened


def test_a_file_over_the_cap_is_refused_naming_it(cluttered):
    message = f"{cluttered / 'huge.toml'}: larger than 1 MiB, the most a potential file may be"
    with pytest.raises(PotentialFileError) as raised:
        find_potential("huge", [cluttered])
    assert raised.value.message == message
    result = run("grad", "@huge", "--at", "1", "--potentials-dir", cluttered, "--json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"] == {"kind": "potential-file", "message": message}
    assert result.stderr == f"error: {message}\n"


def test_a_file_exactly_at_the_cap_is_read(tmp_path):
    head = 'name = "edge"\ndescription = "d"\nexpression = "x**2"\nvariables = ["x"]\nstart = [1.0]\n# '
    (tmp_path / "edge.toml").write_bytes((head + "x" * (MAX_FILE_BYTES - len(head) - 1) + "\n").encode())
    assert (tmp_path / "edge.toml").stat().st_size == MAX_FILE_BYTES
    assert find_potential("edge", [tmp_path]).expression == "x**2"
    with (tmp_path / "edge.toml").open("ab") as out:
        out.write(b"#")
    with pytest.raises(PotentialFileError, match="edge.toml: larger than 1 MiB"):
        find_potential("edge", [tmp_path])


def test_a_listing_reports_the_big_and_broken_files_and_lists_the_rest(cluttered):
    errors = []
    names = {spec.name for spec in list_potentials([cluttered], errors=errors)}
    assert {"well", "morse", "lj-cluster"} <= names and not {"huge", "broken"} & names
    assert sorted(e.message.split(": ")[1] for e in errors) == [
        "larger than 1 MiB, the most a potential file may be",
        "not valid TOML",
    ]
    result = run("potentials", "--potentials-dir", cluttered)
    assert result.exit_code == 0
    assert "huge.toml: larger than 1 MiB" in result.stderr and "@well" in result.stdout


def test_too_many_stationary_points_are_refused(tmp_path):
    entry = '[[stationary]]\npoint = [0.0]\nvalue = 0.0\nkind = "minimum"\n'
    (tmp_path / "many.toml").write_text(
        'name = "many"\ndescription = "d"\nexpression = "x**2"\nvariables = ["x"]\nstart = [1.0]\n' + entry * 1001,
        encoding="utf-8",
    )
    with pytest.raises(PotentialFileError, match=r"many.toml: field 'stationary' has 1001 entries; at most 1000"):
        find_potential("many", [tmp_path])
