"""`ysg hooks plan|apply`, `ysg deploy` and `ysg query`, end to end on the emulator where they can run."""
from __future__ import annotations

import json

import pytest
from runner_doubles import hook, manifest

from ysg import connection, operate
from ysg.cli import main
from ysg.connection import ConnectionConfigError
from ysg.operate import QueryRefused, check_read_only, deploy_command, format_rows
from ysg_core import deployable, paths
from ysg_hooks.manifest import Manifest, file_checksum, ordered, write_manifest

DB = "SNOWFLAKE_EXAMPLE_LOCAL"
CREDENTIAL_VARIABLES = ("YSG_CONNECTION", "SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_PRIVATE_KEY_PATH",
                        "SNOWFLAKE_DEFAULT_CONNECTION_NAME")


@pytest.mark.parametrize("sql", [
    "SELECT 1",
    "WITH recent AS (SELECT 1 AS x) SELECT x FROM recent",
    "SELECT 1 UNION ALL SELECT 2",
    "SHOW TABLES IN SCHEMA SNOWFLAKE_EXAMPLE_DEV.SFE_ANALYTICS_COSTS",
    "DESCRIBE TABLE SNOWFLAKE_EXAMPLE_DEV.SFE_ANALYTICS_COSTS.DT_ACCOUNT_BILLING",
])
def test_read_only_statements_are_accepted(sql):
    assert check_read_only(sql) == sql


@pytest.mark.parametrize("sql, reason", [
    ("DELETE FROM T", "got DELETE"),
    ("SELECT 1; DROP TABLE T", "exactly one statement, got 2"),
    ("CREATE TABLE T AS SELECT 1", "got CREATE"),
    ("WITH a AS (SELECT 1) DELETE FROM T", "got DELETE"),
    ("MERGE INTO T USING S ON T.A = S.A WHEN MATCHED THEN DELETE", "got MERGE"),
    ("CALL SOME_PROCEDURE()", "got CALL"),
    ("GRANT ROLE SFE_BILLING_ADMIN TO USER MALLORY", "got GRANT"),
    ("USE ROLE ACCOUNTADMIN", "got USE"),
    ("SELECT SYSTEM$CANCEL_ALL_QUERIES(42)", "SYSTEM\\$ functions"),
    ("SELECT * INTO T2 FROM T", "INTO writes a table"),
])
def test_anything_but_one_read_is_refused(sql, reason):
    with pytest.raises(QueryRefused, match=reason):
        check_read_only(sql)


def test_rows_print_as_json_with_decimals_and_dates():
    from datetime import date
    from decimal import Decimal

    text = format_rows(["ACCOUNT_ID", "TOTAL_COST", "BILLING_MONTH"],
                       [(7, Decimal("12.5000"), date(2026, 1, 1))], "json")
    assert json.loads(text) == [{"ACCOUNT_ID": 7, "TOTAL_COST": 12.5, "BILLING_MONTH": "2026-01-01"}]


@pytest.fixture
def local_manifest(tmp_path, monkeypatch):
    """A hook manifest for `local` in a scratch cdktf.out, and the emulator in a scratch folder."""
    monkeypatch.setattr(operate, "OUTDIR", tmp_path / "cdktf.out")
    monkeypatch.setattr(paths, "EMULATOR_DIR", tmp_path / "emulator")
    hooks = [
        hook("stg.schema", f"CREATE SCHEMA IF NOT EXISTS {DB}.SFE_STG_TELECOM"),
        hook("stg.v_demo", f"CREATE OR REPLACE VIEW {DB}.SFE_STG_TELECOM.V_DEMO AS SELECT 1 AS ACCOUNT_ID, 'x' AS NAME",
             depends_on=("stg.schema",)),
        hook("knowledge.search", "SELECT 1", depends_on=("stg.v_demo",), snowflake_only=True,
             reason="Cortex Search is not available on the emulator"),
    ]
    stack_dir = tmp_path / "cdktf.out" / "stacks" / "billing-local"
    stack_dir.mkdir(parents=True)
    # These hooks stand for what synthesis of the sources writes: the runner applies nothing else.
    monkeypatch.setattr(operate, "expected_manifest", lambda config: manifest(*hooks))
    return write_manifest(stack_dir, manifest(*hooks))


def test_hooks_plan_apply_and_query_on_the_emulator(local_manifest, capsys):
    codes = [main(["hooks", "plan", "local"])]
    planned = capsys.readouterr().out
    codes.append(main(["hooks", "apply", "local"]))
    applied = capsys.readouterr().out
    codes.append(main(["hooks", "apply", "local"]))
    again = capsys.readouterr().out
    codes.append(main(["query", "local", f"SELECT ACCOUNT_ID, NAME FROM {DB}.SFE_STG_TELECOM.V_DEMO", "--format",
                       "json"]))
    rows = json.loads(capsys.readouterr().out)
    assert (codes, "new       stg.v_demo" in planned, "skipped     knowledge.search: Cortex Search" in applied,
            "nothing to do" in again, rows) == (
        [0, 0, 0, 0], True, True, True, [{"ACCOUNT_ID": 1, "NAME": "x"}])


def test_hooks_apply_of_the_planned_manifest_as_the_trigger_runs_it(local_manifest, capsys):
    """What the stack's hook trigger runs inside `cdktf deploy`: exactly the planned manifest."""
    planned = file_checksum(local_manifest)
    code = main(["hooks", "apply", "local", "--manifest", str(local_manifest), "--expect-checksum", planned])
    assert (code, "2 applied" in capsys.readouterr().out) == (0, True)


