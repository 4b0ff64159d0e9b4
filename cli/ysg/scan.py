"""The policy scan: checkov, in its own environment, runs our Snowflake pack over every synthesized stack.

checkov judges each resource (through policies/checkov_pack); this module runs it once over all stacks,
checks every declared suppression and the stacks' conformance with the provider (ysg.conformance), prints a
summary, and decides: any unsuppressed failure of an `error` rule, any invalid suppression, any
conformance finding, or any hook that does more than it declares or touches what Terraform owns
(ysg_hooks.effects) fails the scan. SARIF and JUnit XML are checkov's own.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ysg import conformance
from ysg.provider_facts import ProviderFactsError
from ysg_core.paths import REPO_ROOT
from ysg_hooks.effects import UnreadableStatement, judge, read_all, terraform_owned
from ysg_hooks.manifest import MANIFEST_FILE, ManifestError, load_manifest
from ysg_policies.model import Stack
from ysg_policies.pack import ERROR, pack_rules
from ysg_policies.suppressions import SUPPRESSED, of_stack

CHECKOV = Path(os.environ.get("YSG_CHECKOV", REPO_ROOT / ".venv-checkov" / "bin" / "checkov"))
PACK_DIR = REPO_ROOT / "policies" / "checkov_pack"
# checkov's command line with a C YAML parser and no in-memory debug log (results unchanged; see the file).
LAUNCHER = REPO_ROOT / "policies" / "checkov_launcher.py"
REPORT_DIRNAME = "policy-scan"
REPORT_FILES = ("results_json.json", "results_sarif.sarif", "results_junitxml.xml")  # checkov's names


class ScanError(RuntimeError):
    """The scan could not run (checkov missing, crashed, or produced no report)."""


@dataclass(frozen=True)
class Finding:
    stack: str
    rule_id: str
    rule_name: str
    resource: str
    detail: str


@dataclass
class ScanReport:
    passed: int = 0
    passed_by_stack: dict[str, int] = field(default_factory=dict)
    failed: list[Finding] = field(default_factory=list)  # unsuppressed failures of error rules
    warnings: list[Finding] = field(default_factory=list)  # unsuppressed failures of warning rules
    suppressed: list[Finding] = field(default_factory=list)  # detail holds the reason
    invalid_suppressions: list[str] = field(default_factory=list)
    unused_suppressions: list[str] = field(default_factory=list)  # valid, but their rule passes: reported only
    conformance: list[conformance.Finding] = field(default_factory=list)  # values the provider refuses, ...
    hooks: list[str] = field(default_factory=list)   # hooks doing more than they declare, or to Terraform's objects
    report_dir: Path | None = None

    @property
    def ok(self) -> bool:
        return (not self.failed and not self.invalid_suppressions and not self.conformance and not self.hooks
                and self.passed > 0)


def _checkov_command(stack_files: list[Path], out_dir: Path) -> list[str]:
    command = [str(CHECKOV.parent / "python"), str(LAUNCHER), "--skip-download", "--framework", "terraform_json", "--soft-fail",
               "--external-checks-dir", str(PACK_DIR), "--check", "CKV_SNOW_*",
               "-o", "json", "-o", "sarif", "-o", "junitxml", "--output-file-path", str(out_dir),
               # No code blocks in the reports: a finding names its resource and what the rule found,
               # and the synthesized file is beside the report. (Half the reports' size and time.)
               "--compact"]
    for stack_file in stack_files:
        command += ["-f", str(stack_file)]
    return command


def run_checkov(stack_files: list[Path], report_dir: Path, jobs: int = 1) -> list[dict]:
    """checkov over every stack file, in `jobs` processes at once; returns checkov's JSON reports.

    checkov parses and graphs files one after the other, so on a machine with several cores the stacks
    are split between processes; their SARIF and JUnit reports are merged into one of each.
    """
    if not CHECKOV.is_file():
        raise ScanError(f"checkov is not installed at {CHECKOV}; run `make setup`")
    report_dir.mkdir(parents=True, exist_ok=True)
    jobs = max(1, min(jobs, len(stack_files)))
    groups = [stack_files[i::jobs] for i in range(jobs)]
    # The pack reads each stack's own JSON (the adapter), never checkov's rendered attribute values, so
    # checkov need not evaluate every string as a Terraform expression: that was half its graph time.
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RENDER_MAX_LEN": "1"}
    parts = [report_dir / f"part-{i}" for i in range(jobs)]
    running = [subprocess.Popen(_checkov_command(group, part), cwd=report_dir.parent, env=env, text=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for group, part in zip(groups, parts)]
    errors = [process.communicate()[1] for process in running]
    reports = []
    for process, part, stderr in zip(running, parts, errors):
        results = part / "results_json.json"
        if process.returncode != 0 or not results.is_file():
            raise ScanError(f"checkov failed (exit {process.returncode}):\n{stderr[-3000:]}")
        if "Cannot load external check" in stderr:
            raise ScanError(f"checkov could not load the policy pack from {PACK_DIR}:\n{stderr[-3000:]}")
        raw = json.loads(results.read_text(encoding="utf-8"))
        reports += raw if isinstance(raw, list) else [raw]
    if len(parts) == 1:
        for name in REPORT_FILES:
            (parts[0] / name).replace(report_dir / name)
    else:
        _merge(parts, report_dir)
        (report_dir / "results_json.json").write_text(json.dumps(reports, indent=1), encoding="utf-8")
    for part in parts:
        shutil.rmtree(part)
    return reports


def _merge(parts: list[Path], report_dir: Path) -> None:
    """One SARIF file (a run per checkov process) and one JUnit file (their test suites, totals summed)."""
    sarifs = [json.loads((p / "results_sarif.sarif").read_text(encoding="utf-8")) for p in parts]
    merged = {**sarifs[0], "runs": [run for sarif in sarifs for run in sarif["runs"]]}
    (report_dir / "results_sarif.sarif").write_text(json.dumps(merged, indent=2), encoding="utf-8")
    roots = [ET.parse(p / "results_junitxml.xml").getroot() for p in parts]
    for root in roots[1:]:
        for suite in root:
            roots[0].append(suite)
        for key in ("tests", "failures", "errors", "disabled"):
            if key in root.attrib:
                roots[0].set(key, str(int(roots[0].get(key, "0")) + int(root.get(key))))
    ET.ElementTree(roots[0]).write(report_dir / "results_junitxml.xml", encoding="utf-8", xml_declaration=True)


def scan(stack_dirs: dict[str, Path], report_dir: Path | None = None, jobs: int = 1) -> ScanReport:
    stack_files = {d.name: d / "cdk.tf.json" for d in stack_dirs.values()}
    report_dir = report_dir or next(iter(stack_dirs.values())).parent.parent / REPORT_DIRNAME
    rules = pack_rules()
    report = ScanReport(report_dir=report_dir)
    declared = set()
    for name, stack_file in stack_files.items():
        stack = Stack.from_file(stack_file)
        for suppression in of_stack(stack):
            problem = suppression.problem(rules)
            if problem:
                report.invalid_suppressions.append(f"{name}: {suppression.resource} {problem}")
            else:
                declared.add((name, suppression.resource, suppression.rule_id))

    try:
        for stack_dir in stack_dirs.values():
            report.conformance += conformance.check_stack_dir(stack_dir)
    except (ProviderFactsError, ValueError) as exc:       # a malformed facts or documented-values file
        raise ScanError(f"conformance check could not run: {exc}") from None
    for stack_dir in stack_dirs.values():
        report.hooks += hook_findings(Path(stack_dir))
    raw = run_checkov(list(stack_files.values()), report_dir, jobs)
    by_file = {str(f.resolve()): name for name, f in stack_files.items()}
    for framework_report in raw:
        results = framework_report.get("results", {})
        for record in results.get("passed_checks", []):
            stack = _finding(record, by_file).stack
            report.passed_by_stack[stack] = report.passed_by_stack.get(stack, 0) + 1
            report.passed += 1
        for kind in ("failed_checks", "skipped_checks"):
            for record in results.get(kind, []):
                finding = _finding(record, by_file)
                if kind == "skipped_checks":
                    report.suppressed.append(finding)
                elif rules.get(finding.rule_id, (None, ERROR))[1] == ERROR:
                    report.failed.append(finding)
                else:
                    report.warnings.append(finding)
    used = {(f.stack, f.resource, f.rule_id) for f in report.suppressed}
    report.unused_suppressions = [f"{stack}: {resource} suppresses {rule_id}, which passes there"
                                  for stack, resource, rule_id in sorted(declared - used)]
    return report


def hook_findings(stack_dir: Path) -> list[str]:
    """The stack's hooks judged again from its hooks.json: each does exactly what it declares, and nothing
    no hook may do to the objects of its cdk.tf.json (synthesis refuses both; this sees a stack folder
    edited or built elsewhere)."""
    if not (stack_dir / MANIFEST_FILE).is_file():
        return []
    try:
        manifest = load_manifest(stack_dir)
    except ManifestError as exc:
        return [f"{stack_dir.name}: {exc}"]
    findings = []
    for hook in manifest.hooks:
        where = f"hook {hook.name} ({hook.sql_file})"
        try:
            judge(read_all(hook.statements, where), hook.creates, hook.writes, where)
        except UnreadableStatement as exc:
            findings.append(f"{stack_dir.name}: {exc}")
    document = json.loads((stack_dir / "cdk.tf.json").read_text(encoding="utf-8"))
    return findings + [f"{stack_dir.name}: {problem}" for problem in terraform_owned(manifest.hooks, document)]


def _finding(record: dict, by_file: dict[str, str]) -> Finding:
    """A checkov record; the adapter's details are [address, what the rule found, `suppressed: <reason>`]."""
    path = record.get("file_abs_path") or record.get("file_path", "")
    stack = by_file.get(str(Path(path).resolve()), Path(path).parent.name)
    details = list(record.get("details") or [])
    address = details.pop(0) if details else record.get("resource", "")
    reasons = [d.removeprefix(SUPPRESSED) for d in details if d.startswith(SUPPRESSED)]
    found = [d for d in details if not d.startswith(SUPPRESSED)]
    return Finding(stack, record["check_id"], record.get("check_name", ""), address,
                   "; ".join(reasons if record["check_result"]["result"] == "SKIPPED" else found))


