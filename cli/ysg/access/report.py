"""One stack's access report: every hook statement and consumer with each privilege it needs and the
grant that provides it, or what is missing; and its text form, as `ysg access` prints it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ysg.access.check import (BOOTSTRAP_FILE, AccessInputError, Checker, Context, Need, Result, load_bootstrap,
                              load_executes, load_system_objects, read_manifest)
from ysg.access.consumers import check_consumers
from ysg.access.model import HOOKS, AccessModel, Moment, Source, role
from ysg.access.requirements import Requirements, load_requirements
from ysg.access.stack import STACK_FILE, TerraformStack, load_stack
from ysg.access.statements import analyze
from ysg_core.naming import EnvironmentNames


@dataclass
class AccessReport:
    environment: str
    stack_dir: Path
    deploy_role: str
    bootstrap: str                           # what bootstrap.sql held, or why there was none
    statements: list[Result] = field(default_factory=list)
    consumers: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def results(self) -> list[Result]:
        return self.statements + self.consumers

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    def missing(self) -> list[tuple[str, Need]]:
        """(label, need) for every requirement not held; a statement the model cannot read counts too."""
        found = []
        for result in self.results:
            if result.error:
                found.append((result.label, Need(result.error, False, missing=result.error)))
            found.extend((result.label, n) for n in result.needs if not n.held)
        return found


def check_stack(stack_dir: Path, deploy_role: str | None = None, app_dir: Path | None = None,
                requirements: Requirements | None = None) -> AccessReport:
    """Build the model from bootstrap.sql and cdk.tf.json, walk every hook statement in manifest order
    as the role that runs it, then check the consumers."""
    stack_dir = Path(stack_dir)
    if not stack_dir.is_dir():
        raise AccessInputError(f"{stack_dir}: no such stack folder; run `ysg synth` first")
    requirements = requirements or load_requirements()
    stack = TerraformStack.from_file(stack_dir / STACK_FILE)
    manifest = read_manifest(stack_dir)
    model = AccessModel()
    checker = Checker(model, requirements, stack)
    load_system_objects(checker)
    bootstrap = load_bootstrap(checker, stack_dir / BOOTSTRAP_FILE)
    deployer = load_stack(model, stack, deploy_role)
    load_executes(checker, stack, deployer)
    databases = [stack.name_of(a)[0] for a, _ in stack.of_type("snowflake_database")]
    names = EnvironmentNames(manifest["environment"], databases[0] if databases else "UNKNOWN")
    report = AccessReport(manifest["environment"], stack_dir, deployer.name[0], bootstrap)

    # The lead's runner pins the role and warehouse: `run_as` at the top of hooks.json, a hook's own
    # `role` (or `warehouse`) overriding it. Without them, the environment's pipeline role and warehouse.
    run_as = manifest.get("run_as") or {}
    seq = 0
    for hook in manifest["hooks"]:
        hook_role = hook.get("role") or run_as.get("role")
        warehouse = hook.get("warehouse") or run_as.get("warehouse")
        assumed = "" if hook_role and warehouse else \
            "hooks.json names no run_as: assumed the environment's pipeline role and warehouse (ysg_core.naming)"
        principal = role(hook_role or names.roles.pipeline)
        warehouse = warehouse or names.warehouse
        for index, statement in enumerate(hook["statements"], start=1):
            seq += 1
            label = f"{hook['name']} #{index}"
            ctx = Context(principal, warehouse, None, None, Moment(HOOKS, seq), Source(f"hook {label}", "hook"))
            analysis = analyze(statement)
            kind = requirements.statements.get(analysis.kind)
            report.statements.append(checker.check(analysis, kind, ctx, label, assumed))
            if kind is not None:
                checker.apply(analysis, ctx)
    report.consumers = check_consumers(checker, names, stack_dir, app_dir, report.notes)
    return report


def format_report(report: AccessReport, verbose: bool = False) -> str:
    """Per statement: the role, each required privilege and the grant that provides it, or MISSING."""
    lines = [f"access model of {report.stack_dir} (environment {report.environment})",
             f"  Terraform runs as: {report.deploy_role}; bootstrap: {report.bootstrap}"]
    assumed = {r.assumed for r in report.statements if r.assumed}
    for note in sorted(assumed) + report.notes:
        lines.append(f"  note: {note}")
    for title, results in (("hook statements", report.statements), ("consumers", report.consumers)):
        lines.append(f"{title}:")
        for result in results:
            # A statement's assumption is said once, above; a consumer's (whose role, from where) each time.
            lines += _result_lines(result, verbose, why=result.assumed if results is report.consumers else "")
    missing = report.missing()
    unquoted = any(not n.quoted for r in report.results for n in r.needs)
    if unquoted:
        lines.append("† the requirement's own source is a note, not a quotation (cli/ysg/access/requirements.yaml)")
    lines.append(f"access: {len(missing)} missing" if missing else "access: every privilege is held")
    return "\n".join(lines)


def _result_lines(result: Result, verbose: bool, why: str = "") -> list[str]:
    who = f"as {result.role}" + (f" on warehouse {result.warehouse}" if result.warehouse else "") + \
        (f" ({why})" if why else "")
    lines = [f"  {result.label}  {result.text}", f"      {who}"]
    if result.error:
        lines.append(f"      MISSING  {result.error}")
    if not result.needs and not result.error:
        lines.append("      (no privilege required)")
    for need in result.needs:
        mark = "" if need.quoted else " †"
        if need.held:
            first = need.providers[0].describe() if need.providers else ""
            more = f" (+{len(need.providers) - 1} more)" if len(need.providers) > 1 and not verbose else ""
            lines.append(f"      ok       {need.text}{mark}  <- {first}{more}")
            if verbose:
                lines += [f"                 also <- {h.describe()}" for h in need.providers[1:]]
        else:
            lines.append(f"      MISSING  {need.missing}{mark}")
            lines += [f"               hint: {hint}" for hint in need.hints]
    return lines
