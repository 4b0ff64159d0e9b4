""".github/dependabot.yml covers every file of the repository that pins a dependency.

The pinning files are found in the repository (tracked, or new and not ignored), and each is matched to
the Dependabot ecosystem that reads it, by the file names Dependabot's own fetchers read (dependabot-core
at 54c10285aafe229d2e8e2708c1c716d6a0a534f8):
- pip: requirement files ending in .txt or .in whose name holds "requirements", in the configured folder
  or a folder right below it (python/lib/dependabot/python/shared_file_fetcher.rb, req_txt_and_in_files,
  req_files_for_dir, requirements_file?), and pyproject.toml, setup.py, setup.cfg, Pipfile, poetry.lock,
  pdm.lock in the folder (python/lib/dependabot/python/file_fetcher.rb);
- npm: package.json and its lock files (npm_and_yarn/lib/dependabot/npm_and_yarn/file_fetcher.rb);
- uv: uv.lock (uv/);
- github-actions: "/" reads .github/workflows/*.yml and *.yaml, any other folder its own YAML files
  (github_actions/lib/dependabot/github_actions/file_fetcher.rb, workflow_files; constants.rb:21-31).
A lock file none of them reads (`requirements-x.lock`, say) is reported as such: Dependabot would never
move its pins.
"""
from __future__ import annotations

import fnmatch
import subprocess
from pathlib import PurePosixPath

import pytest
import yaml

from ysg_core.paths import REPO_ROOT

PIP_FILES = ("pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "Pipfile.lock", "poetry.lock", "pdm.lock")
NPM_FILES = ("package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml")
# Names that pin dependencies whatever reads them: each must be read by an ecosystem that is configured.
PINNING = ("*.lock", "*-lock.json", "*-lock.yaml", "*shrinkwrap.json", "requirements*.txt", "requirements*.in",
           *PIP_FILES, *NPM_FILES)


def repository_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    return [f for f in listed if (REPO_ROOT / f).is_file()]


def readers(path: str) -> list[tuple[str, set[str]]]:
    """(ecosystem, the folders whose entry reads this file), for each ecosystem that reads it."""
    p = PurePosixPath(path)
    folder, parent = (f"/{d}" if str(d) != "." else "/" for d in (p.parent, p.parent.parent))
    if str(p.parent) == ".github/workflows" and p.suffix in (".yml", ".yaml"):
        return [("github-actions", {"/", "/.github/workflows"})]
    if p.name in ("action.yml", "action.yaml"):
        return [("github-actions", {folder})]
    if "requirements" in p.name and p.name.endswith((".txt", ".in")):
        return [("pip", {folder, parent})]
    if p.name in PIP_FILES:
        return [("pip", {folder})]
    if p.name in NPM_FILES:
        return [("npm", {folder})]
    if p.name == "uv.lock":
        return [("uv", {folder})]
    return []


def configured(config: dict) -> set[tuple[str, str]]:
    entries = set()
    for update in config["updates"]:
        for directory in update.get("directories", [update.get("directory")]):
            entries.add((update["package-ecosystem"], "/" + directory.strip("/")))
    return entries


def uncovered(files: list[str], config: dict) -> list[str]:
    entries, problems = configured(config), []
    for path in sorted(files):
        found = readers(path)
        if not found:
            if any(fnmatch.fnmatch(PurePosixPath(path).name, pattern) for pattern in PINNING):
                problems.append(f"{path}: pins dependencies, but no Dependabot ecosystem reads a file of that name")
            continue
        for ecosystem, folders in found:
            if not any((ecosystem, f) in entries for f in folders):
                problems.append(f"{path}: no {ecosystem} entry for {' or '.join(sorted(folders))}")
    return problems


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load((REPO_ROOT / ".github" / "dependabot.yml").read_text())


def test_every_file_that_pins_a_dependency_is_updated_by_dependabot(config):
    assert uncovered(repository_files(), config) == []


def test_the_repository_has_each_kind_of_pinning_file_this_checks(config):
    ecosystems = {e for f in repository_files() for e, _ in readers(f)}
    assert ecosystems == {"github-actions", "npm", "pip"}


@pytest.mark.parametrize("new_file, problem", [
    ("requirements-docs.lock", "requirements-docs.lock: pins dependencies, but no Dependabot ecosystem reads"),
    ("tools/node/package-lock.json", "tools/node/package-lock.json: no npm entry for /tools/node"),
    (".github/actions/deploy/action.yml", ".github/actions/deploy/action.yml: no github-actions entry for "
                                          "/.github/actions/deploy"),
    ("uv.lock", "uv.lock: no uv entry for /"),
    ("services/api/requirements.txt", "services/api/requirements.txt: no pip entry for /services or /services/api"),
])
def test_a_new_pinning_file_without_an_entry_is_reported(config, new_file, problem):
    problems = uncovered(repository_files() + [new_file], config)
    assert [p for p in problems if p.startswith(problem)] == problems != []


def test_a_requirements_file_one_folder_down_is_read_by_the_entry_above(config):
    assert uncovered(repository_files() + ["docs/requirements.txt"], config) == []


def test_files_that_merely_mention_requirements_or_locks_are_not_pinning_files(config):
    assert uncovered(["ysg/access/requirements.yaml", "tests/ysg/hooks/test_runner_clock_and_lock.py"], config) == []
