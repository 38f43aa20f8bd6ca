"""Record PyTorch 2.13's outcome of every case in tests/autograd/torch_cases.py (run once, by hand).

    /work/sidevenv/bin/python tests/reference/record_torch_cases.py

Writes tests/data/torch_cases.json.  Not collected by pytest.
"""

import json
import pathlib
import sys

import torch

HERE = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE / "autograd"))
import torch_cases  # noqa: E402

torch.set_default_dtype(torch.float64)


def main():
    results = {name: torch_cases.outcome(case, torch) for name, case in torch_cases.CASES.items()}
    data = {"source": f"PyTorch {torch.__version__} (CPU, default dtype float64)", "cases": results}
    (HERE / "data" / "torch_cases.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    for name, result in results.items():
        print(f"{name:50s} {json.dumps(result)[:150]}")


if __name__ == "__main__":
    main()
