"""`ysg query`: the allow-list of one read-only statement, and the session that cannot write.

Issue 13, item 2: the pipe operator `->>` chained writes onto a SHOW, `nextval` survived the rollback,
`--role` picked any role, the emulator read host files, a missing table printed a traceback.
"""
from __future__ import annotations

import json

import pytest

from ysg import connection, operate
from ysg.access.model import AccessModel, role
from ysg.access.stack import TerraformStack, load_stack
from ysg.cli import main
from ysg.query import QueryRefused, check_read_only
from ysg_core import paths

DB = "SNOWFLAKE_EXAMPLE_LOCAL"


@pytest.mark.parametrize("sql", [
    "SHOW GRANTS ->> DROP DATABASE SNOWFLAKE_EXAMPLE_PROD",                 # the case
    "SHOW GRANTS ->> DELETE FROM D.SFE_RAW_BILLING.USAGE_METRICS ->> COMMIT",
    "SHOW GRANTS TO ROLE SFE_BILLING_ANALYST_ROLE ->> GRANT ROLE ACCOUNTADMIN TO USER MALLORY",
    "show roles /* harmless? */ ->>drop role SFE_BILLING_ADMIN",
])
def test_the_pipe_operator_is_refused(sql):
    with pytest.raises(QueryRefused, match="pipe operator"):
        check_read_only(sql)


@pytest.mark.parametrize("sql", [
    "SELECT nextval('S')",                                                  # the case
    "SELECT D.SFE_RAW_BILLING.SEQ.NEXTVAL AS ID",
    "SELECT account_id, s.nextval FROM D.S.T",
])
def test_sequences_are_refused(sql):
    with pytest.raises(QueryRefused, match="NEXTVAL"):
        check_read_only(sql)


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('/etc/passwd')",                                # the weak case
    "SELECT * FROM '/etc/passwd'",
    "SELECT $1 FROM @SNOWFLAKE_EXAMPLE_PROD.SFE_RAW_BILLING.RAW",
    "SELECT * FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))",
])
def test_reading_anything_but_tables_and_views_is_refused(sql):
    with pytest.raises(QueryRefused, match="refused"):
        check_read_only(sql)


@pytest.mark.parametrize("sql", [
    "SELECT f.value FROM D.S.T AS t, LATERAL FLATTEN(input => t.V) AS f",
    "SELECT * FROM TABLE(GENERATOR(ROWCOUNT => 3))",
    "SELECT SYSTEM$TYPEOF(1)",
    "SELECT '->> is only text here' AS s",
])
def test_reads_the_allow_list_keeps(sql):
    """Negative control: the allow-list is not a refusal of everything unusual."""
    assert check_read_only(sql) == sql


def test_role_is_no_longer_an_option(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["query", "local", "SELECT 1", "--role", "ACCOUNTADMIN"])
    assert (exited.value.code, "unrecognized arguments: --role ACCOUNTADMIN" in capsys.readouterr().err) == (2, True)


class _Cursor:
    def __init__(self, log):
        self.log, self.description = log, [("X",)]

    def execute(self, statement, params=None):
        self.log.append(statement)

    def fetchall(self):
        return [(1,)]


class _Connection:
    def __init__(self, log):
        self.log = log

    def cursor(self):
        return _Cursor(self.log)

    def close(self):
        self.log.append("(closed)")


def test_a_snowflake_query_runs_as_the_analyst_role_pinned_on_the_connection(monkeypatch, configs, capsys):
    """The role and warehouse are connector parameters, no USE ROLE; secondary roles are off."""
    sessions, statements = [], []

    def connect(**session):
        sessions.append(session)
        return _Connection(statements)

    monkeypatch.setattr(connection, "connection_factory", lambda config, connection_name=None: connect)
    code = main(["query", "dev", "SELECT 1 AS X", "--format", "json"])
    names = configs["dev"].names
    assert (code, sessions, statements) == (
        0, [{"role": names.roles.analyst, "warehouse": names.warehouse}],
        ["USE SECONDARY ROLES NONE", "BEGIN", "SELECT 1 AS X", "ROLLBACK", "(closed)"])


READS = frozenset({"USAGE", "SELECT", "REFERENCES", "MONITOR", "READ"})


def _privileges_of(stack_dir, role_name: str) -> tuple[set[str], list[str]]:
    """Every privilege the role holds through the stack's grants (its own and inherited), and what it owns."""
    model = AccessModel()
    load_stack(model, TerraformStack.from_file(stack_dir / "cdk.tf.json"))
    inherited = set(model.inherited(role(role_name)))
    held = {p for grant in model.grants if grant.grantee in inherited for p in grant.privileges}
    owned = [str(info.securable) for info in model.objects.values() if info.owner in inherited]
    return held, owned


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_the_analyst_role_can_only_read_in_the_stack(synthesized, configs, env):
    """The barrier is the role: in the synthesized stack, it (and every role it inherits) holds reads only
    and owns nothing. The pipeline role is the negative control: it writes."""
    roles = configs[env].names.roles
    held, owned = _privileges_of(synthesized[env], roles.analyst)
    pipeline_held, _ = _privileges_of(synthesized[env], roles.pipeline)
    assert (held - READS, owned, bool(held), bool(pipeline_held - READS)) == (set(), [], True, True)


@pytest.fixture
def local_emulator(tmp_path, monkeypatch):
    monkeypatch.setattr(operate, "OUTDIR", tmp_path / "cdktf.out")
    monkeypatch.setattr(paths, "EMULATOR_DIR", tmp_path / "emulator")
    return tmp_path


def test_a_query_on_a_missing_table_is_one_line(local_emulator, capsys):
    code = main(["query", "local", f"SELECT * FROM {DB}.SFE_STG_TELECOM.NO_SUCH_TABLE"])
    err = capsys.readouterr().err
    assert (code, err.count("\n"), err.startswith("ysg query: failed on local: "), "Traceback" in err) == (2, 1, True, False)


def test_on_the_emulator_the_session_cannot_read_host_files(local_emulator):
    """The emulator's stand-in for the role, below the allow-list: DuckDB itself refuses the file. A plain
    emulator connection reads it (the control: the refusal is the barrier's, not the file's)."""
    from ysg.emulator import open_emulator, without_file_access

    read_file = "SELECT COUNT(*) FROM read_text('/etc/hostname')"
    with open_emulator(local_emulator / "emulator", DB) as connect:
        plain = connect()
        try:
            readable = plain._duck_conn.execute(read_file).fetchall()
        finally:
            plain.close()
        barred = without_file_access(connect)()   # DuckDB's setting holds for the whole emulator instance
        try:
            with pytest.raises(Exception, match="file system operations are disabled"):
                barred._duck_conn.execute(read_file).fetchall()
            still_works = barred.cursor().execute("SELECT 1").fetchall()
        finally:
            barred.close()
    assert (readable, still_works) == ([(1,)], [(1,)])


def test_the_query_command_prints_rows_on_the_emulator(local_emulator, capsys):
    code = main(["query", "local", "SELECT 7 AS SEVEN", "--format", "json"])
    assert (code, json.loads(capsys.readouterr().out)) == (0, [{"SEVEN": 7}])
