"""Shell completion (issue 14 item 10): command names, options and @NAMEs,
as bash and zsh ask for them (the protocol behind --install-completion)."""

import os
import subprocess
import sys

import pytest
from cli_helpers import invoke

MAIN = "import sys\nfrom gradcli.cli.app import main\nsys.argv = ['gradcli', *sys.argv[1:]]\nmain()\n"

pytestmark = pytest.mark.slow  # every test here starts a real process (the shell's completion call)


def complete(words: str, shell: str = "bash") -> list[str]:
    """What the shell offers after ``words`` (the last word is the one being completed)."""
    env = {**os.environ, "_GRADCLI_COMPLETE": f"complete_{shell}"}
    env.pop("GRADCLI_POTENTIALS", None)
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    else:
        env.update(_TYPER_COMPLETE_ARGS=words)
    proc = subprocess.run([sys.executable, "-c", MAIN], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_command_names():
    assert complete("gradcli gr") == ["grad"]
    assert set(complete("gradcli force")) == {"force", "force-constant"}


def test_options():
    assert complete("gradcli descend --x") == ["--x0", "--xlim"]
    assert "--potentials-dir" in complete("gradcli grad --pot")


@pytest.mark.parametrize("command", ["grad", "descend", "force-constant", "jacobian"])
def test_named_potentials(command):
    assert complete(f"gradcli {command} @mo") == ["@morse", "@morse-cluster"]
    offered = complete(f"gradcli {command} @m")
    assert {"@morse", "@muller-brown", "@mexican-hat"} <= set(offered)
    assert all(name.startswith("@m") for name in offered)


def test_zsh_gets_the_same_names():
    assert '"@morse"' in " ".join(complete("gradcli grad @mo", shell="zsh"))


def test_a_typed_expression_is_not_completed():
    assert complete("gradcli grad x*") == []


def test_completion_options_are_offered():
    result = invoke("--help")
    assert "--install-completion" in result.stdout and "--show-completion" in result.stdout
