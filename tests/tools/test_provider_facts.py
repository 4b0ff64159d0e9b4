"""tools/provider_facts.py: the extractor on small Go modules shaped like the provider, the committed facts
file against the real provider source (when YSG_PROVIDER_SOURCE names a checkout), and its negative controls."""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

from ysg_core.paths import REPO_ROOT

SCRIPT = REPO_ROOT / "tools" / "provider_facts.py"
COMMITTED = REPO_ROOT / "cli" / "ysg" / "provider_facts.json"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("provider_facts_tool", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module         # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


# The provider's helpers, declared as in pkg/resources (their bodies do not matter: the tool knows them by name).
HELPERS_GO = '''package resources

import "github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"

func StringInSlice(valid []string, ignoreCase bool) schema.SchemaValidateDiagFunc { return nil }
func IntInSlice(valid []int) schema.SchemaValidateDiagFunc { return nil }
func sdkValidation[T any](normalize func(string) (T, error)) schema.SchemaValidateDiagFunc { return nil }
func TrackingCustomDiffWrapper(kind string, f schema.CustomizeDiffFunc) schema.CustomizeDiffFunc { return f }
func ComputedIfAnyAttributeChanged(s map[string]*schema.Schema, key string, keys ...string) schema.CustomizeDiffFunc { return nil }
func ForceNewIfChangeToEmptyString(key string) schema.CustomizeDiffFunc { return nil }
func IsValidIdentifier() schema.SchemaValidateDiagFunc { return func(i any, p any) any { return nil } }

const FullyQualifiedNameAttributeName = "fully_qualified_name"
'''

PROVIDER_GO = '''package provider

import "example.com/tp/pkg/resources"

func getResources() map[string]*schema.Resource {
	return map[string]*schema.Resource{
		"snowflake_thing": resources.Thing(),
	}
}
'''

SDK_GO = '''package sdk

import (
	"fmt"
	"slices"
	"strings"
)

type ObjectType string

const (
	ObjectTypeDatabase  ObjectType = "DATABASE"
	ObjectTypeStreamlit ObjectType = "STREAMLIT"
	ObjectTypeStage     ObjectType = "STAGE"
)

func (o ObjectType) String() string { return string(o) }

var validOwnershipTypes = []ObjectType{ // @owner-types
	ObjectTypeDatabase,
	ObjectTypeStage,
}

var ValidOwnershipTypesString = make([]string, len(validOwnershipTypes)) // @owner-strings

func init() {
	for i, objectType := range validOwnershipTypes {
		ValidOwnershipTypesString[i] = objectType.String()
	}
}

type Size string

const (
	SizeSmall Size = "SMALL"
	SizeLarge Size = "LARGE"
)

func ToSize(s string) (Size, error) {
	switch strings.ToUpper(s) {
	case string(SizeSmall), "S":
		return SizeSmall, nil
	case string(SizeLarge):
		return SizeLarge, nil
	default:
		return "", fmt.Errorf("invalid size: %s", s)
	}
}

type Mode string

var AllModes = []Mode{"INGRESS", "EGRESS"}

func ToMode(s string) (Mode, error) {
	if !slices.Contains(AllModes, Mode(s)) {
		return "", fmt.Errorf("invalid mode: %s", s)
	}
	return Mode(s), nil
}
'''

THING_GO = '''package resources

import (
	"context"
	"strings"

	"example.com/tp/pkg/internal/collections"
	"example.com/tp/pkg/sdk"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/customdiff"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
	"example.com/unmodelled/magic"
)

var thingParametersSchema = make(map[string]*schema.Schema)

func init() {
	fields := []struct {
		Name         string
		ValidateDiag schema.SchemaValidateDiagFunc
	}{
		{Name: "RETENTION_DAYS", ValidateDiag: validation.ToDiagFunc(validation.IntBetween(0, 90))},
		{Name: "SIZE", ValidateDiag: sdkValidation(sdk.ToSize)},
	}
	for _, field := range fields {
		thingParametersSchema[strings.ToLower(field.Name)] = &schema.Schema{
			Type:             schema.TypeString,
			Optional:         true,
			ForceNew:         true, // @loop-force-new
			ValidateDiagFunc: field.ValidateDiag,
		}
	}
}

var thingSchema = map[string]*schema.Schema{
	"name": {
		Type:     schema.TypeString,
		Required: true,
	},
	"provider_kind": {
		Type:         schema.TypeString,
		Required:     true, // @kind-required
		ForceNew:     true, // @kind-force-new
		ValidateFunc: validation.StringInSlice([]string{"aws_api_gateway", "google_api_gateway"}, false), // @kind-allowed
	},
	"comment": {
		Type:       schema.TypeString,
		Optional:   true,
		Deprecated: "Use description instead.", // @deprecated
	},
	"mode": {
		Type:             schema.TypeString,
		Optional:         true,
		ValidateDiagFunc: sdkValidation(sdk.ToMode),
	},
	"minutes": {
		Type:             schema.TypeInt,
		Optional:         true,
		ValidateDiagFunc: IntInSlice([]int{5, 60}),
	},
	"count": {
		Type:         schema.TypeInt,
		Optional:     true,
		ValidateFunc: validation.IntAtLeast(1),
	},
	"target": {
		Type:             schema.TypeString,
		Optional:         true,
		ValidateDiagFunc: IsValidIdentifier(), // @identifier
	},
	"magic": {
		Type:             schema.TypeString,
		Optional:         true,
		ValidateDiagFunc: magic.Validator(), // @magic
	},
	"on": {
		Type:     schema.TypeList,
		Required: true,
		MaxItems: 1,
		Elem: &schema.Resource{
			Schema: map[string]*schema.Schema{
				"object_type": {
					Type:         schema.TypeString,
					Optional:     true,
					ForceNew:     true,
					ValidateFunc: validation.StringInSlice(sdk.ValidOwnershipTypesString, true),
				},
				"future": {
					Type:     schema.TypeList,
					Optional: true,
					Elem:     &schema.Resource{Schema: bulkSchema("future")},
				},
			},
		},
	},
	FullyQualifiedNameAttributeName: {
		Type:     schema.TypeString,
		Computed: true,
	},
	"show_output": {
		Type:     schema.TypeList,
		Computed: true,
		Elem:     &schema.Resource{Schema: magic.ShowSchema},
	},
}

func bulkSchema(branch string) map[string]*schema.Schema {
	return map[string]*schema.Schema{
		"object_type_plural": {
			Type:     schema.TypeString,
			Required: true,
			ForceNew: branch == "future", // @bulk-force-new
		},
	}
}

func Thing() *schema.Resource {
	deleteFunc := magic.Delete()
	return &schema.Resource{
		DeleteContext: deleteFunc,
		Schema:        collections.MergeMaps(thingSchema, thingParametersSchema),
		CustomizeDiff: TrackingCustomDiffWrapper("thing", customdiff.All(
			// a comment between the entries
			ComputedIfAnyAttributeChanged(thingSchema, FullyQualifiedNameAttributeName, "name"), // @recompute
			ForceNewIfChangeToEmptyString("comment"),
			customdiff.ForceNewIfChange("size", func(ctx context.Context, old, new, meta any) bool { // @inline-force-new
				return old.(string) != ""
			}),
			func(ctx context.Context, d *schema.ResourceDiff, meta any) error { return nil }, // @opaque-diff
		)),
	}
}
'''

COLLECTIONS_GO = '''package collections

func MergeMaps[M ~map[K]V, K comparable, V any](src ...M) M {
	merged := make(M)
	for _, m := range src {
		for k, v := range m {
			merged[k] = v
		}
	}
	return merged
}
'''


def at(source: str, needle: str, path: str = "pkg/resources/thing.go") -> str:
    """The citation the tool must give for the line of a snippet holding `needle` (exactly one)."""
    [line] = [i for i, text in enumerate(source.splitlines(), 1) if needle in text]
    return f"{path}:{line}"


@pytest.fixture(scope="module")
def thing(tool, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("provider")
    files = {"go.mod": "module example.com/tp\n\ngo 1.24\n",
             "CHANGELOG.md": "# Changelog\n\n## [9.9.9](https://example.invalid) (2025-01-01)\n",
             "pkg/provider/provider.go": PROVIDER_GO, "pkg/resources/helpers.go": HELPERS_GO,
             "pkg/resources/thing.go": THING_GO, "pkg/sdk/sdk.go": SDK_GO,
             "pkg/internal/collections/maps.go": COLLECTIONS_GO}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return tool.extract(root, "v9.9.9", "0" * 40)


def attributes(document: dict) -> dict:
    return document["resources"]["snowflake_thing"]["attributes"]


def test_a_literal_closed_set_is_case_sensitive_when_the_validator_says_so(thing):
    allowed = attributes(thing)["provider_kind"]["allowed"]
    assert (allowed["values"], allowed["case_insensitive"], allowed["source"]) == (
        ["aws_api_gateway", "google_api_gateway"], False, at(THING_GO, "@kind-allowed"))


def test_flags_and_deprecation_carry_their_source_line(thing):
    a = attributes(thing)
    assert (a["provider_kind"]["force_new"], a["provider_kind"]["required"], a["name"].get("force_new"),
            a["comment"]["deprecated"]) == (
        at(THING_GO, "@kind-force-new"), at(THING_GO, "@kind-required"), None,
        {"message": "Use description instead.", "source": at(THING_GO, "@deprecated")})


def test_a_list_built_by_an_init_loop_from_typed_constants_is_resolved(thing):
    allowed = attributes(thing)["on.object_type"]["allowed"]
    assert (allowed["values"], allowed["case_insensitive"], allowed["values_from"]) == (
        ["DATABASE", "STAGE"], True, [at(SDK_GO, "@owner-types", "pkg/sdk/sdk.go"),
                                      at(SDK_GO, "@owner-strings", "pkg/sdk/sdk.go")])


def test_an_sdk_to_function_gives_the_values_its_switch_accepts(thing):
    allowed = attributes(thing)["size"]["allowed"]
    assert (allowed["values"], allowed["case_insensitive"], allowed["helper"]) == (
        ["LARGE", "S", "SMALL"], True, "sdkValidation(sdk.ToSize)")


def test_an_sdk_to_function_guarded_by_slices_contains_gives_its_list_case_sensitively(thing):
    allowed = attributes(thing)["mode"]["allowed"]
    assert (allowed["values"], allowed["case_insensitive"]) == (["EGRESS", "INGRESS"], False)


def test_ranges_and_integer_sets(thing):
    a = attributes(thing)
    assert ((a["retention_days"]["int_range"]["min"], a["retention_days"]["int_range"]["max"]),
            a["count"]["int_range"].get("max"), a["count"]["int_range"]["min"], a["minutes"]["allowed"]["values"]) == (
        (0, 90), None, 1, [5, 60])


def test_parameters_built_in_an_init_loop_and_merged_keep_the_loop_flags(thing):
    assert attributes(thing)["retention_days"]["force_new"] == at(THING_GO, "@loop-force-new")


def test_nested_blocks_are_named_by_path_through_a_schema_function(thing):
    a = attributes(thing)
    assert (a["on"]["block"], a["on.future.object_type_plural"]["force_new"]) == (True, at(THING_GO, "@bulk-force-new"))


def test_a_computed_only_block_is_not_descended_into(thing):
    a = attributes(thing)
    assert (a["show_output"]["nested"], [p for p in a if p.startswith("show_output.")]) == (
        "not listed: a computed-only block", [])


def test_custom_diffs_conditional_force_new_and_recomputed_attributes(thing):
    resource = thing["resources"]["snowflake_thing"]
    a = attributes(thing)
    assert (resource["recomputed"], [e["helper"] for e in a["comment"]["force_new_if"]]) == (
        [{"attribute": "fully_qualified_name", "source": at(THING_GO, "@recompute"), "when_changed": ["name"]}],
        ["ForceNewIfChangeToEmptyString"])


def test_an_inline_force_new_condition_keeps_its_source_text(thing):
    # ...and the changes of a string it fires on, found by calling it: any change from a value.
    assert attributes(thing)["size"]["force_new_if"] == [{
        "condition": '{ return old.(string) != "" }', "helper": "customdiff.ForceNewIfChange",
        "source": at(THING_GO, "@inline-force-new"), "fires_when": ["set->empty", "set->set"]}]


def test_what_cannot_be_evaluated_is_listed_with_its_line_never_guessed(thing):
    unresolved = {(u["attribute"], u["what"], u["source"]) for u in thing["unresolved"]}
    assert ({("magic", "validation", at(THING_GO, "@magic")), ("", "CustomizeDiff", at(THING_GO, "@opaque-diff"))}
            <= unresolved, "allowed" in attributes(thing)["magic"]) == (True, False)


def test_a_validator_that_is_not_a_closed_set_is_named(thing):
    assert attributes(thing)["target"]["other_validation"] == [
        {"helper": "IsValidIdentifier", "source": at(THING_GO, "@identifier")}]


def test_a_checkout_of_another_release_is_refused(tool, tmp_path):
    (tmp_path / "CHANGELOG.md").write_text("## [2.10.1](x) (2025-11-07)\n")
    with pytest.raises(SystemExit, match="not v2.11.0"):
        tool.extract(tmp_path, "v2.11.0", "0" * 40)


# ---- the committed file ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def committed() -> dict:
    return json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_the_committed_facts_name_their_source(committed):
    assert (committed["provider"]["repository"], committed["provider"]["tag"], len(committed["provider"]["commit"]),
            committed["generated_by"].split()[0]) == (
        "snowflakedb/terraform-provider-snowflake", "v2.11.0", 40, "tools/provider_facts.py")


def test_negative_control_api_provider_does_not_admit_git_https_api(committed):
    # Finding 1 of issue 11: pkg/resources/api_integration.go validates against the gateway list only.
    allowed = committed["resources"]["snowflake_api_integration"]["attributes"]["api_provider"]["allowed"]
    assert ("git_https_api" not in allowed["values"], "aws_api_gateway" in allowed["values"]) == (True, True)


def test_negative_control_grant_ownership_does_not_admit_streamlit(committed):
    # Finding 2 of issue 11: pkg/sdk/grants_validations.go, validGrantOwnershipObjectTypes.
    allowed = committed["resources"]["snowflake_grant_ownership"]["attributes"]["on.object_type"]["allowed"]
    assert ("STREAMLIT" not in allowed["values"], "STAGE" in allowed["values"]) == (True, True)


def test_the_committed_facts_are_what_the_script_reads_from_the_provider_source(tool, committed):
    source = os.environ.get("YSG_PROVIDER_SOURCE")
    if not source:
        pytest.skip("YSG_PROVIDER_SOURCE does not name a checkout of the provider at "
                    f"{committed['provider']['tag']}; set it to re-derive the facts and compare")
    document = tool.extract(Path(source), committed["provider"]["tag"], committed["provider"]["commit"])
    assert tool.render(document) == COMMITTED.read_text(encoding="utf-8")
