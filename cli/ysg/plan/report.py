"""`ysg plan`: synthesize the base (temporary worktree) and the working tree, compare, write one Markdown
document, and refuse unallowed destruction in prod. The policy scan and `cdktf diff` are plugged in.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from ysg.plan import synth
from ysg.plan.allowances import (ALLOWANCES_FILE, PROTECTED_ENVIRONMENTS, Allowance, GuardResult, guard,
                                 load_allowances)
from ysg.plan.diff import AttributeChange, ResourceChange, StackDiff, diff_stacks
from ysg.plan.hook_guard import HookGuardResult, guard_hooks
from ysg.plan.hooks import HookChange, diff_hooks
from ysg.plan.terraform import TerraformDiff, TerraformResult, cdktf_diff
from ysg_core.deployable import stack_examples
from ysg_core.naming import stack_name

MARKER = "<!-- ysg-plan -->"     # the pull-request workflow finds its own comment by this line
ScanSummary = Callable[[Mapping[str, Path]], str]   # head stack folders -> Markdown


def scan_not_wired(stack_dirs: Mapping[str, Path]) -> str:
    return "Not run: no policy scanner is wired into `ysg plan` in this build."


@dataclass
class EnvironmentPlan:
    environment: str
    resources: StackDiff
    hooks: list[HookChange] = field(default_factory=list)
    only_in: str = ""               # "base" or "head" when the environment exists on one side only


@dataclass
class Plan:
    base_ref: str
    base_sha: str
    head: str
    environments: dict[str, EnvironmentPlan]
    guard: GuardResult
    scan: str
    terraform: list[TerraformResult] = field(default_factory=list)
    # Protected environment -> the example values its head stack still holds (ysg_core.deployable).
    examples: dict[str, list[str]] = field(default_factory=dict)
    hook_guard: HookGuardResult = field(default_factory=HookGuardResult)

    @property
    def exit_code(self) -> int:
        refused = not self.guard.ok or not self.hook_guard.ok or any(self.examples.values())
        return 1 if (refused or any(t.failed for t in self.terraform)) else 0


def compare(base_dirs: Mapping[str, Path], head_dirs: Mapping[str, Path]) -> dict[str, EnvironmentPlan]:
    plans = {}
    for env in sorted(set(base_dirs) | set(head_dirs)):
        before, after = base_dirs.get(env), head_dirs.get(env)
        plans[env] = EnvironmentPlan(env, diff_stacks(synth.read_stack(before), synth.read_stack(after)),
                                     diff_hooks(before, after),
                                     only_in="" if (before and after) else ("head" if after else "base"))
    return plans


def build(base_ref: str, base_sha: str, head: str, base_dirs: Mapping[str, Path], head_dirs: Mapping[str, Path],
          repo: Path, allowances: list[Allowance], scan: ScanSummary = scan_not_wired,
          terraform_envs: tuple[str, ...] = (), terraform_diff: TerraformDiff = cdktf_diff,
          today: dt.date | None = None) -> Plan:
    """The plan of two finished syntheses; `repo` is where `cdktf diff` runs."""
    environments = compare(base_dirs, head_dirs)
    result = guard({env: p.resources.changes for env, p in environments.items()}, allowances, today)
    hook_result = guard_hooks({env: p.hooks for env, p in environments.items()}, allowances, today)
    result.unused = [a for a in result.unused if a not in hook_result.used]   # allowances for hooks are used here
    examples = {env: stack_examples(synth.read_stack(head_dirs[env]))
                for env in sorted(PROTECTED_ENVIRONMENTS) if env in head_dirs}
    return Plan(base_ref, base_sha, head, environments, result, scan(head_dirs),
                [terraform_diff(env, repo) for env in terraform_envs], examples, hook_result)


def run(repo: Path, base_ref: str, scan: ScanSummary = scan_not_wired, terraform_envs: tuple[str, ...] = (),
        terraform_diff: TerraformDiff = cdktf_diff, today: dt.date | None = None,
        workdir: Path | None = None) -> Plan:
    """Synthesize both sides offline and build the plan. `workdir` keeps the syntheses (tests reuse them)."""
    repo = synth.repository_root(Path(repo))
    allowances = load_allowances(repo)      # the working tree's: a malformed file fails before the slow part
    dirty = synth.git(repo, "status", "--porcelain", "--untracked-files=no")
    head = synth.git(repo, "rev-parse", "--short=12", "HEAD") + (" + uncommitted changes" if dirty else "")
    with tempfile.TemporaryDirectory(prefix="ysg-plan-") as scratch:
        out = Path(workdir or scratch)
        with synth.worktree(repo, base_ref) as (base_root, base_sha):
            base_dirs = synth.synthesize_checkout(base_root, out / "base", f"base {base_ref}")
        head_dirs = synth.synthesize_checkout(repo, out / "head", "the working tree")
        return build(base_ref, base_sha, head, base_dirs, head_dirs, repo, allowances, scan, terraform_envs,
                     terraform_diff, today)


# ---- Markdown ------------------------------------------------------------------------------------

ACTION_TITLES = {"replace": "Replaced (destroy, then create)", "delete": "Removed (destroyed)",
                 "create": "Added", "update": "Changed in place"}


def render(plan: Plan) -> str:
    lines = [MARKER, f"# Plan: `{plan.head}` against `{plan.base_ref}` ({plan.base_sha[:12]})", ""]
    lines += ["Synthesized offline from both checkouts; no Terraform state was read. "
              "Counts are objects in the synthesized configuration, not in the account.", ""]
    lines += ["| environment | add | change | replace | destroy | hooks changed | preview features |",
              "|---|---:|---:|---:|---:|---:|---|"]
    for env, p in plan.environments.items():
        r = p.resources
        preview = "changed" if r.preview_before != r.preview_after else "unchanged"
        lines.append(f"| {env} | {len(r.by_action('create'))} | {len(r.by_action('update'))} | "
                     f"{len(r.by_action('replace'))} | {len(r.by_action('delete'))} | {len(p.hooks)} | {preview} |")
    lines += ["", *_guard(plan.guard, plan.hook_guard), *_deployability(plan.examples)]
    for env, p in plan.environments.items():
        lines += _environment(p)
    lines += ["## Policy scan", "", plan.scan.strip(), ""]
    for result in plan.terraform:
        lines += _terraform(result)
    return "\n".join(lines).rstrip() + "\n"


def _guard(result: GuardResult, hooks: HookGuardResult | None = None) -> list[str]:
    hooks = hooks or HookGuardResult()
    lines = ["## Prod guard", ""]
    if not result.refused and not result.allowed:
        lines.append("No database, schema, landing table or stage is destroyed, replaced or renamed in prod.")
    if not hooks.refused and not hooks.allowed:
        lines.append("No added or changed hook deletes, truncates, overwrites, replaces or drops data in prod.")
    for g in hooks.refused:
        lines.append(f"- **REFUSED**: hook `{g.change.name}` ({g.change.sql_file}) in {g.environment} "
                     f"{'destroys data' if g.action == 'destroy' else 'replaces a table'}: "
                     f"{'; '.join(g.statements)}. Add an allowance to `{ALLOWANCES_FILE}` in this pull request: "
                     f"`{{environment: {g.environment}, address: {g.address}, action: {g.action}, reason: ..., "
                     "expires: YYYY-MM-DD}`.")
    for g in hooks.allowed:
        lines.append(f"- allowed: hook `{g.change.name}` in {g.environment} ({g.action}: {'; '.join(g.statements)}), "
                     f"until {g.allowance.expires}: {g.allowance.reason}")
    for g in result.refused:
        lines.append(f"- **REFUSED**: {g.action} of {g.kind} `{g.change.address}` in {g.environment} "
                     f"({_why(g.change)}). Add an allowance to "
                     f"`{ALLOWANCES_FILE}` in this pull request: `{{environment: {g.environment}, "
                     f"address: {g.change.address}, action: {g.action}, reason: ..., expires: YYYY-MM-DD}}`.")
    for g in result.allowed:
        lines.append(f"- allowed: {g.action} of {g.kind} `{g.change.address}` in {g.environment}, "
                     f"until {g.allowance.expires}: {g.allowance.reason}")
    for a in result.expired:
        lines.append(f"- expired allowance (remove it): {a.action} `{a.address}` in {a.environment}, "
                     f"expired {a.expires}")
    for a in result.unused:
        lines.append(f"- unused allowance (nothing it allows happens in this change): {a.action} `{a.address}` "
                     f"in {a.environment}")
    refused = len(result.refused) + len(hooks.refused)
    if refused:
        lines += ["", f"**The plan fails**: {refused} destructive change(s) in prod without an allowance."]
    return lines + [""]


def _deployability(examples: dict[str, list[str]]) -> list[str]:
    lines = []
    for env, values in examples.items():
        if not values:
            lines.append(f"{env} holds no example value: it is deployable.")
            continue
        lines += [f"**{env} is not deployable**: it still holds {len(values)} example value(s); replace them "
                  "(README, \"First deploy\"). Terraform would refuse to plan it:", ""]
        lines += [f"- {value}" for value in values]
    return lines + ([""] if lines else [])


def _why(change: ResourceChange) -> str:
    if change.renamed:
        name = next(a for a in change.attributes if a.path == "name")
        return (f"renamed in place, {name.before} -> {name.after}: the object stays, but every consumer that names "
                "it breaks: views and hooks, grants by name, the app, the Kafka connector, people's queries")
    return change.reason or "removed from the configuration"


def _environment(p: EnvironmentPlan) -> list[str]:
    r = p.resources
    lines = [f"## {p.environment}", ""]
    if p.only_in:
        lines += [f"This environment exists only in the {p.only_in}.", ""]
    if not r.changes and not p.hooks and r.preview_before == r.preview_after and not r.settings:
        return lines + ["No changes.", ""]
    for action in ("replace", "delete", "create", "update"):
        changes = r.by_action(action)
        if not changes:
            continue
        lines += [f"### {ACTION_TITLES[action]}", ""]
        for change in changes:
            lines += _change(change)
    if r.settings:
        lines += ["### Provider and backend settings", "", *_table(r.settings), ""]
    if p.hooks:
        lines += ["### Hooks", ""]
        for hook in p.hooks:
            note = " (Snowflake only)" if hook.snowflake_only else ""
            lines += [f"- {hook.action}: `{hook.name}` from `{hook.sql_file}`{note}", ""]
            if hook.destroys:
                lines += [f"  - **destroys data**: {what}" for _, what in hook.destroys] + [""]
            if hook.diff:
                body = hook.diff.rstrip("\n")
                lines += [f"<details><summary>SQL diff of {hook.sql_file} ({body.count(chr(10)) + 1} lines)</summary>",
                          "", "```diff", body, "```", "", "</details>", ""]
    lines += ["### Preview features enabled", ""]
    if r.preview_before == r.preview_after:
        lines.append(f"Unchanged: {', '.join(f'`{f}`' for f in r.preview_after) or 'none'}.")
    else:
        added = sorted(set(r.preview_after) - set(r.preview_before))
        removed = sorted(set(r.preview_before) - set(r.preview_after))
        lines.append(f"Now: {', '.join(f'`{f}`' for f in r.preview_after) or 'none'}.")
        lines += [f"- enabled: `{f}`" for f in added] + [f"- no longer enabled: `{f}`" for f in removed]
    return lines + [""]


def _change(change: ResourceChange) -> list[str]:
    flag = " **DESTRUCTIVE**" if change.destructive else " **RENAMED**" if change.renamed else ""
    lines = [f"- `{change.address}` ({change.path}){flag}"]
    if change.reason:
        lines.append(f"  - {change.reason}")
    if change.action == "delete":
        return lines + [""]
    if change.attributes:
        lines += ["", *("  " + line for line in _table(change.attributes, creating=change.action == "create"))]
    return lines + [""]


def _table(attributes: tuple[AttributeChange, ...], creating: bool = False) -> list[str]:
    if creating:
        rows = ["| attribute | value |", "|---|---|"]
        return rows + [f"| `{a.path}` | {_cell(a.after)} |" for a in attributes]
    rows = ["| attribute | before | after |", "|---|---|---|"]
    for a in attributes:
        mark = " (forces replacement)" if a.forces_replacement else ""
        rows.append(f"| `{a.path}`{mark} | {_cell(a.before)} | {_cell(a.after)} |")
    return rows


def _cell(value: str) -> str:
    text = value.replace("|", "\\|").replace("\n", " ⏎ ")
    return f"`{text}`" if "`" not in text else text


def _terraform(result: TerraformResult) -> list[str]:
    title = f"## Terraform plan (`cdktf diff {stack_name(result.environment)}`)"
    if not result.ran:
        return [title, "", f"Not run: {result.reason}.", ""]
    status = "" if not result.failed else f"**Failed**: {result.reason}.\n\n"
    return [title, "", status + "```text", result.output, "```", ""]
