"""The CDKTF app: every environment's stack, synthesized in one process (the app command of cdktf.json).

Configuration is validated before anything is written, and synthesis goes to a scratch folder that
replaces the output folder only when it is complete: a bad file produces no output at all.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from ysg_core.errors import ConfigError, HookDeclarationError, UserError
from ysg_core.naming import stack_name
from ysg_core.paths import (DEFAULT_OUTDIR, DOCUMENTED_VALUES_FILE, IMPORTS_FILE, PREVIEW_FEATURES_FILE, SOURCES_FILE,
                            TERRAFORM_REQUIRED_VERSION, environment_files, sources_digest, stale_synthesis,
                            stack_dir)
from ysg_hooks.effects import terraform_owned
from ysg_hooks.manifest import MANIFEST_FILE, write_manifest
from ysg_stacks.bootstrap import BOOTSTRAP_FILE, bootstrap_sql


def current_stacks(outdir: Path | str | None = None) -> tuple[dict[str, Path], bool]:
    """Each environment's stack folder, synthesizing only when one is missing or the sources are not those
    it was synthesized from (by content: `ysg_core.paths.stale_synthesis`).

    Returns the folders and whether it synthesized. Cheap when nothing changed: no configuration
    model, no jsii runtime.
    """
    outdir = _outdir(outdir)
    stack_dirs = {path.stem: stack_dir(outdir, stack_name(path.stem)) for path in environment_files()}
    built = [d / name for d in stack_dirs.values()
             for name in ("cdk.tf.json", MANIFEST_FILE, DOCUMENTED_VALUES_FILE, BOOTSTRAP_FILE)]
    if built and all(f.is_file() for f in built) and stale_synthesis(outdir) is None:
        return stack_dirs, False
    return synthesize(outdir), True


def synthesize(outdir: Path | str | None = None, environments_dir: Path | None = None) -> dict[str, Path]:
    """Synthesize every environment into `outdir`; return each stack's folder by environment."""
    # Configuration and the hooks' SQL are plain Python; the jsii runtime mostly waits on node while
    # it starts. So a second thread validates the configuration and renders and checks every
    # environment's hooks meanwhile, and the stacks find their hooks ready (ysg_hooks.declare).
    digest = sources_digest()      # before reading them: a source changed meanwhile makes the next run redo it
    ahead = _Ahead(environments_dir)
    ahead.start()
    # Lazy, for start-up: the provider bindings start the jsii runtime (about a second), after the thread
    # has started; `current_stacks`, when nothing changed, never loads them.
    from ysg_constructs import bindings as b

    configs, hook_inputs, examples = ahead.result()   # raises what the thread raised (a ConfigError, say)
    from ysg_stacks.billing_stack import BillingStack   # lazy, for start-up: imports the bindings (jsii)
    from ysg_stacks.kafka_connector import connector_config

    outdir = _outdir(outdir)
    outdir.parent.mkdir(parents=True, exist_ok=True)
    remove_dead_scratch(outdir.parent)
    scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=outdir.parent))
    try:
        # Two apps: the cdktf CLI deploys only the stacks of the app's manifest (cdktf.out/manifest.json),
        # so an emulator environment's stack, synthesized by an app of its own beside them, is never
        # among the stacks `cdktf deploy` (or `cdktf deploy '*'`) can name. (Its provider cannot even be
        # installed by Terraform: see BillingStack.)
        app, emulator_app = b.App(outdir=str(scratch)), b.App(outdir=str(scratch / EMULATOR_SCRATCH))
        stacks = [BillingStack(emulator_app if config.target == "emulator" else app, config, hook_inputs,
                               examples.get(name, ())) for name, config in configs.items()]
        app.synth()
        emulator_app.synth()
        for stack in stacks:
            if stack.config.target == "emulator":
                stack_dir(scratch / EMULATOR_SCRATCH, stack.config.names.stack).rename(
                    stack_dir(scratch, stack.config.names.stack))
        shutil.rmtree(scratch / EMULATOR_SCRATCH)
        # The policy scan runs where the bindings are not installed; it reads their feature list and the
        # enumerations they document (for the conformance check) from files written here.
        preview_features = json.dumps({"preview_features": sorted(b.preview_features())}, indent=2) + "\n"
        documented_values = json.dumps(b.documented_values(), indent=1, sort_keys=True) + "\n"
        versions = json.dumps({"terraform": {"required_version": TERRAFORM_REQUIRED_VERSION}}, indent=2) + "\n"
        # No hook may claim, drop, truncate, replace or alter what Terraform owns: judged against the very
        # stack synthesized, before anything is written.
        problems = [f"{stack.config.names.stack}: {problem}" for stack in stacks for problem in terraform_owned(
            stack.manifest.hooks, json.loads((stack_dir(scratch, stack.config.names.stack) / "cdk.tf.json")
                                             .read_text(encoding="utf-8")))]
        if problems:
            raise HookDeclarationError("\n".join(problems))
        for stack in stacks:
            config = stack.config
            folder = stack_dir(scratch, config.names.stack)
            move_imports(folder)
            write_manifest(folder, stack.manifest)
            # What an administrator runs once; `ysg access` reads it beside the stack.
            (folder / BOOTSTRAP_FILE).write_text(bootstrap_sql(config), encoding="utf-8")
            (folder / "kafka-connector.json").write_text(
                json.dumps(connector_config(config), indent=2, sort_keys=True) + "\n", encoding="utf-8")
            (folder / PREVIEW_FEATURES_FILE).write_text(preview_features, encoding="utf-8")
            (folder / DOCUMENTED_VALUES_FILE).write_text(documented_values, encoding="utf-8")
            (folder / VERSIONS_FILE).write_text(versions, encoding="utf-8")
        (scratch / SOURCES_FILE).write_text(digest + "\n", encoding="utf-8")
        _replace(outdir, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {env: stack_dir(outdir, cfg.names.stack) for env, cfg in configs.items()}


def move_imports(folder: Path) -> None:
    """Move the import blocks cdktf synthesized (`import_from`) out of cdk.tf.json into IMPORTS_FILE, in
    HCL (ysg_core.paths.IMPORTS_FILE says why). Each id is written as a JSON string, which is also an HCL
    quoted string for the identifiers these stacks import."""
    path = folder / "cdk.tf.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    blocks = document.pop("import", None)
    if not blocks:
        return
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    (folder / IMPORTS_FILE).write_text(
        "# Objects an administrator creates (bootstrap.sql) and Terraform adopts; see core/ysg_core/paths.py.\n\n" +
        "\n".join(f"import {{\n  to = {block['to']}\n  id = {json.dumps(block['id'])}\n}}\n" for block in blocks),
        encoding="utf-8")


# Terraform reads every *.tf.json of the stack's folder, so the required Terraform version stands in a
# file of its own beside cdk.tf.json: checkov 3.3.30's terraform_json parser fails on a plain attribute
# of the `terraform` block (checkov/terraform_json/parser.py, handle_block_type -> hclify: "this method
# receives only dicts"), and a stack it cannot parse is a scan with nothing checked.
VERSIONS_FILE = "versions.tf.json"
EMULATOR_SCRATCH = ".emulator-app"   # where the emulator stacks' own app writes, inside the scratch folder


# Where a synthesis is built before it replaces the output folder: `.synth-<pid>-<random>` beside it
# (git-ignored). A synthesis killed before its cleanup leaves one behind; the next removes it once its
# process is gone. One whose process still runs (another synthesis) is left alone.
SCRATCH_PREFIX = ".synth-"


def remove_dead_scratch(parent: Path) -> list[Path]:
    """Remove the scratch folders of syntheses whose process no longer exists; return them."""
    removed = []
    for folder in Path(parent).glob(f"{SCRATCH_PREFIX}*"):
        pid = folder.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if not folder.is_dir() or not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        except PermissionError:   # alive, another user's
            pass
    return removed


def _outdir(outdir: Path | str | None) -> Path:
    """The output folder: the one given, else $CDKTF_OUTDIR (set by cdktf), else cdktf.out/."""
    return Path(outdir or os.environ.get("CDKTF_OUTDIR") or DEFAULT_OUTDIR).resolve()


class _Ahead(threading.Thread):
    """Loads every environment's configuration and prepares its hooks, off the main thread.

    Only plain-Python modules are imported here (never jsii's). A hook that fails to prepare is left
    alone: its stack's declaration raises the same error, in its place.
    """

    def __init__(self, environments_dir: Path | None):
        super().__init__(name="synth-ahead", daemon=True)
        self._environments_dir = environments_dir
        self._result = None
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            # Lazy, for start-up: imported on this thread while the main one starts jsii, so pydantic (the
            # environment model), cryptography and sqlglot (the hooks) load meanwhile; and `current_stacks`,
            # when nothing changed, loads none of them.
            from ysg_core.config import ENVIRONMENTS_DIR, field_source, load_all
            from ysg_core.deployable import example_values
            from ysg_hooks.declare import prepare_quietly
            from ysg_stacks.data_hooks import HookInputs, declarations

            directory = self._environments_dir or ENVIRONMENTS_DIR
            configs = load_all(directory)
            inputs = HookInputs()
            # What each Snowflake environment still holds of the examples: its stack refuses to plan.
            examples = {name: tuple(str(e) for e in example_values(c, field_source(directory / f"{name}.yaml")))
                        for name, c in configs.items() if c.target == "snowflake"}
            self._result = (configs, inputs, examples)
            for config in configs.values():
                for declaration in declarations(config, inputs):   # as the stack's hook_manifest prepares them
                    prepare_quietly(declaration)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread by result()
            self._error = exc

    def result(self):
        self.join()
        if self._error is not None and self._result is None:
            raise self._error
        return self._result


def _replace(outdir: Path, scratch: Path) -> None:
    """Swap the finished synthesis in; other content of outdir (scan reports, plans) is kept."""
    outdir.mkdir(exist_ok=True)
    for item in scratch.iterdir():
        target = outdir / item.name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        item.rename(target)


def main() -> int:
    try:
        synthesize()
    except ConfigError as exc:
        print(f"configuration error, nothing synthesized:\n{exc}", file=sys.stderr)
        return 2
    except HookDeclarationError as exc:
        print(f"hook refused, nothing synthesized:\n{exc}", file=sys.stderr)
        return 2
    except UserError as exc:   # a hook file, a knowledge document, ...: named in the message
        print(f"nothing synthesized: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
