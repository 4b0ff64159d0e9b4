"""The repository's layout rules that, broken, break everything: library resolution and binding imports."""
from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
from pathlib import Path

from ysg.plan.synth import source_roots
from ysg_core.paths import REPO_ROOT


def test_constructs_is_the_library_even_from_the_repository_root():
    # Run from the repo root with '' on sys.path, where a package named `constructs` would shadow it.
    probe = ("import constructs, cdktf; "
             "print(constructs.__file__); "
             "print(cdktf.TerraformStack.__mro__[1] is constructs.Construct or "
             "issubclass(cdktf.TerraformStack, constructs.Construct))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True,
                         check=True, env={"JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
                                          "PATH": "/usr/bin:/bin:/usr/local/bin"}).stdout.split()
    library_dir = Path(sysconfig.get_paths()["purelib"]).resolve()
    assert Path(out[0]).resolve().is_relative_to(library_dir), out[0]
    assert out[1] == "True"


def test_every_layer_is_a_source_root_not_a_package():
    """constructs/ above all: a package of that name would shadow the library."""
    roots = source_roots(REPO_ROOT)
    packages = {root: sorted(p.parent.name for p in (REPO_ROOT / root).glob("*/__init__.py")) for root in roots}
    assert ([r for r in roots if (REPO_ROOT / r / "__init__.py").exists()], packages["constructs"], packages["core"],
            packages["cli"]) == ([], ["ysg_constructs"], ["ysg_core"], ["ysg"])


def test_provider_bindings_are_imported_in_one_module_only():
    pattern = re.compile(r"^\s*(from|import)\s+(cdktf_cdktf_provider_snowflake|cdktf)\b", re.M)
    offenders = []
    for folder in (*source_roots(REPO_ROOT), "app", "benchmarks"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            if path.name == "bindings.py" and path.parent.name == "ysg_constructs":
                continue
            if pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(REPO_ROOT)))
    assert offenders == [], f"import cdktf or the provider bindings only in ysg_constructs/bindings.py: {offenders}"
