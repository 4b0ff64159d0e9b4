"""Reads cli/ysg/access/requirements.yaml: what Snowflake requires per kind of statement, each requirement
with its citation. Refuses a file that names an unknown reference, condition or citation."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ysg_core import safe_yaml
from ysg_core.errors import InputFileError

REQUIREMENTS_FILE = Path(__file__).with_name("requirements.yaml")
FORMAT_VERSION = 1

SINGLE_REFS = frozenset({"account", "target", "target.schema", "target.database", "warehouse",
                         "session.warehouse", "policy", "source", "pipe"})
# References that stand for several objects: the requirement is checked once per object.
MULTI_REFS = frozenset({"reads", "reads.dynamic", "calls", "tools.search", "tools.semantic_view",
                        "tools.semantic_reads", "monitors"})
CONDITIONS = frozenset({"replaces_existing", "initialize_on_create", "has_query", "inserts", "updates",
                        "deletes", "target_in_managed_schema", "target_not_in_managed_schema",
                        "snowflake_database_role", "not_snowflake_database_role", "has_named_pipe"})
MEMBERSHIP = "ROLE"
_ATOM = re.compile(r"^(?:ROLE\s+(?P<role>[A-Z_][A-Z0-9_$.]*)"
                   r"|(?P<privilege>[A-Z][A-Z0-9_. ]*?)\s+on\s+(?P<ref>[a-z_.{}]+))$")


class RequirementsError(ValueError):
    """The requirements file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Citation:
    id: str
    url: str
    section: str
    quote: str            # verbatim from the stored page; "" when status is not-in-stored-copy
    note: str

    @property
    def quoted(self) -> bool:
        return bool(self.quote)


@dataclass(frozen=True)
class Atom:
    privilege: str        # "USAGE", "CREATE VIEW", ... or "ROLE" (the role must inherit `ref`)
    ref: str              # a reference (SINGLE_REFS, MULTI_REFS) or, for ROLE, the role's name


@dataclass(frozen=True)
class Requirement:
    need: str
    alternatives: tuple[tuple[Atom, ...], ...]   # any one group, all of its atoms
    when: str | None
    cites: tuple[Citation, ...]
    note: str
    direct: bool = False     # only grants to the role itself count (no role hierarchy, no database role)

    @property
    def quoted(self) -> bool:
        """Whether the requirement's own source (its first citation) is quoted."""
        return self.cites[0].quoted

    @property
    def multi_ref(self) -> str | None:
        refs = {a.ref for group in self.alternatives for a in group if a.ref in MULTI_REFS}
        return next(iter(refs), None)


@dataclass(frozen=True)
class KindRequirements:
    kind: str
    compute: str          # "true", "false" or "reads" (only when the statement reads a table)
    requirements: tuple[Requirement, ...]
    note: str


@dataclass(frozen=True)
class SystemObject:
    """An object Snowflake itself provides (in the SNOWFLAKE database) that hooks read, and the SNOWFLAKE
    database roles whose grant lets a role read it."""
    name: tuple[str, ...]
    kind: str
    readers: tuple[str, ...]     # "SNOWFLAKE.USAGE_VIEWER", ...
    cites: tuple[Citation, ...]


@dataclass(frozen=True)
class Requirements:
    statements: dict[str, KindRequirements]
    consumers: dict[str, KindRequirements]
    consumer_settings: dict[str, dict]
    general: dict[str, Requirement]
    citations: dict[str, Citation]
    system_objects: tuple[SystemObject, ...] = ()


def _system_objects(section: dict, citations: dict[str, Citation]) -> tuple[SystemObject, ...]:
    found = []
    for name, body in (section or {}).items():
        where = f"{REQUIREMENTS_FILE.name}: system_objects.{name}"
        parts = tuple(str(name).split("."))
        if len(parts) != 3 or parts[0] != "SNOWFLAKE":
            raise RequirementsError(f"{where}: expected SNOWFLAKE.<schema>.<object>")
        readers = tuple(body.get("readers") or ())
        if not readers or not all(re.fullmatch(r"SNOWFLAKE\.[A-Z_]+", r) for r in readers):
            raise RequirementsError(f"{where}.readers: expected SNOWFLAKE.<database role> names")
        cite_ids = body.get("cite") or []
        missing = [c for c in cite_ids if c not in citations]
        if not cite_ids or missing:
            raise RequirementsError(f"{where}.cite: unknown or missing citations {missing}")
        found.append(SystemObject(parts, str(body.get("kind", "VIEW")), readers,
                                  tuple(citations[c] for c in cite_ids)))
    return tuple(found)


