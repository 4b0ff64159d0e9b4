"""Where things are in the repository: importable without loading anything else."""
from __future__ import annotations

import os
from pathlib import Path

# core/ysg_core/paths.py: two folders below the repository root.
REPO_ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENTS_DIR = REPO_ROOT / "environments"
# Where cdktf synthesizes to (cdktf.json "output"); each stack in stacks/<stack name>/.
DEFAULT_OUTDIR = REPO_ROOT / "cdktf.out"
# The embedded emulator's database folder, unless $YSG_EMULATOR_DIR or an option says otherwise.
EMULATOR_DIR = REPO_ROOT / ".local" / "emulator"
# For the node tools (cdktf, terraform): no end-of-life banner, no HashiCorp checkpoint call.
NODE_TOOL_ENV = {"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "CHECKPOINT_DISABLE": "1"}
# The Terraform every stack requires: the S3 backend's `use_lockfile` (S3-native state locking) arrived,
# experimental, in 1.10 and is generally available from 1.11
# (https://developer.hashicorp.com/terraform/language/v1.11.x/upgrade-guides, "S3 Native State Locking");
# the hook trigger's `terraform_data` needs 1.4.
TERRAFORM_REQUIRED_VERSION = ">= 1.11"
# Import blocks (Terraform >= 1.5) of the objects an administrator creates and Terraform adopts (the
# warehouse and its monitors: bootstrap/), in a file of their own beside cdk.tf.json: "A common pattern is
# to create an imports.tf file" and, once imported, they may stay "as a record of the resource's origin"
# (developer.hashicorp.com/terraform/language/v1.8.x/import). Not in cdk.tf.json, where checkov 3.3.30's
# terraform_json parser fails on a top-level `import` list (checkov/terraform_json/parser.py:138,
# hclify: "this method receives only dicts") and then checks nothing; written in HCL, which Terraform reads
# beside the JSON and checkov's terraform_json framework does not open.
IMPORTS_FILE = "imports.tf"
# Written beside each stack at synthesis (ysg_stacks.app), from the provider bindings, for readers that run
# where the bindings are not installed: every preview feature the provider accepts (read by the policy
# pack), and the enumerations the bindings' docstrings document (read by the scan's conformance check).
PREVIEW_FEATURES_FILE = "preview-features.json"
DOCUMENTED_VALUES_FILE = "documented-values.json"

# What synthesis reads: a synthesized stack older than any file here is stale. The code is the stacks
# and the layers below them (the import contract keeps the command line and the policy pack out of
# synthesis); `data/` holds the knowledge documents and `app/` the app files, both rendered into the hook
# manifests; `bootstrap/` the administrator's template rendered beside each stack.
SYNTH_SOURCES = ("environments", "core", "constructs", "hooks", "stacks", "sql", "data", "app", "bootstrap")


# Written beside the stacks by every synthesis: the digest of the sources it read (`sources_digest`).
SOURCES_FILE = "sources.sha256"


def sources_digest(root: Path | None = None) -> str:
    """The checksum of every synthesis input: each file under SYNTH_SOURCES, its path and its bytes. A
    changed, added or deleted file (a knowledge document removed, say) changes it; a modification time
    alone does not."""
    import hashlib

    root = Path(root or REPO_ROOT)
    digest = hashlib.sha256()
    for top in SYNTH_SOURCES:
        for source in sorted((root / top).rglob("*")):
            if source.is_file() and "__pycache__" not in source.parts and source.suffix != ".pyc":
                digest.update(source.relative_to(root).as_posix().encode("utf-8") + b"\x00")
                digest.update(source.read_bytes() + b"\x00")
    return f"sha256:{digest.hexdigest()}"


def stale_synthesis(outdir: Path) -> str | None:
    """Why the synthesis in `outdir` is not that of the current sources, or None when it is."""
    recorded = Path(outdir) / SOURCES_FILE
    if not recorded.is_file():
        return f"{recorded} is missing"
    if recorded.read_text(encoding="utf-8").strip() != sources_digest():
        return "a source changed, was added or was removed since"
    return None


def newer_source(built: Path) -> Path | None:
    """A source file newer than `built` (or `built` itself when it does not exist), else None."""
    if not built.exists():
        return built
    built_at = built.stat().st_mtime
    for root in SYNTH_SOURCES:
        for source in (REPO_ROOT / root).rglob("*"):
            if source.is_file() and "__pycache__" not in source.parts and source.stat().st_mtime > built_at:
                return source
    return None


def environment_files(directory: Path = ENVIRONMENTS_DIR) -> list[Path]:
    """The environment files of a folder: every `*.yaml` but the shared `_*.yaml` layers."""
    return sorted(p for p in Path(directory).glob("*.yaml") if not p.name.startswith("_"))


def stack_dir(outdir: Path, stack: str) -> Path:
    """A synthesized stack's folder in an output folder."""
    return Path(outdir) / "stacks" / stack


def cdktf_binary(repo: Path = REPO_ROOT) -> Path:
    """The cdktf CLI that package.json pins."""
    return Path(repo) / "node_modules" / ".bin" / "cdktf"


def emulator_dir(given: Path | str | None = None) -> Path:
    """The emulator's folder: the one given, else $YSG_EMULATOR_DIR, else .local/emulator/."""
    return Path(given or os.environ.get("YSG_EMULATOR_DIR") or EMULATOR_DIR)
