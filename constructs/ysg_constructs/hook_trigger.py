"""The post-apply hooks as part of `cdktf deploy`: a Terraform resource that runs the hook runner after
every other resource of the stack, and again whenever the hook manifest changes.

A `terraform_data` resource (built into Terraform >= 1.4, no provider) with a `local-exec` provisioner:
a creation-time provisioner runs when the resource is created, and `triggers_replace` replaces the
resource -- so runs it again -- whenever its value changes; here the manifest's checksum. A provisioner
that fails marks the resource tainted and fails the apply, so a hook failure stops the deploy, and the
next apply replaces the tainted resource and runs the hooks again ("If a creation-time provisioner
fails, the resource is marked as tainted", Terraform language docs, "Provisioners"; terraform_data:
"triggers_replace ... will cause the resource to be replaced").
"""
from __future__ import annotations

import shlex

from constructs import Construct

from ysg_constructs import bindings as b
from ysg_core.naming import environment_name


class HookTrigger(Construct):
    def __init__(self, scope: Construct, id: str, *, environment: str, manifest_file: str, manifest_checksum: str,
                 ysg_command: str, after: list):
        """`ysg_command`: the `ysg` executable as Terraform's working directory (the stack's folder) finds
        it; `manifest_file`: the hook manifest beside cdk.tf.json; `after`: every other resource."""
        super().__init__(scope, id)
        environment_name(environment)
        if not manifest_checksum.startswith("sha256:"):
            raise ValueError(f"hook trigger {environment}: {manifest_checksum!r} is not a manifest checksum")
        self._command = shlex.join([ysg_command, "hooks", "apply", environment, "--manifest", manifest_file,
                                    "--expect-checksum", manifest_checksum])
        self._trigger = b.DataResource(
            self, "run", triggers_replace={"hook_manifest": manifest_checksum}, depends_on=list(after),
            provisioners=[b.LocalExecProvisioner(type="local-exec", command=self._command)])

    @property
    def command(self) -> str:
        return self._command

    @property
    def trigger_resource(self) -> b.DataResource:
        return self._trigger
