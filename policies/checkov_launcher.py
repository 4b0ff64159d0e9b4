"""checkov's own command line (`checkov.main.Checkov().run()`), with two changes that make it faster on
cdk.tf.json and change no result. Run by `ysg scan` with checkov's interpreter:

    .venv-checkov/bin/python policies/checkov_launcher.py <checkov arguments>

1. checkov reads `terraform_json` files as YAML, through PyYAML's pure-Python parser and its own
   line-numbering loader (`SafeLineLoader`), which is about a third of a scan of our four stacks.
   Here the very same loader class runs on PyYAML's libyaml parser (`CParser`): the same library,
   the same node tree and marks, parsed in C; whatever libyaml refuses goes to checkov's own parser,
   so nothing libyaml cannot read is lost. `tests/policies/test_checkov_launcher.py` proves that
   checkov's definitions of every synthesized stack, line numbers included, are identical. One
   difference is known, and it is in the safe direction: JSON indented with tabs, which checkov's
   parser refuses (and checkov then scans nothing of that file, silently), libyaml reads. cdktf
   never writes tabs.
2. checkov keeps every DEBUG record of a run, formatted, in an in-memory buffer that only its
   `--support` upload to its SaaS reads, and this offline scan never uploads. Records below WARNING
   are not created at all; warnings and errors reach stderr exactly as before.

It is not in `checkov_pack/`, because checkov imports every file of that folder as checks.
"""
from __future__ import annotations

import logging
import sys
import warnings

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

import checkov.logging_init  # noqa: F401  (checkov's logging set-up: root at DEBUG, the buffer handler)
from checkov.common.parsers.yaml import loader as checkov_yaml

try:
    from yaml._yaml import CParser   # PyYAML's binding of libyaml (what yaml.CSafeLoader is made of)
except ImportError:                  # a PyYAML built without libyaml
    CParser = None


def c_safe_line_loader() -> type | None:
    """checkov's SafeLineLoader (its constructor, booleans and line numbers) on libyaml's parser."""
    if CParser is None:
        return None

    class CSafeLineLoader(CParser, checkov_yaml.SafeLineLoader):
        def __init__(self, stream):
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    return CSafeLineLoader


def accelerate() -> None:
    loader = c_safe_line_loader()
    if loader is None:
        # Still checkov's own parser, just slower: say so rather than hide it.
        print("checkov_launcher: PyYAML has no libyaml here; using checkov's pure-Python parser",
              file=sys.stderr)
    else:
        checkovs_loads = checkov_yaml.loads

        def loads(content: str):
            try:
                return list(yaml.load_all(content, Loader=loader))
            except Exception:  # noqa: BLE001 - whatever libyaml refuses, checkov's own parser decides
                return checkovs_loads(content)

        checkov_yaml.loads = loads   # the terraform_json parser calls loader.loads() at call time
    logging.getLogger().setLevel(logging.WARNING)


def main() -> int:
    accelerate()
    from checkov.main import Checkov

    with warnings.catch_warnings():   # as checkov's own bin/checkov does
        warnings.simplefilter("ignore", category=SyntaxWarning)
        return Checkov().run()


if __name__ == "__main__":
    sys.exit(main())
