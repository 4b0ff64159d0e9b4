"""The reviewed Terraform plan: made and saved on the pull request, found and applied as it is by the deploy.

Run by the workflows (.github/workflows/), never by the product; standard library only.

    name ENV                       the artifact name of ENV's saved plan for the checked-out tree
    plan ENV STACK_DIR --summary F terraform init + plan -out (read-only: -lock=false); F gets the Markdown
    find ENV --repository R --commit SHA
                                   the pull-request run holding ENV's reviewed plan for SHA's tree
    check PLANFILE STACK_DIR       the plan's configuration is byte for byte the stack folder's
    apply PLANFILE STACK_DIR       check, then terraform init + apply PLANFILE (runs the hook trigger too)

Terraform facts relied on (hashicorp/terraform at v1.12.2, ce0baf874af938310a4cb03ad2d71150d474fa70):
- A plan file is a zip holding the configuration it was made from under `tfconfig/m-<module key>/`
  (internal/plans/planfile/config_snapshot.go:21-23), and apply uses that snapshot "instead of whatever
  configuration might be already present in the filesystem" (internal/backend/local/backend_local.go:231).
  So a plan file brings its own local-exec commands: `check` compares the snapshot with the stack this
  commit synthesizes before anything is applied.
- Apply refuses a plan whose state serial has moved since it was made: "Saved plan is stale"
  (internal/backend/local/backend_local.go:328), and one made by another Terraform version
  (internal/plans/planfile/tfplan.go:58). The composite set-up installs one version for both.
- The configuration of a folder is its `.tf`, `.tf.json`, `.tftest.hcl` and `.tftest.json` files
  (internal/configs/parser_config_dir.go:304, fileExt) that are not hidden or editor files (:320).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path
from typing import Callable

PLAN_FILE = "tfplan"
SNAPSHOT_PREFIX = "tfconfig/"
ROOT_MODULE_PREFIX = "tfconfig/m-/"
CONFIG_SUFFIXES = (".tf", ".tf.json", ".tftest.hcl", ".tftest.json")
PULL_REQUEST_WORKFLOW = ".github/workflows/pull-request.yml"
TERRAFORM_ENV = {"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
SUMMARY_LINES = 40          # of a failed plan's output, in the pull-request comment

Api = Callable[[str], object]   # GitHub REST path (with query) -> decoded JSON


class ReviewedPlanError(RuntimeError):
    """The reviewed plan cannot be found, does not match this commit, or Terraform refused it."""


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


def artifact_name(environment: str, tree: str) -> str:
    """Keyed on the tree, not the commit: a pull request plans its merge commit, and main's commit after
    the merge differs but holds the same tree exactly when nothing else was merged in between."""
    return f"tfplan-{environment}-{tree}"


# --- the configuration a plan file carries ----------------------------------------------------------

def is_config_file(name: str) -> bool:
    ignored = name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#"))
    return not ignored and name.endswith(CONFIG_SUFFIXES)


def stack_config(stack_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(Path(stack_dir).iterdir()) if p.is_file() and is_config_file(p.name)}


def plan_config(plan_file: Path) -> dict[str, bytes]:
    """The root module's files of a plan file's configuration snapshot; a plan with modules is refused."""
    try:
        with zipfile.ZipFile(plan_file) as archive:
            names = archive.namelist()
            files = {n[len(ROOT_MODULE_PREFIX):]: archive.read(n) for n in names if n.startswith(ROOT_MODULE_PREFIX)}
            others = [n for n in names if n.startswith(SNAPSHOT_PREFIX) and not n.startswith(ROOT_MODULE_PREFIX)
                      and n != f"{SNAPSHOT_PREFIX}modules.json"]
    except (OSError, zipfile.BadZipFile) as exc:
        raise ReviewedPlanError(f"{plan_file}: not a Terraform plan file ({exc})") from exc
    if others or not files:
        raise ReviewedPlanError(f"{plan_file}: its configuration is not one root module: "
                                f"{', '.join(others) or 'no tfconfig/m-/ files'}")
    return files


def check(plan_file: Path, stack_dir: Path) -> None:
    """Raise unless the plan was made from exactly the configuration in `stack_dir`."""
    planned, here = plan_config(plan_file), stack_config(stack_dir)
    differences = ([f"{n}: only in the plan" for n in sorted(set(planned) - set(here))]
                   + [f"{n}: not in the plan" for n in sorted(set(here) - set(planned))]
                   + [f"{n}: differs" for n in sorted(set(planned) & set(here)) if planned[n] != here[n]])
    if differences:
        raise ReviewedPlanError(f"{plan_file} was not made from {stack_dir}: {'; '.join(differences)}")


# --- Terraform ---------------------------------------------------------------------------------------

def terraform(stack_dir: Path, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    """`terraform -chdir=STACK_DIR ...`: the stack's folder is the working directory, so the hook trigger's
    relative command (../../../.venv/bin/ysg) and its --manifest hooks.json resolve there."""
    return subprocess.run(["terraform", f"-chdir={stack_dir}", *args, "-no-color"], capture_output=capture,
                          text=True, env={**os.environ, **TERRAFORM_ENV})


def init(stack_dir: Path) -> None:
    done = terraform(stack_dir, "init", "-input=false", capture=True)
    if done.returncode != 0:
        raise ReviewedPlanError(f"terraform init in {stack_dir} failed:\n{done.stdout}{done.stderr}")


def plan(environment: str, stack_dir: Path, summary: Path, artifact: str) -> int:
    """Plan against the state without taking its lock (the read-only role may not write the lock file),
    save it as STACK_DIR/tfplan, and write the pull request's section about it. Returns terraform's status."""
    stack = Path(stack_dir).name
    title = f"## Terraform plan of `{stack}` against its state"
    try:
        init(stack_dir)
        done = terraform(stack_dir, "plan", "-input=false", "-lock=false", f"-out={PLAN_FILE}", capture=True)
        if done.returncode == 0:
            done = terraform(stack_dir, "show", PLAN_FILE, capture=True)
    except ReviewedPlanError as exc:
        done = subprocess.CompletedProcess([], 1, "", str(exc))
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-SUMMARY_LINES:])
        body = [f"**Failed** (exit {done.returncode}): the deploy of {environment} has no reviewed plan of this "
                "change until it succeeds.", "", "```text", tail, "```"]
    else:
        shown = done.stdout.strip()
        body = [f"Saved as the artifact `{artifact}`: the deploy of {environment} applies this plan and nothing "
                "else, and refuses it if the state has changed since.", "",
                f"<details><summary>terraform show ({shown.count(chr(10)) + 1} lines)</summary>", "",
                "```text", shown, "```", "", "</details>"]
    Path(summary).write_text("\n".join([title, "", *body, ""]), encoding="utf-8")
    return done.returncode


def apply(plan_file: Path, stack_dir: Path) -> int:
    check(plan_file, stack_dir)
    init(stack_dir)
    # A saved plan is applied without a question; Terraform itself refuses it if it is stale.
    return terraform(stack_dir, "apply", "-input=false", str(Path(plan_file).resolve())).returncode


# --- finding the reviewed plan of a commit ---------------------------------------------------------

def github_api(token: str, base: str = "https://api.github.com") -> Api:
    def get(path: str) -> object:
        request = urllib.request.Request(f"{base}{path}", headers={
            "Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.load(response)
    return get


def find(api: Api, repository: str, commit: str, environment: str, tree: str) -> tuple[int, str]:
    """(run id, artifact name) of the reviewed plan: from a run of the pull-request workflow, on the head
    commit of a pull request merged as `commit`, in this repository (not a fork), not expired.

    REST endpoints (docs.github.com/en/rest): commits/{sha}/pulls ("List pull requests associated with a
    commit"), actions/artifacts?name= ("When specified, only artifacts with this name will be returned";
    each artifact's workflow_run has id, repository_id, head_repository_id, head_sha), actions/runs/{id}
    ("Get a workflow run": path, event)."""
    name = artifact_name(environment, tree)
    pulls = api(f"/repos/{repository}/commits/{commit}/pulls")
    heads = {p["head"]["sha"] for p in pulls if p.get("merged_at")}
    if not heads:
        raise ReviewedPlanError(f"{commit} is not the merge of a pull request: no reviewed plan can belong to it")
    found = api(f"/repos/{repository}/actions/artifacts?{urllib.parse.urlencode({'name': name, 'per_page': 100})}")
    candidates = sorted((a for a in found["artifacts"] if not a["expired"]
                         and a["workflow_run"]["head_sha"] in heads
                         and a["workflow_run"]["head_repository_id"] == a["workflow_run"]["repository_id"]),
                        key=lambda a: a["id"], reverse=True)
    for artifact in candidates:
        run = api(f"/repos/{repository}/actions/runs/{artifact['workflow_run']['id']}")
        if run["path"] == PULL_REQUEST_WORKFLOW and run["event"] == "pull_request":
            return run["id"], name
    raise ReviewedPlanError(
        f"no reviewed plan of {environment} for {commit} (artifact {name} from the pull-request workflow on "
        f"{', '.join(sorted(heads))}): the tree differs from the one the pull request planned (was main updated "
        "before the merge?), its plan failed or expired, or the pull request had no Terraform plan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reviewed_plan.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("name").add_argument("environment")
    p = commands.add_parser("plan")
    p.add_argument("environment")
    p.add_argument("stack_dir", type=Path)
    p.add_argument("--summary", type=Path, required=True)
    f = commands.add_parser("find")
    f.add_argument("environment")
    f.add_argument("--repository", required=True)
    f.add_argument("--commit", required=True)
    for command in ("check", "apply"):
        c = commands.add_parser(command)
        c.add_argument("plan_file", type=Path)
        c.add_argument("stack_dir", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "name":
            print(artifact_name(args.environment, git("rev-parse", "HEAD^{tree}")))
        elif args.command == "plan":
            name = artifact_name(args.environment, git("rev-parse", "HEAD^{tree}"))
            return plan(args.environment, args.stack_dir, args.summary, name)
        elif args.command == "find":
            api = github_api(os.environ["GH_TOKEN"], os.environ.get("GITHUB_API_URL", "https://api.github.com"))
            run_id, name = find(api, args.repository, args.commit, args.environment, git("rev-parse", "HEAD^{tree}"))
            print(f"run-id={run_id}\nname={name}")
        elif args.command == "check":
            check(args.plan_file, args.stack_dir)
            print(f"{args.plan_file}: made from exactly the configuration in {args.stack_dir}")
        else:
            return apply(args.plan_file, args.stack_dir)
    except ReviewedPlanError as exc:
        print(f"reviewed plan: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
