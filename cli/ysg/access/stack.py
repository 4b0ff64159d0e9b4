"""A synthesized stack (cdk.tf.json) as the access model: the objects Terraform creates, owned by the
role Terraform runs as, and every grant resource of the Snowflake provider 2.11.0.

The attribute semantics are the provider's, at tag v2.11.0 (/work/provider-v2.11.0):
- snowflake_grant_account_role: `role_name` granted to `parent_role_name` or `user_name`
  (pkg/resources/grant_account_role.go:21-46).
- snowflake_grant_database_role: `database_role_name` granted to `parent_role_name`,
  `parent_database_role_name` or `share_name` (pkg/resources/grant_database_role.go:20-66).
- snowflake_grant_privileges_to_account_role / _to_database_role: `privileges` or `all_privileges`, on
  exactly one of `on_account` (account role only), `on_database` (database role only),
  `on_account_object{object_type, object_name}`, `on_schema{schema_name | all_schemas_in_database |
  future_schemas_in_database}`, `on_schema_object{object_type + object_name | all{...} | future{...}}`
  with `object_type_plural` and `in_database` or `in_schema` (grant_privileges_to_account_role.go:21-286,
  grant_privileges_to_database_role.go:24-200; how they become SQL: ...to_account_role.go:1040-1160).
- snowflake_grant_ownership: `account_role_name` or `database_role_name`; `on{object_type + object_name
  | all{...} | future{...}}` (pkg/resources/grant_ownership.go:18-140).
- `fully_qualified_name` is `"NAME"`, `"DB"."NAME"` or `"DB"."SCHEMA"."NAME"` by the object's level
  (pkg/sdk/identifier_helpers.go:170-175, 213-218, 299-305; set by e.g. pkg/resources/schema.go:252).
- The provider's `role` is the role the session, hence Terraform, runs as (docs/index.md:151,
  pkg/provider/provider.go:112).
- Plural object types map to singular ones as pkg/sdk/object_types.go:200-281 (`PLURALS`).
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from ysg.access.model import (ACCOUNT, ALL_PRIVILEGES, TERRAFORM, AccessModel, Moment, Name, Principal,
                              PrivilegeGrant, Scope, Securable, Source, role, split_name)
from ysg_core.paths import IMPORTS_FILE

STACK_FILE = "cdk.tf.json"
# What the report calls the role Terraform runs as when neither the caller nor the provider names it.
UNNAMED_DEPLOY_ROLE = "the Terraform deploy role"
# `to = <address>` of an import block (developer.hashicorp.com/terraform/language/block/import).
_IMPORT_TO = re.compile(r"^\s*to\s*=\s*([a-z0-9_]+\.[A-Za-z0-9_-]+)\s*$", re.M)
_REFERENCE = re.compile(r"\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}")

# Resource types that create a securable object: (kind, level). Level "account": named by `name`;
# "database": in `database`; "schema": in `database` and `schema`.
OBJECT_RESOURCES: dict[str, tuple[str, str]] = {
    "snowflake_account_role": ("ROLE", "account"),
    "snowflake_database": ("DATABASE", "account"),
    "snowflake_warehouse": ("WAREHOUSE", "account"),
    "snowflake_resource_monitor": ("RESOURCE MONITOR", "account"),
    "snowflake_api_integration": ("INTEGRATION", "account"),
    "snowflake_storage_integration": ("INTEGRATION", "account"),
    "snowflake_notification_integration": ("INTEGRATION", "account"),
    "snowflake_saml2_integration": ("INTEGRATION", "account"),
    "snowflake_network_policy": ("NETWORK POLICY", "account"),
    "snowflake_user": ("USER", "account"),
    "snowflake_service_user": ("USER", "account"),
    "snowflake_legacy_service_user": ("USER", "account"),
    "snowflake_schema": ("SCHEMA", "database"),
    "snowflake_database_role": ("DATABASE ROLE", "database"),
    "snowflake_table": ("TABLE", "schema"),
    "snowflake_view": ("VIEW", "schema"),
    "snowflake_dynamic_table": ("DYNAMIC TABLE", "schema"),
    "snowflake_stage": ("STAGE", "schema"),
    "snowflake_file_format": ("FILE FORMAT", "schema"),
    "snowflake_pipe": ("PIPE", "schema"),
    "snowflake_external_function": ("FUNCTION", "schema"),
    "snowflake_function_sql": ("FUNCTION", "schema"),
    "snowflake_procedure_sql": ("PROCEDURE", "schema"),
    "snowflake_streamlit": ("STREAMLIT", "schema"),
    "snowflake_task": ("TASK", "schema"),
    "snowflake_alert": ("ALERT", "schema"),
    "snowflake_masking_policy": ("MASKING POLICY", "schema"),
    "snowflake_tag": ("TAG", "schema"),
    "snowflake_network_rule": ("NETWORK RULE", "schema"),
    "snowflake_git_repository": ("GIT REPOSITORY", "schema"),
    "snowflake_cortex_search_service": ("CORTEX SEARCH SERVICE", "schema"),
    "snowflake_semantic_view": ("SEMANTIC VIEW", "schema"),
}
# pkg/sdk/object_types.go:200-281 (objectTypeSingularToPluralMap), the entries these stacks can use.
PLURALS = {
    "TABLES": "TABLE", "DYNAMIC TABLES": "DYNAMIC TABLE", "VIEWS": "VIEW", "MATERIALIZED VIEWS": "MATERIALIZED VIEW",
    "EXTERNAL TABLES": "EXTERNAL TABLE", "EVENT TABLES": "EVENT TABLE", "ICEBERG TABLES": "ICEBERG TABLE",
    "HYBRID TABLES": "HYBRID TABLE", "STAGES": "STAGE", "FILE FORMATS": "FILE FORMAT", "PIPES": "PIPE",
    "FUNCTIONS": "FUNCTION", "EXTERNAL FUNCTIONS": "EXTERNAL FUNCTION", "PROCEDURES": "PROCEDURE",
    "SEQUENCES": "SEQUENCE", "STREAMS": "STREAM", "TASKS": "TASK", "ALERTS": "ALERT",
    "MASKING POLICIES": "MASKING POLICY", "ROW ACCESS POLICIES": "ROW ACCESS POLICY", "TAGS": "TAG",
    "SECRETS": "SECRET", "STREAMLITS": "STREAMLIT", "CORTEX SEARCH SERVICES": "CORTEX SEARCH SERVICE",
    "SEMANTIC VIEWS": "SEMANTIC VIEW", "NETWORK RULES": "NETWORK RULE", "GIT REPOSITORIES": "GIT REPOSITORY",
    "MODELS": "MODEL", "NOTEBOOKS": "NOTEBOOK", "SCHEMAS": "SCHEMA",
}


class StackError(ValueError):
    """The stack cannot be read as an access model; the message names the file and the resource."""


class TerraformStack:
    """The resources of one cdk.tf.json, with their references resolved as the provider computes them."""

    def __init__(self, document: dict, source: str = STACK_FILE, imported: frozenset[str] = frozenset()):
        """`imported`: addresses of resources Terraform adopts rather than creates (IMPORTS_FILE)."""
        self.source = source
        self.imported = imported
        self.resources: dict[str, dict] = {}
        for rtype, blocks in (document.get("resource") or {}).items():
            for rid, conf in (blocks or {}).items():
                self.resources[f"{rtype}.{rid}"] = {k: v for k, v in conf.items() if k != "//"}
        self.provider = ((document.get("provider") or {}).get("snowflake") or [{}])[0] or {}

    @classmethod
    def from_file(cls, path: Path) -> "TerraformStack":
        try:
            document = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StackError(f"{path}: no synthesized stack; run `ysg synth` first") from None
        except json.JSONDecodeError as exc:
            raise StackError(f"{path}: not valid JSON ({exc})") from None
        if not isinstance(document, dict) or not isinstance(document.get("resource", {}), dict):
            raise StackError(f"{path}: not a synthesized Terraform stack (no `resource` object)")
        imports = Path(path).parent / IMPORTS_FILE
        imported = frozenset(_IMPORT_TO.findall(imports.read_text(encoding="utf-8"))) if imports.is_file() \
            else frozenset()
        return cls(document, str(path), imported)

    def of_type(self, *types: str) -> list[tuple[str, dict]]:
        return [(a, c) for a, c in self.resources.items() if a.split(".", 1)[0] in types]

    def value(self, value: Any, where: str) -> str:
        """A string attribute with every `${type.id.attr}` reference replaced by what the provider
        computes for it."""
        if not isinstance(value, str):
            raise StackError(f"{self.source}: {where}: expected a string, got {value!r}")
        return _REFERENCE.sub(lambda m: self.attribute(f"{m[1]}.{m[2]}", m[3], where), value)

    def attribute(self, address: str, attribute: str, where: str = "") -> str:
        conf = self.resources.get(address)
        if conf is None:
            raise StackError(f"{self.source}: {where}: reference to {address}, which the stack does not hold")
        if attribute == "fully_qualified_name":
            return ".".join(f'"{part}"' for part in self.name_of(address))
        if attribute not in conf:
            raise StackError(f"{self.source}: {address}.{attribute}: attribute the access model cannot compute")
        return self.value(conf[attribute], f"{address}.{attribute}")

    def name_of(self, address: str) -> Name:
        conf = self.resources[address]
        rtype = address.split(".", 1)[0]
        level = OBJECT_RESOURCES.get(rtype, ("", "account"))[1]
        parts = [self.value(conf["name"], f"{address}.name")]
        if level in ("database", "schema"):
            parts.insert(0, self.value(conf["database"], f"{address}.database"))
        if level == "schema":
            parts.insert(1, self.value(conf["schema"], f"{address}.schema"))
        return tuple(split_name(p)[-1] if i == len(parts) - 1 else split_name(p)[0] for i, p in enumerate(parts))

    def references(self, address: str) -> set[str]:
        """The resources `address` refers to or names in depends_on."""
        conf = self.resources[address]
        found = {f"{m[1]}.{m[2]}" for m in _REFERENCE.finditer(json.dumps(conf))}
        found |= {d for d in conf.get("depends_on", []) if isinstance(d, str)}
        return found & set(self.resources)

    @functools.cache
    def ancestors(self, address: str) -> frozenset[str]:
        """Every resource `address` depends on, directly or not (Terraform applies them first)."""
        done: set[str] = set()
        stack = list(self.references(address))
        while stack:
            current = stack.pop()
            if current not in done:
                done.add(current)
                stack.extend(self.references(current) - done)
        return frozenset(done)

    def deploy_role(self, given: str | None = None) -> str:
        return given or str(self.provider.get("role") or "") or UNNAMED_DEPLOY_ROLE


def load_stack(model: AccessModel, stack: TerraformStack, deploy_role: str | None = None) -> Principal:
    """Add what Terraform creates and grants to `model`; return the role Terraform runs as."""
    model.depends = lambda a, b: b in stack.ancestors(a)
    deployer = role(stack.deploy_role(deploy_role))
    for address in stack.resources:
        rtype = address.split(".", 1)[0]
        if rtype in OBJECT_RESOURCES and address not in stack.imported:
            # An imported object is the administrator's (bootstrap.sql says who owns it), not Terraform's.
            kind = OBJECT_RESOURCES[rtype][0]
            conf = stack.resources[address]
            managed = str(conf.get("with_managed_access", "false")).lower() == "true"
            model.add_object(Securable(kind, stack.name_of(address)), deployer, Moment(TERRAFORM, 0, address),
                             Source(address, "terraform"), managed_access=managed)
    for address, conf in stack.resources.items():
        rtype = address.split(".", 1)[0]
        source, at = Source(address, "terraform"), Moment(TERRAFORM, 0, address)
        if rtype == "snowflake_grant_account_role":
            child = role(split_name(stack.value(conf["role_name"], f"{address}.role_name"))[0])
            if conf.get("parent_role_name"):
                parent = role(split_name(stack.value(conf["parent_role_name"], f"{address}.parent_role_name"))[0])
            else:
                parent = Principal("USER", split_name(stack.value(conf["user_name"], f"{address}.user_name")))
            model.add_role_grant(child, parent, source, at)
        elif rtype == "snowflake_grant_database_role":
            child = Principal("DATABASE ROLE", split_name(stack.value(conf["database_role_name"], address)))
            if conf.get("parent_role_name"):
                model.add_role_grant(child, role(split_name(stack.value(conf["parent_role_name"], address))[0]),
                                     source, at)
            elif conf.get("parent_database_role_name"):
                model.add_role_grant(child, Principal("DATABASE ROLE", split_name(
                    stack.value(conf["parent_database_role_name"], address))), source, at)
        elif rtype in ("snowflake_grant_privileges_to_account_role", "snowflake_grant_privileges_to_database_role"):
            model.add_grant(_privilege_grant(stack, address, conf, source, at))
        elif rtype == "snowflake_grant_ownership":
            _ownership(model, stack, address, conf, source, at)
    return deployer


def _grantee(stack: TerraformStack, address: str, conf: dict) -> Principal:
    if conf.get("account_role_name"):
        return role(split_name(stack.value(conf["account_role_name"], f"{address}.account_role_name"))[0])
    if conf.get("database_role_name"):
        return Principal("DATABASE ROLE", split_name(stack.value(conf["database_role_name"],
                                                                  f"{address}.database_role_name")))
    raise StackError(f"{stack.source}: {address}: grants to neither an account role nor a database role")


def _one(block: Any) -> dict:
    """HCL-as-JSON may write a nested block as an object or a one-element list."""
    return (block[0] if isinstance(block, list) and block else block) or {}


def _privilege_grant(stack: TerraformStack, address: str, conf: dict, source: Source, at: Moment) -> PrivilegeGrant:
    grantee = _grantee(stack, address, conf)
    privileges = frozenset([ALL_PRIVILEGES]) if conf.get("all_privileges") in (True, "true") else \
        frozenset(str(p).upper() for p in conf.get("privileges") or [])
    value = lambda v, f: stack.value(v, f"{address}.{f}")  # noqa: E731
    if conf.get("on_account") in (True, "true"):
        scope = Scope(on=ACCOUNT)
    elif conf.get("on_database"):
        scope = Scope(on=Securable("DATABASE", split_name(value(conf["on_database"], "on_database"))))
    elif conf.get("on_account_object"):
        block = _one(conf["on_account_object"])
        scope = Scope(on=Securable(str(block["object_type"]).upper(),
                                   split_name(value(block["object_name"], "on_account_object.object_name"))))
    elif conf.get("on_schema"):
        block = _one(conf["on_schema"])
        if block.get("schema_name"):
            scope = Scope(on=Securable("SCHEMA", split_name(value(block["schema_name"], "on_schema.schema_name"))))
        else:
            bulk = "all" if block.get("all_schemas_in_database") else "future"
            database = block.get("all_schemas_in_database") or block.get("future_schemas_in_database")
            scope = Scope(bulk=bulk, kind="SCHEMA",
                          container=Securable("DATABASE", split_name(value(database, "on_schema"))))
    elif conf.get("on_schema_object"):
        block = _one(conf["on_schema_object"])
        if block.get("object_name"):
            scope = Scope(on=Securable(str(block["object_type"]).upper(),
                                       split_name(value(block["object_name"], "on_schema_object.object_name"))))
        else:
            scope = _bulk_scope(stack, address, "on_schema_object", block)
    else:
        raise StackError(f"{stack.source}: {address}: grants on nothing the provider documents")
    return PrivilegeGrant(grantee, privileges, scope, source, at,
                          grant_option=conf.get("with_grant_option") in (True, "true"))


def _bulk_scope(stack: TerraformStack, address: str, field_name: str, block: dict) -> Scope:
    bulk = "all" if block.get("all") else "future"
    inner = _one(block[bulk])
    plural = " ".join(str(inner["object_type_plural"]).upper().split())
    if plural not in PLURALS:
        raise StackError(f"{stack.source}: {address}.{field_name}.{bulk}.object_type_plural: {plural!r} is not "
                         f"a plural object type the access model knows")
    if inner.get("in_schema"):
        container = Securable("SCHEMA", split_name(stack.value(inner["in_schema"], f"{address}.in_schema")))
    else:
        container = Securable("DATABASE", split_name(stack.value(inner["in_database"], f"{address}.in_database")))
    return Scope(bulk=bulk, kind=PLURALS[plural], container=container)


def _ownership(model: AccessModel, stack: TerraformStack, address: str, conf: dict, source: Source,
               at: Moment) -> None:
    owner = _grantee(stack, address, conf)
    block = _one(conf.get("on"))
    if block.get("object_name"):
        target = Securable(str(block["object_type"]).upper(),
                           split_name(stack.value(block["object_name"], f"{address}.on.object_name")))
        model.set_owner(target, owner, source)
        return
    scope = _bulk_scope(stack, address, "on", block)
    if scope.bulk == "future":
        model.future_owners.append((owner, scope, source, at))
        return
    for securable, info in model.objects.items():
        if securable.kind == scope.kind and scope.container in (securable.schema, securable.database) \
                and model.before(info.created, at):
            model.set_owner(securable, owner, source)
