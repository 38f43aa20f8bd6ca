"""What one huge or broken potential file costs a named-potential lookup (issue 15, item 14).

A folder holds a 30 MB file (huge.toml), one with 50,000 [[stationary]] entries
(many.toml, 2.9 MB) and a good one (well.toml). Timed, in one warm process,
best of 5:

- hit:   resolve("@well")   a file in that folder
- other: resolve("@morse")  a built-in, the folder searched first
- miss:  resolve("@wel")    a typo: the "did you mean" suggestion
- huge:  resolve("@huge")   the huge file itself (an error)
- list:  list_potentials()  every file (the big ones reported)

Run by hand, side by side with the baseline (main before gradcli.named):

    git archive main | tar -x -C /tmp/base     # once
    python bench/bench_named_lookup.py --baseline /tmp/base
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CASES = {"hit": "@well", "other": "@morse", "miss": "@wel", "huge": "@huge"}

PROBE = """
import json, sys, time
from pathlib import Path
folder, baseline = sys.argv[1], sys.argv[2]
if baseline:
    from gradcli import library as api
    api.builtin_dir = lambda: Path(baseline) / "potentials"
else:
    from gradcli import named as api
import sympy  # noqa: F401  (imported by the first parse; kept out of the timings)

def best(call, repeats=5):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        try:
            call()
        except Exception:
            pass
        times.append(time.perf_counter() - start)
    return min(times)

api.resolve("@morse", {})  # warm-up: imports, parser
cases = json.loads(sys.argv[3])
out = {key: best(lambda arg=arg: api.resolve(arg, {}, [folder])) for key, arg in cases.items()}
out["list"] = best(lambda: api.list_potentials([folder], errors=[]))
print(json.dumps(out))
"""


def make_folder(root: Path) -> Path:
    folder = root / "clutter"
    folder.mkdir()
    head = 'name = "{}"\ndescription = "d"\nexpression = "x**2"\nvariables = ["x"]\nstart = [1.0]\n'
    (folder / "huge.toml").write_text(head.format("huge") + "# " + "x" * (30 << 20) + "\n")
    entry = '[[stationary]]\npoint = [0.0]\nvalue = 0.0\nkind = "minimum"\n'
    (folder / "many.toml").write_text(head.format("many") + entry * 50_000)
    (folder / "well.toml").write_text(head.format("well"))
    return folder


def measure(folder: Path, source: str | None) -> dict:
    env = None
    if source:
        env = {**os.environ, "PYTHONPATH": source}
    # Run from the folder's parent, so the working folder's own gradcli/ (if any) is not imported.
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(folder), source or "", json.dumps(CASES)],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder.parent,
    )
    if proc.returncode:
        sys.exit(proc.stderr)
    return json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="a checkout of the code before gradcli.named (has gradcli/library.py)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_folder(Path(tmp))
        now = measure(folder, None)
        base = measure(folder, args.baseline) if args.baseline else None
    print(f"{'case':6} {'now (ms)':>10}" + (f" {'baseline (ms)':>14} {'ratio':>8}" if base else ""))
    for key, seconds in now.items():
        line = f"{key:6} {seconds * 1e3:10.2f}"
        if base:
            line += f" {base[key] * 1e3:14.2f} {base[key] / seconds:8.3g}x"
        print(line)


if __name__ == "__main__":
    main()