def test_hooks_apply_refuses_a_manifest_that_changed_after_the_plan(local_manifest, capsys):
    planned = file_checksum(local_manifest)
    data = json.loads(local_manifest.read_text())
    data["hooks"] = data["hooks"][:1]          # what another synthesis between plan and apply might write
    local_manifest.write_text(json.dumps(data))
    code = main(["hooks", "apply", "local", "--manifest", str(local_manifest), "--expect-checksum", planned])
    assert (code, f"is not the planned {planned}" in capsys.readouterr().err) == (2, True)


def test_hooks_apply_dry_run_creates_nothing(local_manifest, capsys):
    code = main(["hooks", "apply", "local", "--dry-run"])
    out = capsys.readouterr().out
    main(["query", "local", f"SHOW SCHEMAS IN DATABASE {DB}", "--format", "json"])
    schemas = {row["name"] for row in json.loads(capsys.readouterr().out)}
    assert (code, "dry run: 2 would apply" in out, "SFE_STG_TELECOM" in schemas) == (0, True, False)


def test_a_refused_query_exits_2_before_connecting(local_manifest, capsys):
    code = main(["query", "local", "DROP SCHEMA SNOWFLAKE_EXAMPLE_LOCAL.SFE_STG_TELECOM"])
    err = capsys.readouterr().err
    assert (code, err.startswith("ysg query: only "), "DROP" in err) == (2, True, True)


def test_a_tampered_manifest_is_refused_by_the_command(local_manifest, capsys):
    data = json.loads(local_manifest.read_text())
    data["hooks"][1]["statements"] = [f"DROP DATABASE {DB}"]
    local_manifest.write_text(json.dumps(data))
    code = main(["hooks", "apply", "local"])
    assert (code, "does not match its checksum" in capsys.readouterr().err) == (2, True)


@pytest.fixture
def no_examples(monkeypatch):
    """As if the environment's example values had been replaced by real ones (tests of what comes after)."""
    monkeypatch.setattr(deployable, "environment_examples", lambda environment: [])


def test_deploy_refuses_an_environment_that_still_holds_example_values(capsys):
    """Finding 4 of issue 11: the shipped values would lock everyone out of the account."""
    code = main(["deploy", "prod"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("refused: prod still holds")
    assert "network.waf_egress[0]: 203.0.113.0/28 is a documentation range" in err
    assert "example public key" in err and "example AWS account (123456789012)" in err


def test_deploy_without_credentials_fails_before_terraform_with_a_clear_message(monkeypatch, tmp_path, capsys,
                                                                                 no_examples):
    for var in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    code = main(["deploy", "dev"])
    assert (code, "no Snowflake connection configured for dev" in capsys.readouterr().err) == (2, True)


def test_deploy_without_terraform_says_so(configs, tmp_path, monkeypatch):
    (tmp_path / "node_modules" / ".bin").mkdir(parents=True)
    (tmp_path / "node_modules" / ".bin" / "cdktf").write_text("")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("TERRAFORM_BINARY_NAME", raising=False)
    with pytest.raises(ConnectionConfigError, match="Terraform is not installed"):
        deploy_command(configs["dev"], repo_root=tmp_path)


def test_deploy_without_node_modules_says_to_run_setup(configs, tmp_path):
    with pytest.raises(ConnectionConfigError, match="make setup"):
        deploy_command(configs["dev"], repo_root=tmp_path)


def test_deploy_refuses_the_emulator_environment(capsys):
    code = main(["deploy", "local"])
    assert (code, "use `ysg up`" in capsys.readouterr().err) == (2, True)


@pytest.fixture
def dev_deploy(tmp_path, monkeypatch, no_examples):
    """`ysg deploy dev` with cdktf replaced by a stand-in command and Snowflake by the emulator."""
    import sys

    from ysg.emulator import open_emulator

    monkeypatch.setattr(operate, "OUTDIR", tmp_path / "cdktf.out")
    stack_dir = tmp_path / "cdktf.out" / "stacks" / "billing-dev"
    stack_dir.mkdir(parents=True)
    hooks = [hook("stg.schema", "CREATE SCHEMA IF NOT EXISTS SNOWFLAKE_EXAMPLE_DEV.SFE_STG_TELECOM")]
    write_manifest(stack_dir, Manifest("dev", "billing-dev", "snowflake", ordered(hooks)))
    monkeypatch.setattr(operate, "expected_manifest",
                        lambda config: Manifest("dev", "billing-dev", "snowflake", ordered(hooks)))
    with open_emulator(tmp_path, "SNOWFLAKE_EXAMPLE_DEV") as connect:   # Snowflake's stand-in, as `ysg up` opens it
        monkeypatch.setattr(connection, "connection_factory", lambda config, connection_name=None: connect)

        def deploy_exiting_with(code):
            monkeypatch.setattr(operate, "deploy_command",
                                lambda config: [sys.executable, "-c", f"import sys; sys.exit({code})"])
        yield deploy_exiting_with


def test_deploy_reports_cdktfs_failure_with_its_exit_code(dev_deploy, capsys):
    dev_deploy(3)
    code = main(["deploy", "dev"])
    assert (code, "cdktf deploy billing-dev failed (exit 3)" in capsys.readouterr().err) == (3, True)


def test_deploy_leaves_the_hooks_to_cdktf_deploy(dev_deploy, capsys):
    """The stack's hook trigger runs them inside `cdktf deploy`; the command runs no hook of its own."""
    dev_deploy(0)
    code = main(["deploy", "dev"])
    assert (code, capsys.readouterr().out) == (0, "")
