"""Cold synthesis of every environment, as a ratio to the floor measured in the same run.

The floor: start Python, import cdktf and the Snowflake bindings, synthesize one empty stack. Both are
run as fresh processes, alternating, several times; the ratio of the medians is printed (target <= 1.5).

--optimize runs the floor and the synthesis with `python -O`, which turns off jsii's runtime type
checks (typeguard). It needs optimized bytecode (`*.opt-1.pyc`): where PYTHONDONTWRITEBYTECODE is set,
compile it first (`.venv/bin/python -O -m compileall -q .venv/lib`), or every run compiles the bindings.

--what-if also times two platforms that do not exist, against the same floor, to show what the
target would take: the four stacks without a single grant resource (the most any consolidation of
grants, e.g. `for_each`, could save), and the synthesis of one environment (prod) alone.

Usage: .venv/bin/python benchmarks/synth.py [--runs N] [--optimize] [--what-if]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FLOOR = """
import os
from ysg_constructs import bindings as b   # cdktf and every binding the stacks use
app = b.App(outdir=os.environ["CDKTF_OUTDIR"])
b.TerraformStack(app, "empty")
app.synth()
"""
# What-if: every grant resource left out. The patch is applied once the bindings are imported (when
# the configuration thread is joined), so configuration still overlaps the start of jsii as it does.
WITHOUT_GRANTS = """
from ysg_stacks import app

joined = app._Ahead.result

def result(self):
    from ysg_constructs import bindings as b
    from ysg_constructs.schema import BillingSchema
    for name in ("GrantAccountRole", "GrantDatabaseRole", "GrantPrivilegesToAccountRole",
                 "GrantPrivilegesToDatabaseRole"):
        setattr(b, name, lambda *args, **kwargs: None)
    BillingSchema.future_grants = property(lambda self: [])
    return joined(self)

app._Ahead.result = result
app.synthesize()   # into CDKTF_OUTDIR
"""
# What-if: one environment alone (the stack `cdktf deploy billing-prod` needs).
ONE_ENVIRONMENT = """
import sys
from pathlib import Path
from ysg_stacks import app
app.synthesize(environments_dir=Path(sys.argv[1]))
"""


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO_ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--optimize", action="store_true", help="run both with python -O")
    parser.add_argument("--what-if", action="store_true", help="also time two hypothetical platforms")
    args = parser.parse_args()
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    python = [sys.executable, *(["-O"] if args.optimize else [])]
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        # Each writes into CDKTF_OUTDIR; the synthesis is the app command of cdktf.json.
        variants = {
            "floor (python + cdktf + bindings + one empty stack)": [*python, "-c", FLOOR],
            "cold synthesis of every environment": [*python, "-m", "ysg_stacks.app"],
        }
        if args.what_if:
            prod_only = Path(tmp) / "environments"
            others = {"dev.yaml", "staging.yaml", "local.yaml"}
            shutil.copytree(REPO_ROOT / "environments", prod_only,
                            ignore=lambda _, names: [name for name in names if name in others])
            variants["what if: every environment, no grant resources"] = [*python, "-c", WITHOUT_GRANTS]
            variants["what if: one environment (prod) alone"] = [*python, "-c", ONE_ENVIRONMENT, str(prod_only)]
        for run in range(args.runs):
            for index, (label, command) in enumerate(variants.items()):
                outdir = {"CDKTF_OUTDIR": f"{tmp}/out{index}-{run}"}
                times.setdefault(label, []).append(timed(command, {**env, **outdir}))
    medians = {label: statistics.median(values) for label, values in times.items()}
    floor = next(iter(medians.values()))
    mode = " (python -O)" if args.optimize else ""
    for index, (label, median) in enumerate(medians.items()):
        ratio = f"  ratio {median / floor:.2f}x" if index else ""
        print(f"{label + mode:<62} median {median:.2f}s of {args.runs}{ratio}")
    full = medians["cold synthesis of every environment"]
    print(f"ratio: {full / floor:.2f}x  (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
