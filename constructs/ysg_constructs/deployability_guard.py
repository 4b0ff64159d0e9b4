"""A stack that still holds example values refuses to plan: Terraform itself stops `cdktf deploy`.

Synthesis keeps working offline with the examples (tests, the emulator, reviews), so the refusal is
written into the stack instead: a `terraform_data` resource whose precondition fails while the list of
example values is not empty. Terraform checks preconditions when it plans, and an error there ends the
plan, so no resource is created ("Terraform evaluates precondition blocks after evaluating existing
count and for_each arguments ... [and] raises an error and stops", Terraform language docs, "Custom
conditions"). `terraform_data` is built into Terraform (>= 1.4): no provider to install. A condition
must refer to something of the configuration, hence the local value that holds the list.
"""
from __future__ import annotations

from constructs import Construct

from ysg_constructs import bindings as b


class DeployabilityGuard(Construct):
    def __init__(self, scope: Construct, id: str, stack_name: str, examples: list[str]):
        """`examples`: one line per example value (file, field, value, why); refuses an empty list,
        since a guard with nothing to refuse would only confuse a reader of the stack."""
        super().__init__(scope, id)
        if not examples:
            raise ValueError(f"{stack_name}: a deployability guard needs the example values it refuses")
        values = b.TerraformLocal(self, "example_values", list(examples)).as_list
        self._guard = b.DataResource(self, "guard", lifecycle=b.TerraformResourceLifecycle(precondition=[
            b.Precondition(
                condition=b.Op.lt(b.Fn.length_of(values), 1),
                error_message=(f"{stack_name} still holds example values, and deploying them would lock "
                               "everyone out: replace them (README, \"First deploy\"; `ysg validate "
                               "--deployable`): " + b.Fn.join("; ", values)))]))

    @property
    def guard_resource(self) -> b.DataResource:
        return self._guard
