"""Cold synthesis of every environment, as a ratio to the floor measured in the same run.

The floor: start Python, import cdktf and the Snowflake bindings, synthesize one empty stack. Both are
run as fresh processes, alternating, several times; the ratio of the medians is printed (target <= 1.5).
Usage: .venv/bin/python benchmarks/synth.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FLOOR = """
import sys
from ysg_constructs import bindings as b   # cdktf and every binding the stacks use
app = b.App(outdir=sys.argv[1])
b.TerraformStack(app, "empty")
app.synth()
"""


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO_ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    floors, fulls = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            floors.append(timed([sys.executable, "-c", FLOOR, f"{tmp}/floor{run}"], env))
            fulls.append(timed([sys.executable, "-m", "ysg_stacks.app"], {**env, "CDKTF_OUTDIR": f"{tmp}/full{run}"}))
    floor, full = statistics.median(floors), statistics.median(fulls)
    print(f"floor (python + cdktf + bindings + one empty stack): median {floor:.2f}s of {args.runs}")
    print(f"cold synthesis of every environment:                 median {full:.2f}s of {args.runs}")
    print(f"ratio: {full / floor:.2f}x  (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
