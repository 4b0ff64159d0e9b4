"""The only module that imports cdktf and the prebuilt Snowflake provider bindings.

HashiCorp archived CDKTF and its prebuilt provider bindings in December 2025; the community fork is
CDK Terrain (`cdktn`). Keeping every import here makes a move there a change to this file and the pins.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import typing
from functools import lru_cache

from cdktf import (App, DataResource, Fn, LocalBackend, LocalExecProvisioner, NamedRemoteWorkspace, Op,  # noqa: F401
                   Precondition, RemoteBackend, S3Backend, TerraformLocal, TerraformOutput, TerraformResource,
                   TerraformResourceLifecycle, TerraformStack)
import cdktf_cdktf_provider_snowflake as _package
from cdktf_cdktf_provider_snowflake import provider as _provider
from cdktf_cdktf_provider_snowflake.account_role import AccountRole  # noqa: F401
from cdktf_cdktf_provider_snowflake.api_integration import ApiIntegration  # noqa: F401
from cdktf_cdktf_provider_snowflake.database import Database  # noqa: F401
from cdktf_cdktf_provider_snowflake.database_role import DatabaseRole  # noqa: F401
from cdktf_cdktf_provider_snowflake.email_notification_integration import EmailNotificationIntegration  # noqa: F401
from cdktf_cdktf_provider_snowflake.execute import Execute  # noqa: F401
from cdktf_cdktf_provider_snowflake.external_function import (ExternalFunction,  # noqa: F401
                                                              ExternalFunctionArg)
from cdktf_cdktf_provider_snowflake.file_format import FileFormat  # noqa: F401
from cdktf_cdktf_provider_snowflake.git_repository import GitRepository  # noqa: F401
from cdktf_cdktf_provider_snowflake.grant_account_role import GrantAccountRole  # noqa: F401
from cdktf_cdktf_provider_snowflake.grant_database_role import GrantDatabaseRole  # noqa: F401
from cdktf_cdktf_provider_snowflake.grant_privileges_to_account_role import (  # noqa: F401
    GrantPrivilegesToAccountRole, GrantPrivilegesToAccountRoleOnAccountObject, GrantPrivilegesToAccountRoleOnSchema,
    GrantPrivilegesToAccountRoleOnSchemaObject, GrantPrivilegesToAccountRoleOnSchemaObjectFuture)
from cdktf_cdktf_provider_snowflake.grant_privileges_to_database_role import (  # noqa: F401
    GrantPrivilegesToDatabaseRole, GrantPrivilegesToDatabaseRoleOnSchema,
    GrantPrivilegesToDatabaseRoleOnSchemaObject,
    GrantPrivilegesToDatabaseRoleOnSchemaObjectFuture)
from cdktf_cdktf_provider_snowflake.network_policy import NetworkPolicy  # noqa: F401
from cdktf_cdktf_provider_snowflake.network_policy_attachment import NetworkPolicyAttachment  # noqa: F401
from cdktf_cdktf_provider_snowflake.network_rule import NetworkRule  # noqa: F401
from cdktf_cdktf_provider_snowflake.notification_integration import NotificationIntegration  # noqa: F401
from cdktf_cdktf_provider_snowflake.pipe import Pipe  # noqa: F401
from cdktf_cdktf_provider_snowflake.resource_monitor import ResourceMonitor  # noqa: F401
from cdktf_cdktf_provider_snowflake.saml2_integration import Saml2Integration  # noqa: F401
from cdktf_cdktf_provider_snowflake.schema import Schema  # noqa: F401
from cdktf_cdktf_provider_snowflake.service_user import ServiceUser  # noqa: F401
from cdktf_cdktf_provider_snowflake.stage import Stage  # noqa: F401
from cdktf_cdktf_provider_snowflake.storage_integration import StorageIntegration  # noqa: F401
from cdktf_cdktf_provider_snowflake.table import (Table, TableColumn, TableColumnDefault,  # noqa: F401
                                                  TableColumnIdentity)
from cdktf_cdktf_provider_snowflake.tag import Tag  # noqa: F401
from cdktf_cdktf_provider_snowflake.tag_association import TagAssociation  # noqa: F401
from cdktf_cdktf_provider_snowflake.warehouse import Warehouse  # noqa: F401

SnowflakeProvider = _provider.SnowflakeProvider


@lru_cache(maxsize=1)
def preview_features() -> frozenset[str]:
    """Every preview feature the installed provider accepts, read from its own documentation.

    The bindings document `preview_features_enabled` with the full list ("Preview features that can
    be enabled are: ..."), so a provider upgrade that adds one cannot be missed by a list kept by hand.
    Features the provider has promoted to stable are listed separately there and are not included.
    """
    doc = inspect.getdoc(_provider.SnowflakeProvider.__init__) or ""
    match = re.search(r"Preview features that can be enabled are:(.*?)(?:\.\s+Promoted|\Z)", doc, re.S)
    if not match:
        raise RuntimeError("the provider bindings no longer document their preview features; "
                           "update ysg_constructs.bindings.preview_features")
    features = frozenset(re.findall(r"``(snowflake_[a-z0-9_]+)``", match.group(1)))
    if not features:
        raise RuntimeError("found no preview features in the provider bindings' documentation")
    return features


# The enumerations the bindings document for an attribute (the provider's own descriptions), in three shapes:
#   "Valid values are (case-insensitive): ``A`` | ``B``."   "Valid values are: A | B."   "Available values are: A | B"
#   "Valid values are A, B and C; see ..."
_INTRO = re.compile(r"(?:Valid|Available) values are( \(case-insensitive\))?:\s*(.+?)(?:\.\s|\.?\s+Docs at Terraform Registry|\.?$)")
_WORDS = re.compile(r"Valid values are ([A-Z_]+(?:, [A-Z_]+)* and [A-Z_]+)\b")
_ANCHOR = re.compile(r"/docs/resources/[a-z0-9_]+#([a-z0-9_]+) ")
_NOT_ATTRIBUTES = {"scope", "id_", "connection", "count", "depends_on", "for_each", "lifecycle", "provider",
                   "provisioners"}


@lru_cache(maxsize=1)
def documented_values() -> dict:
    """The closed sets of values the installed bindings document, for every resource type imported here.

    Returns {"resources": {type: {attribute path: {"values": [...], "case_insensitive": true|false|null}}},
    "unparsed": ["type path: sentence", ...]}: null when the documentation does not state the case rule;
    `unparsed` lists descriptions that mention valid values in another shape, so none is dropped silently.
    """
    resources: dict[str, dict] = {}
    unparsed: list[str] = []
    # Every resource type of the bindings, not only those imported above: a stack that starts using one
    # is checked from its first synthesis. (The package's __init__ has loaded every module already.)
    classes = {c for module in pkgutil.iter_modules(_package.__path__)
               for c in vars(importlib.import_module(f"{_package.__name__}.{module.name}")).values()
               if isinstance(c, type) and issubclass(c, TerraformResource) and c is not TerraformResource}
    for cls in sorted(classes, key=lambda c: c.__name__):
        rtype = _resource_type(cls)
        found: dict[str, dict] = {}
        _documented(cls, cls.__module__, "", found, unparsed, rtype)
        resources[rtype] = dict(sorted(found.items()))
    return {"resources": dict(sorted(resources.items())), "unparsed": sorted(unparsed)}


def _documented(cls: type, module: str, prefix: str, found: dict, unparsed: list, rtype: str) -> None:
    doc = inspect.getdoc(cls.__init__) or ""
    params = dict(re.findall(r"^:param (\w+): (.*)$", doc, re.M))
    hints = typing.get_type_hints(cls.__init__)
    for name, text in params.items():
        if name in _NOT_ATTRIBUTES or (name == "id" and not prefix):
            continue
        anchor = _ANCHOR.search(text)
        path = prefix + (anchor.group(1) if anchor else name)
        values = _enumeration(text)
        if values is not None:
            found[path] = values
        elif re.search(r"valid values|available values|possible values", text, re.I):
            unparsed.append(f"{rtype} {path}: {text.split(' Docs at Terraform Registry')[0]}")
        for nested in _struct_classes(hints.get(name), module):
            _documented(nested, module, path + ".", found, unparsed, rtype)


def _enumeration(text: str) -> dict | None:
    """{"values": [...], "case_insensitive": True | False | None (not stated)} from one description."""
    case_insensitive = True if "(case-insensitive)" in text else False if "case-sensitive" in text else None
    intro = _INTRO.search(text)
    if intro:
        listed = intro.group(2)
        values = re.findall(r"``([^`]*)``", listed) or [v.strip() for v in listed.split("|")]
        return {"values": values, "case_insensitive": case_insensitive}
    words = _WORDS.search(text)
    if words:
        return {"values": re.split(r", | and ", words.group(1)), "case_insensitive": case_insensitive}
    return None


def _struct_classes(hint, module: str) -> list[type]:
    """The binding struct classes inside a parameter's annotation (Union, Sequence, Optional unwrapped)."""
    if isinstance(hint, type):
        return [hint] if hint.__module__ == module and not issubclass(hint, TerraformResource) else []
    return [c for arg in typing.get_args(hint) for c in _struct_classes(arg, module)]


@lru_cache(maxsize=None)
def _resource_type(cls: type) -> str:
    return cls.TF_RESOURCE_TYPE


def resource_types(scope) -> set[str]:
    """The Terraform resource types in a construct tree (read per class, not per resource: each
    read of a jsii property is a round trip to the runtime)."""
    return {_resource_type(type(child)) for child in scope.node.find_all() if isinstance(child, TerraformResource)}


def preview_features_for(resource_types: set[str], data_source_types: set[str] = frozenset()) -> list[str]:
    """The preview features that exactly these resource and data source types need."""
    wanted = {f"{t}_resource" for t in resource_types}
    wanted |= {f"{t.removeprefix('data.')}s_datasource" for t in data_source_types}
    return sorted(wanted & preview_features())