def format_report(report: ScanReport) -> str:
    lines = [f"policy scan: {report.passed} passed, {len(report.failed)} failed, {len(report.warnings)} warnings, "
             f"{len(report.suppressed)} suppressed, {len(report.invalid_suppressions)} invalid suppressions, "
             f"{len(report.conformance)} conformance findings, {len(report.hooks)} hook findings"]
    for stack in sorted(set(report.passed_by_stack) | {f.stack for f in report.failed + report.suppressed}):
        count = lambda findings: sum(1 for f in findings if f.stack == stack)  # noqa: E731
        lines.append(f"  {stack}: {report.passed_by_stack.get(stack, 0)} passed, {count(report.failed)} failed, "
                     f"{count(report.suppressed)} suppressed")
    for title, findings in (("FAILED", report.failed), ("WARNING", report.warnings)):
        for f in sorted(findings, key=lambda f: (f.stack, f.rule_id, f.resource)):
            lines.append(f"  {title} {f.rule_id} {f.stack} {f.resource}: {f.rule_name}" +
                         (f" ({f.detail})" if f.detail else ""))
    for f in sorted(report.suppressed, key=lambda f: (f.stack, f.rule_id, f.resource)):
        lines.append(f"  SUPPRESSED {f.rule_id} {f.stack} {f.resource}: {f.detail}")
    for finding in report.conformance:
        lines.append(f"  CONFORMANCE {finding}")
    for finding in report.hooks:
        lines.append(f"  HOOK {finding}")
    for problem in report.invalid_suppressions:
        lines.append(f"  INVALID SUPPRESSION {problem}")
    for unused in report.unused_suppressions:
        lines.append(f"  UNUSED SUPPRESSION {unused}")
    if report.passed == 0:
        lines.append("  no check passed: the pack did not run, which protects nothing")
    if report.report_dir:
        lines.append(f"reports: {report.report_dir}/results_sarif.sarif, {report.report_dir}/results_junitxml.xml")
    lines.append("policy scan " + ("passed" if report.ok else "FAILED"))
    return "\n".join(lines)
