"""--plot: files are written atomically, in the format of their extension, and
open as pictures (PNG read back by matplotlib, SVG parsed as XML)."""

import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

import pytest
from cli_helpers import invoke

CASES = {  # expression, start, learning rate
    1: ("x**4-10*x**2+5", "3", "0.01"),
    2: ("(x-1)**2 + 2*(y+2)**2 + x*y/2", "0,0", "0.05"),
    3: ("x**2 + 2*y**2 + 3*z**2", "1,1,1", "0.05"),
}


def png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def leftovers(folder):
    return [name for name in os.listdir(folder) if name.endswith(".part")]


@pytest.mark.parametrize("n", sorted(CASES))
def test_png(tmp_path, n):
    expr, x0, lr = CASES[n]
    path = tmp_path / f"descent{n}.png"
    result = invoke("descend", expr, "--x0", x0, "--lr", lr, "--plot", path)
    assert result.exit_code == 0, result.stderr
    width, height = png_size(path)
    assert width > 500 and height > 200
    import matplotlib.image

    pixels = matplotlib.image.imread(path)
    assert pixels.shape[:2] == (height, width)
    assert pixels.std() > 0.01  # not a blank picture
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("n", sorted(CASES))
def test_svg(tmp_path, n):
    expr, x0, lr = CASES[n]
    path = tmp_path / f"descent{n}.svg"
    result = invoke("descend", expr, "--x0", x0, "--lr", lr, "--plot", path, "--json")
    assert result.exit_code == 0, result.stderr
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    # matplotlib writes each text as glyph paths preceded by a comment with the text
    texts = set(re.findall(r"<!-- (.*?) -->", path.read_text()))
    assert expr in texts  # the title
    assert "step" in texts and any(t.startswith("V") for t in texts)
    if n <= 2:
        assert "x" in texts  # the variable names label the axes
    if n == 2:
        assert "y" in texts
    assert leftovers(tmp_path) == []


def test_long_titles_wrap_whole(tmp_path):
    expr = " + ".join(f"(x-{k})**2" for k in range(30))
    path = tmp_path / "long.svg"
    assert invoke("descend", expr, "--x0", "0", "--lr", "0.01", "--tol", "0", "--plot", path).exit_code == 0
    # matplotlib writes each line of the wrapped title as its own text comment
    lines = [t for t in re.findall(r"<!-- (.*?) -->", path.read_text()) if t.startswith("(x-")]
    assert len(lines) > 1 and all(len(line) <= 90 for line in lines)
    assert " ".join(line.strip() for line in lines) == expr


def test_pdf(tmp_path):
    path = tmp_path / "descent.PDF"
    assert invoke("descend", "x**2", "--x0", "1", "--lr", "0.1", "--plot", path).exit_code == 0
    assert path.read_bytes()[:5] == b"%PDF-"


def test_plot_replaces_an_existing_file_in_one_step(tmp_path):
    path = tmp_path / "d.png"
    path.write_bytes(b"old")
    assert invoke("descend", "x**2", "--x0", "1", "--lr", "0.1", "--plot", path).exit_code == 0
    assert png_size(path)[0] > 0


def test_plot_of_a_function_undefined_in_part_of_the_range(tmp_path):
    # log(x) is undefined left of 0; the curve has a gap there, the plot is still drawn.
    path = tmp_path / "d.png"
    result = invoke("descend", "x - 2*log(x)", "--x0", "0.2", "--lr", "0.02", "--tol", "0", "--plot", path)
    assert result.exit_code == 0, result.stderr
    assert png_size(path)[0] > 0


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root can write anywhere")
def test_no_permission(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = invoke("descend", "x**2", "--x0", "1", "--plot", folder / "d.png")
        assert result.exit_code == 2 and "no permission" in result.stderr
        assert os.listdir(folder) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(not os.path.isdir("/sys/kernel"), reason="needs Linux sysfs")
def test_no_permission_in_a_folder_even_root_cannot_write():
    # sysfs refuses new files to root too, so this runs in CI (as root) as well.
    target = "/sys/kernel/gradcli-test-plot.png"
    result = invoke("descend", "x**2", "--x0", "1", "--plot", target)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot write the plot ")
    assert "permission" in result.stderr.lower()
    assert not os.path.exists(target)


def test_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    from gradcli.cli import plot

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(plot.os, "replace", refuse)
    path = tmp_path / "d.png"
    result = invoke("descend", "x**2", "--x0", "1", "--lr", "0.1", "--plot", path)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: cannot write the plot {path}: Permission denied"]
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux /proc")
def test_unwritable_system_folder_even_as_root():
    result = invoke("descend", "x**2", "--x0", "1", "--lr", "0.1", "--plot", "/proc/gradcli-test.png")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: cannot write the plot /proc/gradcli-test.png")
