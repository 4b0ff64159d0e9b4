"""The only module that imports cdktf and the prebuilt Snowflake provider bindings.

HashiCorp archived CDKTF and its prebuilt provider bindings in December 2025; the community fork is
CDK Terrain (`cdktn`). Keeping every import here makes a move there a change to this file and the pins.
"""
from __future__ import annotations

import inspect
import re
from functools import lru_cache

from cdktf import (App, LocalBackend, NamedRemoteWorkspace, RemoteBackend, S3Backend,  # noqa: F401
                   TerraformOutput, TerraformResource, TerraformStack)
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
from cdktf_cdktf_provider_snowflake.grant_ownership import GrantOwnership, GrantOwnershipOn  # noqa: F401
from cdktf_cdktf_provider_snowflake.grant_privileges_to_account_role import (  # noqa: F401
    GrantPrivilegesToAccountRole, GrantPrivilegesToAccountRoleOnAccountObject, GrantPrivilegesToAccountRoleOnSchema,
    GrantPrivilegesToAccountRoleOnSchemaObject)
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
from cdktf_cdktf_provider_snowflake.streamlit import Streamlit  # noqa: F401
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
