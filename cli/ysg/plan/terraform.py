"""`cdktf diff billing-<env>`: Terraform's own plan, appended when Terraform and credentials are present.

When they are not, the result says plainly why it was not run; nothing is ever made up.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from ysg_core.naming import stack_name
from ysg_core.paths import NODE_TOOL_ENV, cdktf_binary

# The provider reads these (README: the provider block carries no credentials).
ACCOUNT_VARIABLES = ("SNOWFLAKE_ORGANIZATION_NAME", "SNOWFLAKE_ACCOUNT_NAME", "SNOWFLAKE_USER")
KEY_VARIABLES = ("SNOWFLAKE_PRIVATE_KEY", "SNOWFLAKE_PRIVATE_KEY_PATH")


@dataclass(frozen=True)
class TerraformResult:
    environment: str
    ran: bool
    output: str = ""                # what cdktf diff printed (when it ran)
    reason: str = ""                # why it did not run, or why it failed
    returncode: int = 0

    @property
    def failed(self) -> bool:
        return self.ran and self.returncode != 0


TerraformDiff = Callable[[str, Path], TerraformResult]


def missing_prerequisites(repo: Path, environ: Mapping[str, str] = os.environ,
                          which: Callable[[str], str | None] = shutil.which) -> list[str]:
    missing = []
    if which("terraform") is None:
        missing.append("Terraform is not installed (no `terraform` on PATH)")
    if not cdktf_binary(repo).exists():
        missing.append("the pinned cdktf command line is not installed (run `make setup`)")
    absent = [v for v in ACCOUNT_VARIABLES if not environ.get(v)]
    if absent:
        missing.append(f"no Snowflake credentials: {', '.join(absent)} not set")
    if not any(environ.get(v) for v in KEY_VARIABLES):
        missing.append(f"no key-pair credential: neither {' nor '.join(KEY_VARIABLES)} is set")
    return missing


def cdktf_diff(environment: str, repo: Path) -> TerraformResult:
    missing = missing_prerequisites(repo)
    if missing:
        return TerraformResult(environment, ran=False, reason="; ".join(missing))
    env = {**os.environ, **NODE_TOOL_ENV, "CI": "1"}
    done = subprocess.run([str(cdktf_binary(repo)), "diff", stack_name(environment)],
                          cwd=repo, env=env, capture_output=True, text=True, timeout=1800)
    output = (done.stdout + ("\n" + done.stderr if done.stderr.strip() else "")).strip()
    return TerraformResult(environment, ran=True, output=output, returncode=done.returncode,
                           reason="" if done.returncode == 0 else f"cdktf diff exited {done.returncode}")