def parse_need(need: str, where: str) -> tuple[tuple[Atom, ...], ...]:
    groups = []
    for alternative in need.split(" | "):
        atoms = []
        for text in alternative.split(" & "):
            match = _ATOM.match(text.strip())
            if not match:
                raise RequirementsError(f"{where}: {text.strip()!r} is not '<PRIVILEGE> on <ref>' or 'ROLE <name>'")
            if match["role"]:
                atoms.append(Atom(MEMBERSHIP, match["role"]))
                continue
            ref = match["ref"]
            if ref not in SINGLE_REFS | MULTI_REFS and not re.fullmatch(r"\{object\}\.(database|schema)", ref):
                raise RequirementsError(f"{where}: unknown reference {ref!r}; expected one of "
                                        f"{', '.join(sorted(SINGLE_REFS | MULTI_REFS))}")
            atoms.append(Atom(match["privilege"].strip(), ref))
        groups.append(tuple(atoms))
    multi = {a.ref for g in groups for a in g if a.ref in MULTI_REFS}
    if len(multi) > 1:
        raise RequirementsError(f"{where}: at most one per-object reference in a requirement, got {sorted(multi)}")
    return tuple(groups)


def _requirement(raw: dict, where: str, citations: dict[str, Citation]) -> Requirement:
    if not isinstance(raw, dict) or "need" not in raw:
        raise RequirementsError(f"{where}: a requirement needs `need` and `cite`")
    unknown = set(raw) - {"need", "when", "cite", "note", "direct"}
    if unknown:
        raise RequirementsError(f"{where}: unknown fields {sorted(unknown)}")
    when = raw.get("when")
    if when is not None and when not in CONDITIONS:
        raise RequirementsError(f"{where}.when: unknown condition {when!r}; expected one of {sorted(CONDITIONS)}")
    cite_ids = raw.get("cite") or []
    if not cite_ids:
        raise RequirementsError(f"{where}.cite: every requirement cites at least one source")
    missing = [c for c in cite_ids if c not in citations]
    if missing:
        raise RequirementsError(f"{where}.cite: unknown citations {missing}")
    return Requirement(need=raw["need"], alternatives=parse_need(raw["need"], f"{where}.need"), when=when,
                       cites=tuple(citations[c] for c in cite_ids), note=raw.get("note", ""),
                       direct=bool(raw.get("direct", False)))


def _kinds(section: dict, name: str, citations: dict[str, Citation]) -> dict[str, KindRequirements]:
    kinds = {}
    for kind, body in (section or {}).items():
        where = f"{REQUIREMENTS_FILE.name}: {name}.{kind}"
        compute = str(body.get("compute", False)).lower()
        if compute not in ("true", "false", "reads"):
            raise RequirementsError(f"{where}.compute: expected true, false or reads, got {compute!r}")
        for cite in body.get("compute_cite", []):
            if cite not in citations:
                raise RequirementsError(f"{where}.compute_cite: unknown citation {cite!r}")
        requirements = tuple(_requirement(r, f"{where}.requirements[{i}]", citations)
                             for i, r in enumerate(body.get("requirements") or []))
        kinds[kind] = KindRequirements(kind, compute, requirements, body.get("note", ""))
    return kinds


@functools.lru_cache(maxsize=4)
def load_requirements(path: Path = REQUIREMENTS_FILE) -> Requirements:
    try:
        data = safe_yaml.load_file(Path(path))   # no aliases, duplicate keys, ... (core/ysg_core/safe_yaml.py)
    except InputFileError as exc:
        raise RequirementsError(str(exc)) from None
    if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
        raise RequirementsError(f"{path}: format_version must be {FORMAT_VERSION}")
    citations = {}
    for cid, raw in (data.get("citations") or {}).items():
        where = f"{Path(path).name}: citations.{cid}"
        if not str(raw.get("url", "")).startswith("https://"):
            raise RequirementsError(f"{where}.url: every citation names its page")
        quote, status = raw.get("quote", ""), raw.get("status", "quoted")
        if status not in ("quoted", "not-in-stored-copy"):
            raise RequirementsError(f"{where}.status: expected quoted or not-in-stored-copy")
        if bool(quote) != (status == "quoted"):
            raise RequirementsError(f"{where}: a quoted citation has a quote; one marked not-in-stored-copy has none")
        if status != "quoted" and not raw.get("note"):
            raise RequirementsError(f"{where}.note: a citation without a quote says why")
        citations[cid] = Citation(cid, raw["url"], raw.get("section", ""), quote, raw.get("note", ""))
    # `applies_to` says in words where the code applies a general requirement (cli/ysg/access/check.py).
    general = {name: _requirement({k: v for k, v in body.items() if k != "applies_to"},
                                  f"{Path(path).name}: general.{name}", citations)
               for name, body in (data.get("general") or {}).items()}
    consumers_raw = data.get("consumers") or {}
    settings = {k: {f: v for f, v in body.items() if f not in ("requirements", "note", "compute")}
                for k, body in consumers_raw.items()}
    return Requirements(statements=_kinds(data.get("statements"), "statements", citations),
                        consumers=_kinds({k: {f: v for f, v in b.items() if f != "connector_class"}
                                          for k, b in consumers_raw.items()}, "consumers", citations),
                        consumer_settings=settings, general=general, citations=citations,
                        system_objects=_system_objects(data.get("system_objects"), citations))
