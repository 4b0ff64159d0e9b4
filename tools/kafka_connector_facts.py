"""Read the Kafka connector's configuration facts from its source at a release tag; run by hand.

Writes tools/kafka_connector_facts.json, which tests/stacks/test_kafka_connector.py checks the
generated connector configuration against: the keys the pinned Snowflake connector defines, its
connector class, the values its enums accept, and the keys Kafka Connect itself defines for a sink
connector and for a worker. Nothing here is typed in by hand; every value names the file it came from.

    python tools/kafka_connector_facts.py \\
        --connector-git <clone of snowflakedb/snowflake-kafka-connector> --connector-ref v4.1.0 \\
        --kafka-git <clone of apache/kafka> --kafka-ref 3.9

Both clones may be bare (only `git show` and `git ls-tree` are used). The pinned versions live in
stacks/ysg_stacks/kafka_connector.py and README.md; refresh this file when they change.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).with_suffix(".json")

SF_ROOT = "src/main/java/com/snowflake/kafka/connector"
SF_CONSTANTS = f"{SF_ROOT}/Constants.java"
SF_CONFIG_DEF = f"{SF_ROOT}/config/ConnectorConfigDefinition.java"
SF_UTILS = f"{SF_ROOT}/Utils.java"
SF_CONNECTION = f"{SF_ROOT}/internal/StandardSnowflakeConnectionService.java"
SF_ENUMS = {  # config value sets: each enum's constants, lower-cased as the connector reads them
    "authenticator": (f"{SF_ROOT}/config/AuthenticatorType.java", "AuthenticatorType"),
    "autocreate_table_type": (f"{SF_ROOT}/config/TableType.java", "TableType"),
    "validation": (f"{SF_ROOT}/config/SnowflakeValidation.java", "SnowflakeValidation"),
    "errors_tolerance": (f"{SF_ROOT}/ConnectorConfigTools.java", "ErrorTolerance"),
}

KC_RUNTIME = "connect/runtime/src/main/java/org/apache/kafka/connect/runtime"
KC_CONNECTOR = (f"{KC_RUNTIME}/ConnectorConfig.java", f"{KC_RUNTIME}/SinkConnectorConfig.java")
KC_WORKER = f"{KC_RUNTIME}/WorkerConfig.java"
KC_SINK_TASK = "connect/api/src/main/java/org/apache/kafka/connect/sink/SinkTask.java"
KC_CLIENT_CONFIGS = "clients/src/main/java/org/apache/kafka/clients/CommonClientConfigs.java"

CONSTANT = re.compile(r"public\s+static\s+final\s+(?:String|boolean|int|long|short)\s+([A-Z][A-Z0-9_]*)\s*=\s*"
                      r"(.*?);", re.S)
STRING = re.compile(r'^"((?:[^"\\]|\\.)*)"$')


class FactsError(Exception):
    """A source file that does not say what this script expects; the message names it."""


def git_show(git_dir: str, ref: str, path: str) -> str:
    try:
        return subprocess.run(["git", "--git-dir", git_dir, "show", f"{ref}:{path}"], check=True,
                              capture_output=True, text=True).stdout
    except subprocess.CalledProcessError as exc:
        raise FactsError(f"{git_dir}: cannot read {ref}:{path}: {exc.stderr.strip()}") from None


def git_commit(git_dir: str, ref: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, "rev-parse", f"{ref}^{{commit}}"], check=True,
                          capture_output=True, text=True).stdout.strip()


def strip_comments(java: str) -> str:
    java = re.sub(r"/\*.*?\*/", " ", java, flags=re.S)
    return re.sub(r"//[^\n]*", " ", java)


def constants(java: str) -> dict[str, str]:
    """Every `public static final` constant of a file: name -> its initializer, as written."""
    return {name: " ".join(expr.split()) for name, expr in CONSTANT.findall(strip_comments(java))}


def class_body(java: str, name: str) -> str:
    """The text between the braces of `class|enum name`, found by brace counting."""
    match = re.search(rf"\b(?:class|enum)\s+{name}\b[^{{]*\{{", java)
    if not match:
        raise FactsError(f"no class or enum {name}")
    depth, start = 1, match.end()
    for i in range(start, len(java)):
        depth += {"{": 1, "}": -1}.get(java[i], 0)
        if depth == 0:
            return java[start:i]
    raise FactsError(f"unbalanced braces after {name}")


def enum_values(java: str, name: str) -> list[str]:
    body = class_body(strip_comments(java), name)
    head = body.split(";", 1)[0]
    names = [re.match(r"\s*([A-Z][A-Z0-9_]*)", part) for part in head.split(",")]
    if not names or not all(names):
        raise FactsError(f"enum {name}: cannot read its constants from {head!r}")
    return [m.group(1).lower() for m in names]


def literal(expr: str):
    """A Java literal as JSON, or the expression as written when it is not one."""
    if m := STRING.match(expr):
        return m.group(1)
    if expr in ("true", "false"):
        return expr == "true"
    if re.fullmatch(r"-?\d+", expr):
        return int(expr)
    return {"expression": expr}


def snowflake_facts(git_dir: str, ref: str) -> dict:
    consts_java = git_show(git_dir, ref, SF_CONSTANTS)
    params_java = class_body(strip_comments(consts_java), "KafkaConnectorConfigParams")
    params = {name: literal(expr) for name, expr in constants(params_java).items()}
    top = {name: literal(expr) for name, expr in constants(consts_java).items() if name not in params}

    config_def = re.findall(r"\.define\(\s*KafkaConnectorConfigParams\.([A-Z0-9_]+)",
                            strip_comments(git_show(git_dir, ref, SF_CONFIG_DEF)))
    if not config_def:
        raise FactsError(f"{SF_CONFIG_DEF}: no .define(KafkaConnectorConfigParams.X) found")

    utils = git_show(git_dir, ref, SF_UTILS)
    version = re.search(r'public static final String VERSION = "([^"]+)";', utils)
    app_name = re.search(r'isValidSnowflakeApplicationName\(String \w+\)\s*\{\s*return \w+\.matches\("([^"]+)"\)',
                         utils)
    if not (version and app_name):
        raise FactsError(f"{SF_UTILS}: VERSION or isValidSnowflakeApplicationName not found")

    # The class Kafka Connect instantiates: the one that extends SinkConnector.
    files = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "-r", "--name-only", ref, SF_ROOT + "/"],
                           check=True, capture_output=True, text=True).stdout.split()
    connectors = []
    for path in files:
        if path.endswith(".java") and path.count("/") == SF_ROOT.count("/") + 1:
            java = git_show(git_dir, ref, path)
            if m := re.search(r"public class (\w+) extends SinkConnector\b", java):
                package = re.search(r"^package ([\w.]+);", java, re.M).group(1)
                connectors.append((f"{package}.{m.group(1)}", path))
    if len(connectors) != 1:
        raise FactsError(f"{SF_ROOT}: expected one class extending SinkConnector, found {connectors}")
    (connector_class, connector_path), = connectors
    provider_ref = re.search(r'CONFIG_PROVIDER_PREFIX = Pattern\.compile\("([^"]+)"\)', git_show(git_dir, ref, connector_path))
    if not provider_ref:
        raise FactsError(f"{connector_path}: CONFIG_PROVIDER_PREFIX not found")

    # The table privileges with which the connector evolves (alters) a table's schema.
    evolve = re.search(r"schemaEvolutionAllowedPrivilegeList\s*=\s*Arrays\.asList\(([^)]*)\)",
                       git_show(git_dir, ref, SF_CONNECTION))
    if not evolve:
        raise FactsError(f"{SF_CONNECTION}: schemaEvolutionAllowedPrivilegeList not found")

    return {
        "repository": "snowflakedb/snowflake-kafka-connector", "ref": ref, "commit": git_commit(git_dir, ref),
        "version": version.group(1),
        "connector_class": connector_class,
        # The configuration keys: the string constants that are not a default or a minimum.
        "keys": sorted(v for k, v in params.items() if isinstance(v, str) and not k.endswith(("_DEFAULT", "_MIN"))),
        "params": params,
        "constants": top,
        "config_def": sorted({_key(params, name, SF_CONFIG_DEF) for name in config_def}),
        "app_name_pattern": app_name.group(1),
        # What validate() treats as a Kafka Connect config-provider reference (not checkable offline).
        "config_provider_reference_pattern": provider_ref.group(1),
        "schema_evolution_privileges": re.findall(r'"([^"]+)"', evolve.group(1)),
        "enums": {key: enum_values(git_show(git_dir, ref, path), name) for key, (path, name) in SF_ENUMS.items()},
        "sources": {"params": f"{SF_CONSTANTS} (class KafkaConnectorConfigParams)",
                    "config_def": SF_CONFIG_DEF, "version_and_app_name_pattern": SF_UTILS,
                    "schema_evolution_privileges": SF_CONNECTION,
                    "connector_class_and_config_provider_reference_pattern": connector_path,
                    "enums": {key: f"{path} (enum {name})" for key, (path, name) in SF_ENUMS.items()}},
    }


def _key(params: dict, name: str, where: str) -> str:
    value = params.get(name)
    if not isinstance(value, str):
        raise FactsError(f"{where}: KafkaConnectorConfigParams.{name} is not a string constant")
    return value


def kafka_facts(git_dir: str, ref: str) -> dict:
    # Class name -> its constants, so `WorkerConfig.X`, `SinkTask.X` and `A + "b"` can be resolved.
    tables = {Path(p).stem: constants(git_show(git_dir, ref, p))
              for p in (*KC_CONNECTOR, KC_WORKER, KC_SINK_TASK, KC_CLIENT_CONFIGS)}

    def resolve(cls: str, expr: str, depth: int = 0) -> str | None:
        if depth > 5:
            return None
        parts = [p.strip() for p in expr.split("+")]
        out = []
        for part in parts:
            if m := STRING.match(part):
                out.append(m.group(1))
            elif m := re.fullmatch(r"(?:(\w+)\.)?([A-Z][A-Z0-9_]*)", part):
                owner = m.group(1) or cls
                if owner not in tables or m.group(2) not in tables[owner]:
                    # An inherited constant: SinkConnectorConfig extends ConnectorConfig.
                    owner = "ConnectorConfig" if m.group(1) is None and m.group(2) in tables["ConnectorConfig"] else owner
                value = tables.get(owner, {}).get(m.group(2))
                resolved = None if value is None else resolve(owner, value, depth + 1)
                if resolved is None:
                    return None
                out.append(resolved)
            else:
                return None
        return "".join(out)

    def keys(cls: str, suffix: str) -> list[str]:
        found = {resolve(cls, expr) for name, expr in tables[cls].items() if name.endswith(suffix)}
        return sorted(k for k in found if k)

    connector_keys = sorted({k for path in KC_CONNECTOR for k in keys(Path(path).stem, "_CONFIG")})
    prefixes = sorted({k for path in KC_CONNECTOR for k in keys(Path(path).stem, "_PREFIX")})
    worker_keys = keys("WorkerConfig", "_CONFIG")
    if "connector.class" not in connector_keys or "config.providers" not in worker_keys:
        raise FactsError(f"{ref}: connector.class or config.providers not found; the files moved?")
    return {
        "repository": "apache/kafka", "ref": ref, "commit": git_commit(git_dir, ref),
        "connector_keys": connector_keys,
        "connector_prefixes": prefixes,
        "worker_keys": worker_keys,
        "sources": {"connector_keys": list(KC_CONNECTOR), "worker_keys": KC_WORKER,
                    "resolved_through": [KC_SINK_TASK, KC_CLIENT_CONFIGS]},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connector-git", required=True)
    parser.add_argument("--connector-ref", required=True)
    parser.add_argument("--kafka-git", required=True)
    parser.add_argument("--kafka-ref", required=True)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    try:
        facts = {"snowflake_connector": snowflake_facts(args.connector_git, args.connector_ref),
                 "kafka_connect": kafka_facts(args.kafka_git, args.kafka_ref)}
    except FactsError as exc:
        print(f"kafka_connector_facts: {exc}", file=sys.stderr)
        return 1
    args.out.write_text(json.dumps(facts, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
