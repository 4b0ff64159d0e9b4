"""Small hand-built stack folders for the access model's tests: a cdk.tf.json written the way cdktf
writes it (resources by type and id, `${type.id.attr}` references), a hooks.json and, optionally, a
bootstrap.sql."""
from __future__ import annotations

import json
from pathlib import Path


def ref(address: str, attribute: str = "name") -> str:
    return "${" + address + "." + attribute + "}"


class StackBuilder:
    """Resources added by address; `write` lays out a stack folder `ysg access --stack-dir` reads, with
    hooks given as (name, statements) or (name, statements, role the hook runs as)."""

    def __init__(self, database: str = "DB", schema: str = "S", managed: bool = True):
        self.resources: dict[str, dict] = {}
        self.database = self.add("snowflake_database.db", name=database)
        self.schema = self.add("snowflake_schema.s", database=ref(self.database), name=schema,
                               with_managed_access="true" if managed else "false")

    def add(self, address: str, **conf) -> str:
        self.resources[address] = conf
        return address

    def role(self, rid: str, name: str) -> str:
        return self.add(f"snowflake_account_role.{rid}", name=name)

    def table(self, rid: str, name: str, depends_on: list[str] | None = None, schema: str | None = None) -> str:
        schema = schema or self.schema
        conf = {"database": ref(schema, "database"), "schema": ref(schema), "name": name}
        if depends_on:
            conf["depends_on"] = depends_on
        return self.add(f"snowflake_table.{rid}", **conf)

    def warehouse(self, rid: str, name: str) -> str:
        return self.add(f"snowflake_warehouse.{rid}", name=name)

    def grant(self, rid: str, role_address: str, privileges: list[str], **on) -> str:
        return self.add(f"snowflake_grant_privileges_to_account_role.{rid}",
                        account_role_name=ref(role_address), privileges=privileges, **on)

    def grant_role(self, rid: str, child: str, parent: str) -> str:
        return self.add(f"snowflake_grant_account_role.{rid}", role_name=ref(child), parent_role_name=ref(parent))

    def document(self, provider_role: str | None = None) -> dict:
        blocks: dict[str, dict] = {}
        for address, conf in self.resources.items():
            rtype, rid = address.split(".", 1)
            blocks.setdefault(rtype, {})[rid] = conf
        provider = {"organization_name": "ORG", "account_name": "ACC"}
        if provider_role:
            provider["role"] = provider_role
        return {"provider": {"snowflake": [provider]}, "resource": blocks}

    def write(self, folder: Path, hooks: list[tuple] = (), environment: str = "dev",
              run_as: dict | None = None, bootstrap: str | None = None, provider_role: str | None = None) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "cdk.tf.json").write_text(json.dumps(self.document(provider_role)), encoding="utf-8")
        manifest = {"format_version": 2, "environment": environment, "stack": f"billing-{environment}",
                    "target": "snowflake", "run_as": run_as or {"role": None, "warehouse": None},
                    "hooks": [{"name": h[0], "statements": h[1], **({"role": h[2]} if len(h) > 2 else {})}
                              for h in hooks]}
        (folder / "hooks.json").write_text(json.dumps(manifest), encoding="utf-8")
        if bootstrap is not None:
            (folder / "bootstrap.sql").write_text(bootstrap, encoding="utf-8")
        return folder
