"""A check of GitHub Actions expressions the workflow schema cannot see (it holds them as plain strings).

Every `${{ }}` (and every `if:`, an implicit expression) may name only contexts available where it
stands, functions GitHub defines, `needs.<job>` the job declares, `steps.<id>` defined by an earlier
step, and `inputs`/`env` that exist. Availability follows GitHub's "Context availability" table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

FUNCTIONS = {"contains", "startsWith", "endsWith", "format", "join", "toJSON", "fromJSON", "hashFiles",
             "success", "always", "cancelled", "failure", "case"}
LITERALS = {"true", "false", "null"}
ALL_STEP = {"github", "needs", "strategy", "matrix", "job", "runner", "env", "vars", "secrets", "steps", "inputs"}
AVAILABLE = {   # where an expression stands -> contexts it may use
    "workflow.env": {"github", "secrets", "inputs", "vars"},
    "workflow.concurrency": {"github", "inputs", "vars"},
    "workflow.run-name": {"github", "inputs", "vars"},
    "job.if": {"github", "needs", "vars", "inputs"},
    "job.env": {"github", "needs", "strategy", "matrix", "vars", "secrets", "inputs"},
    "job.environment": {"github", "needs", "strategy", "matrix", "vars", "inputs"},
    "job.concurrency": {"github", "needs", "strategy", "matrix", "vars", "inputs"},
    "job.runs-on": {"github", "needs", "strategy", "matrix", "vars", "inputs"},
    "job.strategy": {"github", "needs", "vars", "inputs"},
    "job.timeout-minutes": {"github", "needs", "strategy", "matrix", "vars", "inputs"},
    "job.outputs": {"github", "needs", "strategy", "matrix", "job", "runner", "env", "vars", "secrets", "steps", "inputs"},
    "step": ALL_STEP,
    # A composite action's steps: no secrets or vars of their own (the caller passes values as inputs).
    "action.step": {"github", "inputs", "steps", "runner", "env", "job", "strategy", "matrix"},
}
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
STRING = re.compile(r"'(?:[^']|'')*'")
NAME = re.compile(r"(?<![\w.\-])([A-Za-z_][\w\-]*)((?:\.[A-Za-z_*][\w\-]*)*)(\s*\()?")


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}"


def check_workflow(path: Path) -> list[Problem]:
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    triggers = document.get(True, document.get("on")) or {}   # PyYAML reads the key `on` as True
    inputs = set()
    for trigger in ("workflow_dispatch", "workflow_call"):
        inputs |= set(((triggers.get(trigger) or {}) if isinstance(triggers, dict) else {}).get("inputs") or {})
    workflow_env = set(document.get("env") or {})
    problems: list[Problem] = []
    file = str(path)

    def check(value, where: str, scope: str, known: dict) -> None:
        for text in _expressions(value, implicit=where.endswith(".if")):
            for message in _problems(text, AVAILABLE[scope], known):
                problems.append(Problem(file, where, message))

    known_workflow = {"inputs": inputs, "env": set(), "needs": set(), "steps": set()}
    check(document.get("env"), "env", "workflow.env", known_workflow)
    check(document.get("concurrency"), "concurrency", "workflow.concurrency", known_workflow)
    check(document.get("run-name"), "run-name", "workflow.run-name", known_workflow)
    jobs = document.get("jobs") or {}
    for job_id, job in jobs.items():
        needs = job.get("needs") or []
        needs = {needs} if isinstance(needs, str) else set(needs)
        problems += [Problem(file, f"jobs.{job_id}.needs", f"unknown job {n!r}") for n in needs - set(jobs)]
        job_env = workflow_env | set(job.get("env") or {})
        known = {"inputs": inputs, "env": job_env, "needs": needs, "steps": set()}
        for key in ("if", "env", "environment", "concurrency", "runs-on", "strategy", "timeout-minutes"):
            check(job.get(key), f"jobs.{job_id}.{key}", f"job.{key}", known)
        step_ids: set[str] = set()
        for index, step in enumerate(job.get("steps") or []):
            where = f"jobs.{job_id}.steps[{index}]"
            step_known = {**known, "steps": set(step_ids), "env": job_env | set(step.get("env") or {})}
            for key, value in step.items():
                check(value, f"{where}.{key}", "step", step_known)
            if "id" in step:
                step_ids.add(step["id"])
        check(job.get("outputs"), f"jobs.{job_id}.outputs", "job.outputs", {**known, "steps": step_ids})
    return problems


def check_action(path: Path) -> list[Problem]:
    """The same check for a composite action (action.yml): its steps see its inputs and earlier steps."""
    document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    inputs = set(document.get("inputs") or {})
    problems: list[Problem] = []
    step_ids: set[str] = set()
    for index, step in enumerate((document.get("runs") or {}).get("steps") or []):
        known = {"inputs": inputs, "steps": set(step_ids), "env": set(step.get("env") or {}), "needs": set()}
        for key, value in step.items():
            where = f"runs.steps[{index}].{key}"
            for text in _expressions(value, implicit=key == "if"):
                problems += [Problem(str(path), where, m) for m in _problems(text, AVAILABLE["action.step"], known)]
        if "id" in step:
            step_ids.add(step["id"])
    return problems


def _expressions(value, implicit: bool) -> list[str]:
    if isinstance(value, dict):
        return [e for v in value.values() for e in _expressions(v, False)]
    if isinstance(value, list):
        return [e for v in value for e in _expressions(v, False)]
    if not isinstance(value, str):
        return []
    found = EXPRESSION.findall(value)
    if implicit and not found:
        found = [value]
    return found


def _problems(expression: str, available: set[str], known: dict) -> list[str]:
    problems = []
    for name, chain, call in NAME.findall(STRING.sub("''", expression)):
        if call:
            if name not in FUNCTIONS:
                problems.append(f"unknown function {name}()")
            continue
        if name in LITERALS:
            continue
        if name not in ALL_STEP:
            problems.append(f"unknown context {name!r} in {expression.strip()!r}")
            continue
        if name not in available:
            problems.append(f"context {name!r} is not available here")
            continue
        first = chain.split(".")[1] if chain else ""
        if name in ("needs", "steps", "inputs") and first and first not in known[name]:
            problems.append(f"{name}.{first} is not defined here")
        if name == "env" and first and first not in known["env"]:
            problems.append(f"env.{first} is not set at workflow, job or step level")
    return problems
