"""The scan's checkov launcher reads every stack exactly as checkov's own parser does.

Runs in checkov's interpreter (.venv-checkov): checkov's `terraform_json` parser reads each
synthesized stack once with its own pure-Python loader and once with the launcher's libyaml one, and
the definitions (line numbers included) and file lines must be equal. A loader that drops the line
numbers must be told apart, so the comparison cannot pass by being blind.
"""
from __future__ import annotations

import json
import subprocess
import textwrap

import pytest

from ysg import scan

COMPARE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    import yaml
    import checkov_launcher
    from checkov.common.parsers.yaml import loader
    from checkov.terraform_json import parser

    checkovs = loader.loads
    checkov_launcher.accelerate()
    launchers = loader.loads

    def plain_c(content):   # libyaml without checkov's line numbers: must differ
        return list(yaml.load_all(content, Loader=yaml.CSafeLoader))

    out = {}
    for name in sys.argv[2:]:
        results = {}
        for label, loads in (("checkov", checkovs), ("launcher", launchers), ("plain_c", plain_c)):
            loader.loads = loads
            results[label] = parser.loads(Path(name))
        out[name] = {"resources": len(results["checkov"][0]["resource"]),
                     "same": results["launcher"] == results["checkov"],
                     "plain_c_same": results["plain_c"] == results["checkov"]}
    print(json.dumps(out))
""")


def test_the_launcher_parses_every_stack_exactly_as_checkov_does(synthesized):
    if not scan.CHECKOV.is_file():
        pytest.skip(f"checkov is not installed at {scan.CHECKOV} (run `make setup`)")
    files = [str(d / "cdk.tf.json") for d in synthesized.values()]
    done = subprocess.run([str(scan.CHECKOV.parent / "python"), "-c", COMPARE, str(scan.LAUNCHER.parent), *files],
                          capture_output=True, text=True, check=True)
    results = json.loads(done.stdout.splitlines()[-1])
    assert set(results) == set(files)
    for name, result in results.items():
        assert result["resources"] > 100, name       # a real stack was parsed, not an empty one
        assert result["same"], f"{name}: the launcher's definitions differ from checkov's"
        assert not result["plain_c_same"], f"{name}: the comparison cannot see line numbers"


def test_what_libyaml_refuses_is_left_to_checkovs_own_parser(tmp_path):
    if not scan.CHECKOV.is_file():
        pytest.skip(f"checkov is not installed at {scan.CHECKOV} (run `make setup`)")
    bad = tmp_path / "cdk.tf.json"
    bad.write_text('{"resource": "\\q"}\n')   # an escape neither YAML parser accepts
    script = textwrap.dedent("""
        import sys
        from pathlib import Path
        sys.path.insert(0, sys.argv[1])
        import checkov_launcher
        from checkov.common.parsers.yaml import loader
        checkovs = loader.loads
        calls = []
        loader.loads = lambda content: calls.append(content) or checkovs(content)
        checkov_launcher.accelerate()
        from checkov.terraform_json import parser
        print(parser.parse(Path(sys.argv[2])) == (None, None), len(calls))
    """)
    done = subprocess.run([str(scan.CHECKOV.parent / "python"), "-c", script, str(scan.LAUNCHER.parent), str(bad)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.split()[-2:] == ["True", "1"], done.stdout + done.stderr
