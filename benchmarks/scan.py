"""Benchmark: `ysg scan` of every environment, as a ratio to checkov's own start-up on an empty folder.

Both are measured here, in one run, alternating, several rounds; the medians are compared (target: the
scan takes at most 1.5x the start-up). Synthesis is done once beforehand and is not timed: the scan of
fresh stacks is what is measured. CPU time (user + system of the child processes) is printed beside
wall time, since the machine may be shared.

    .venv/bin/python benchmarks/scan.py [--rounds 3] [--jobs 1]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from ysg.scan import CHECKOV, LAUNCHER  # the checkov `ysg scan` runs, and the launcher it runs it through
from ysg_core.paths import DEFAULT_OUTDIR, REPO_ROOT

YSG = REPO_ROOT / ".venv" / "bin" / "ysg"
TARGET = 1.5


def timed(command: list[str], **kwargs) -> tuple[float, float]:
    """(wall seconds, child CPU seconds) of one command, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="passed to `ysg scan --jobs`")
    args = parser.parse_args()
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20"}
    subprocess.run([str(YSG), "synth", "--quiet"], check=True, env=env, cwd=REPO_ROOT)
    with tempfile.TemporaryDirectory() as empty:
        empty_args = ["--skip-download", "--framework", "terraform_json", "-d", empty, "--quiet"]
        startup_command = [str(CHECKOV), *empty_args]
        # The same empty start-up through the scan's launcher: shows that the launcher does not win
        # by starting faster (its changes only matter once there are files to read).
        launcher_command = [str(CHECKOV.parent / "python"), str(LAUNCHER), *empty_args]
        scan_command = [str(YSG), "scan", "--jobs", str(args.jobs)]
        startup, launcher, scans = [], [], []
        for _ in range(args.rounds):
            startup.append(timed(startup_command, env=env, cwd=REPO_ROOT))
            launcher.append(timed(launcher_command, env=env, cwd=REPO_ROOT))
            scans.append(timed(scan_command, env=env, cwd=REPO_ROOT))
    stacks = len(list((DEFAULT_OUTDIR / "stacks").glob("*/cdk.tf.json")))
    wall = (statistics.median(w for w, _ in startup), statistics.median(w for w, _ in scans))
    cpu = (statistics.median(c for _, c in startup), statistics.median(c for _, c in scans))
    print(f"rounds: {args.rounds}, stacks scanned: {stacks}, scan jobs: {args.jobs}, cpus: {os.cpu_count()}, load: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"checkov start-up, empty folder: wall {wall[0]:.2f} s   cpu {cpu[0]:.2f} s")
    print(f"  (through the scan's launcher: wall {statistics.median(w for w, _ in launcher):.2f} s   "
          f"cpu {statistics.median(c for _, c in launcher):.2f} s)")
    print(f"ysg scan, all environments:     wall {wall[1]:.2f} s   cpu {cpu[1]:.2f} s")
    print(f"ratio (median wall): {wall[1] / wall[0]:.2f}x   (cpu: {cpu[1] / cpu[0]:.2f}x)   target <= {TARGET}x: "
          f"{'met' if wall[1] / wall[0] <= TARGET else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
