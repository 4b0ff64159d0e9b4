"""Provider facts: what the Snowflake Terraform provider's own Go source says about every resource attribute.

Run by hand against a checkout of snowflakedb/terraform-provider-snowflake at a tag, then commit the output:

    .venv/bin/python tools/provider_facts.py /work/provider-v2.11.0 --tag v2.11.0 \
        --git-dir /work/.mirror/snowflakedb+terraform-provider-snowflake/repo      # writes cli/ysg/provider_facts.json

The Go source is parsed with tree-sitter (never with regular expressions) and the package-level declarations
that build each resource's schema are evaluated by a small interpreter for the subset of Go they use
(composite literals, package vars and constants, init functions, plain functions and methods, range loops).
Anything it cannot evaluate where a fact depends on it is listed under `unresolved`, with file:line.
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import tree_sitter_go
from tree_sitter import Language, Node, Parser

GO = Language(tree_sitter_go.language())
REPOSITORY = "snowflakedb/terraform-provider-snowflake"
SCRIPT = "tools/provider_facts.py"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "cli" / "ysg" / "provider_facts.json"
PROVIDER_FILE = "pkg/provider/provider.go"
RESOURCES_FUNCTION = "getResources"

SCHEMA_PKG = "github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
VALIDATION_PKG = "github.com/hashicorp/terraform-plugin-sdk/v2/helper/validation"
CUSTOMDIFF_PKG = "github.com/hashicorp/terraform-plugin-sdk/v2/helper/customdiff"
# The fields of schema.Schema and schema.Resource the facts read; the others are not evaluated at all.
SCHEMA_FIELDS = {"Type", "Required", "Optional", "Computed", "ForceNew", "Deprecated", "ValidateFunc",
                 "ValidateDiagFunc", "Elem", "MaxItems"}
RESOURCE_FIELDS = {"Schema", "CustomizeDiff", "DeprecationMessage"}
MAX_DEPTH = 60


class GoError(Exception):
    """A statement the interpreter cannot run (unsupported syntax, or control flow on an unknown value)."""

    def __init__(self, reason: str, pos: str):
        super().__init__(f"{pos}: {reason}")
        self.reason, self.pos = reason, pos


class _Return(Exception):
    def __init__(self, values: list):
        self.values = values


# ---- values ----------------------------------------------------------------------------------------

@dataclass
class Unknown:
    """A value the interpreter could not compute; facts that need it are reported as unresolved."""
    reason: str
    pos: str


class GoStr(str):
    """A string constant of a named Go type (`ObjectTypeDatabase ObjectType = "DATABASE"`), for methods."""
    gotype: tuple[str, str] | None = None

    def __new__(cls, value: str, gotype: tuple[str, str] | None):
        obj = super().__new__(cls, value)
        obj.gotype = gotype
        return obj


@dataclass(eq=False)
class GoList:
    items: list
    pos: str
    origins: set = field(default_factory=set)


@dataclass(eq=False)
class GoMap:
    items: dict
    pos: str
    key_pos: dict = field(default_factory=dict)
    unknown_keys: list = field(default_factory=list)      # (Unknown, pos) of keys that could not be computed
    origins: set = field(default_factory=set)


@dataclass(eq=False)
class GoStruct:
    type: str                       # "schema.Schema", "resources.parameterDef", "struct"
    fields: dict
    field_pos: dict
    pos: str

    def copy(self) -> "GoStruct":
        return GoStruct(self.type, dict(self.fields), dict(self.field_pos), self.pos)


@dataclass(eq=False)
class Ptr:
    target: Any


@dataclass(eq=False)
class GoFunc:
    name: str
    package: "Package"
    file: "GoFile"
    node: Node                      # function_declaration, method_declaration or func_literal
    env: "Env | None" = None        # the closure of a func literal
    receiver: Any = None


@dataclass(eq=False)
class Builtin:
    name: str
    call: Callable


@dataclass(eq=False)
class PackageRef:
    path: str


@dataclass(eq=False)
class TypeRef:
    kind: tuple                     # ("named", pkgpath, name) | ("map",) | ("slice", elem) | ("basic", name) | ...


@dataclass
class Validator:
    helper: str
    pos: str
    values: list | Unknown | None = None
    case_insensitive: bool = False
    minimum: int | None = None
    maximum: int | None = None
    values_from: list = field(default_factory=list)


@dataclass
class CustomDiff:
    kind: str                       # force_new_if | recompute | recreate_on_external_change | parameters
    helper: str
    pos: str
    key: Any = None
    attributes: list = field(default_factory=list)
    condition: str = ""
    helper_source: str = ""
    fires_when: list | None = None          # for a probed inline condition of a string attribute


def deref(value: Any) -> Any:
    while isinstance(value, Ptr):
        value = value.target
    return value


# ---- source --------------------------------------------------------------------------------------

@dataclass(eq=False)
class GoFile:
    path: str                       # relative to the checkout
    source: bytes
    root: Node
    imports: dict                   # alias -> import path
    package: "Package | None" = None

    def pos(self, node: Node) -> str:
        return f"{self.path}:{node.start_point[0] + 1}"

    def text(self, node: Node) -> str:
        return self.source[node.start_byte:node.end_byte].decode("utf-8")


class Package:
    def __init__(self, path: str, directory: Path, files: list[GoFile]):
        self.path, self.directory, self.files = path, directory, files
        self.consts: dict[str, tuple] = {}     # name -> (spec node, file, index, iota, inherited expr/type)
        self.vars: dict[str, tuple] = {}       # name -> (spec node, file, index)
        self.funcs: dict[str, tuple] = {}
        self.methods: dict[tuple[str, str], tuple] = {}
        self.types: dict[str, tuple] = {}
        self.values: dict[str, Any] = {}
        self.evaluating: set[str] = set()
        self.inits: list[tuple[Node, GoFile]] = []
        for f in files:
            f.package = self
            self._index(f)

    @property
    def short(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def _index(self, f: GoFile) -> None:
        for node in _kids(f.root):
            if node.type == "function_declaration":
                name = f.text(node.child_by_field_name("name"))
                if name == "init":
                    self.inits.append((node, f))
                else:
                    self.funcs[name] = (node, f)
            elif node.type == "method_declaration":
                receiver = node.child_by_field_name("receiver")
                rtype = re.sub(r"[\s*]|\[.*\]", "", f.text(_kids(receiver)[0].child_by_field_name("type")))
                self.methods[(rtype, f.text(node.child_by_field_name("name")))] = (node, f)
            elif node.type == "const_declaration":
                iota, last_type, last_values = 0, None, None
                for spec in _specs(node, "const_spec"):
                    type_node = spec.child_by_field_name("type")
                    value_node = spec.child_by_field_name("value")
                    if value_node is not None:
                        last_type, last_values = type_node, value_node
                    for index, name_node in enumerate(spec.children_by_field_name("name")):
                        self.consts[f.text(name_node)] = (spec, f, index, iota, last_type, last_values)
                    iota += 1
            elif node.type == "var_declaration":
                for spec in _specs(node, "var_spec"):
                    for index, name_node in enumerate(spec.children_by_field_name("name")):
                        self.vars[f.text(name_node)] = (spec, f, index)
            elif node.type == "type_declaration":
                for spec in _kids(node):
                    if spec.type in ("type_spec", "type_alias"):
                        self.types[f.text(spec.child_by_field_name("name"))] = (spec, f)


def _specs(node: Node, kind: str) -> list[Node]:
    found = []
    for child in _kids(node):
        if child.type == kind:
            found.append(child)
        elif child.type.endswith("_spec_list"):
            found += _specs(child, kind)
    return found


class Source:
    """The checkout: Go packages of the module, parsed on first use."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.module = self._module_path()
        self.parser = Parser(GO)
        self.packages: dict[str, Package] = {}
        self.read_files: dict[str, bytes] = {}

    def _module_path(self) -> str:
        for line in (self.root / "go.mod").read_text(encoding="utf-8").splitlines():
            if line.startswith("module "):
                return line.split()[1]
        raise SystemExit(f"{self.root / 'go.mod'}: no module line")

    def is_module(self, import_path: str) -> bool:
        return import_path == self.module or import_path.startswith(self.module + "/")

    def parse(self, relative: str, source: bytes | None = None) -> GoFile:
        data = source if source is not None else (self.root / relative).read_bytes()
        self.read_files[relative] = data
        tree = self.parser.parse(data)
        imports = {}
        for decl in _kids(tree.root_node):
            if decl.type != "import_declaration":
                continue
            for spec in _specs(decl, "import_spec"):
                path = ast.literal_eval(data[spec.child_by_field_name("path").start_byte:
                                            spec.child_by_field_name("path").end_byte].decode())
                alias = spec.child_by_field_name("name")
                parts = path.split("/")
                default = parts[-2] if re.fullmatch(r"v\d+", parts[-1]) and len(parts) > 1 else parts[-1]
                name = data[alias.start_byte:alias.end_byte].decode() if alias else default
                if name not in ("_", "."):
                    imports[name] = path
        return GoFile(relative, data, tree.root_node, imports)

    def package(self, import_path: str) -> Package:
        if import_path not in self.packages:
            relative = import_path[len(self.module):].lstrip("/")
            directory = self.root / relative
            files = [self.parse(str(Path(relative) / p.name)) for p in sorted(directory.glob("*.go"))
                     if not p.name.endswith("_test.go")]
            self.packages[import_path] = Package(import_path, directory, files)
        return self.packages[import_path]


# ---- the interpreter -----------------------------------------------------------------------------

class Env:
    def __init__(self, parent: "Env | None" = None):
        self.vars: dict[str, Any] = {}
        self.parent = parent

    def lookup(self, name: str) -> tuple[bool, Any]:
        env = self
        while env is not None:
            if name in env.vars:
                return True, env.vars[name]
            env = env.parent
        return False, None

    def set(self, name: str, value: Any) -> bool:
        env = self
        while env is not None:
            if name in env.vars:
                env.vars[name] = value
                return True
            env = env.parent
        return False


BASIC_TYPES = {"string", "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
               "float32", "float64", "bool", "byte", "rune", "any", "error"}


class Interpreter:
    def __init__(self, source: Source):
        self.source = source
        self.depth = 0
        self.init_failures: list[tuple[str, str, set]] = []   # (pos, reason, names the init assigns)
        self.var_reads: set[tuple[str, str]] = set()
        self.loaded: set[str] = set()
        self.range_origins: list[set] = []
        self.assertions_pass = False        # only while probing a condition: `v.(string)` is v

    # -- packages
    def load(self, import_path: str) -> Package:
        """A package with its variables evaluated and its init functions run (Go's initialization order)."""
        package = self.source.package(import_path)
        if import_path in self.loaded:
            return package
        self.loaded.add(import_path)
        for name in package.vars:
            self.package_var(package, name)
        for node, f in package.inits:
            try:
                self.call(GoFunc("init", package, f, node), [], f.pos(node), strict=True)
            except GoError as exc:
                assigned = {f.text(n) for n in _walk(node) if n.type == "identifier"}
                self.init_failures.append((f.pos(node), exc.reason + f" (at {exc.pos})", assigned))
        return package

    def package_var(self, package: Package, name: str) -> Any:
        if name in package.values:
            return package.values[name]
        if name in package.evaluating:
            return Unknown(f"initialization cycle through {name}", package.path)
        spec, f, index = package.vars[name]
        package.evaluating.add(name)
        try:
            value_node = spec.child_by_field_name("value")
            if value_node is None:
                value = self.zero(self.type_of(spec.child_by_field_name("type"), f))
            else:
                values = self.eval_list(value_node, f, Env(), expected=self.type_of(spec.child_by_field_name("type"), f))
                value = values[index] if index < len(values) else Unknown("too few values", f.pos(spec))
        finally:
            package.evaluating.discard(name)
        package.values[name] = value
        return value

    def package_const(self, package: Package, name: str) -> Any:
        key = "const " + name
        if key in package.values:
            return package.values[key]
        spec, f, index, iota, type_node, values_node = package.consts[name]
        if values_node is None:
            value = Unknown("constant without a value", f.pos(spec))
        else:
            env = Env()
            env.vars["iota"] = iota
            exprs = _kids(values_node)
            value = self.eval(exprs[index], f, env) if index < len(exprs) else Unknown("too few values", f.pos(spec))
            if type_node is not None:
                value = self.convert(value, self.type_of(type_node, f))
        package.values[key] = value
        return value

    def member(self, package: Package, name: str, pos: str) -> Any:
        """A package-level name: constant, variable, function or type."""
        if name in package.consts:
            return self.package_const(package, name)
        if name in package.vars:
            self.load(package.path)
            self.var_reads.add((package.path, name))
            return self.package_var(package, name)
        if name in package.funcs:
            node, f = package.funcs[name]
            return GoFunc(name, package, f, node)
        if name in package.types:
            return TypeRef(("named", package.path, name))
        return Unknown(f"{package.short}.{name} is not declared", pos)

    # -- types
    def type_of(self, node: Node | None, f: GoFile) -> tuple | None:
        if node is None:
            return None
        kind = node.type
        if kind == "type_identifier":
            name = f.text(node)
            if name in BASIC_TYPES:
                return ("basic", name)
            return ("named", f.package.path, name) if f.package else ("named", "", name)
        if kind == "qualified_type":
            alias = f.text(node.child_by_field_name("package"))
            return ("named", f.imports.get(alias, alias), f.text(node.child_by_field_name("name")))
        if kind == "generic_type":
            return self.type_of(node.child_by_field_name("type"), f)
        if kind == "pointer_type":
            return ("ptr", self.type_of(_kids(node)[0], f))
        if kind == "map_type":
            return ("map", self.type_of(node.child_by_field_name("key"), f), self.type_of(node.child_by_field_name("value"), f))
        if kind in ("slice_type", "array_type"):
            return ("slice", self.type_of(node.child_by_field_name("element"), f))
        if kind == "struct_type":
            names = [f.text(n) for decl in _walk(node) if decl.type == "field_declaration"
                     for n in decl.children_by_field_name("name")]
            return ("struct", tuple(names))
        if kind in ("parenthesized_type", "type_elem"):
            return self.type_of(_kids(node)[0], f)
        if kind == "function_type":
            return ("func",)
        if kind == "interface_type":
            return ("basic", "any")
        return ("unknown", f.text(node))

    def underlying(self, gotype: tuple | None) -> tuple | None:
        """A named type of the module resolved to its definition (struct, map, slice or basic)."""
        seen = 0
        while gotype and gotype[0] == "named" and self.source.is_module(gotype[1]) and seen < 10:
            package = self.source.package(gotype[1])
            if gotype[2] not in package.types:
                return None
            spec, f = package.types[gotype[2]]
            gotype = self.type_of(spec.child_by_field_name("type"), f)
            seen += 1
        return gotype

    def field_zero(self, qualified_type: str, name: str) -> Any:
        """The zero value of a field a struct literal left out (false, "", 0 or nil), from its declaration."""
        path, _, tname = qualified_type.rpartition(".")
        if not self.source.is_module(path) or tname not in self.source.package(path).types:
            return None
        spec, f = self.source.package(path).types[tname]
        for decl in _walk(spec):
            if decl.type == "field_declaration" and name in [f.text(n) for n in decl.children_by_field_name("name")]:
                return self.zero(self.type_of(decl.child_by_field_name("type"), f))
        return None

    def zero(self, gotype: tuple | None) -> Any:
        base = self.underlying(gotype)
        if base and base[0] == "basic":
            return {"string": "", "bool": False}.get(base[1], 0 if base[1] not in ("any", "error") else None)
        if base and base[0] == "struct":
            return GoStruct(_type_name(gotype), {}, {}, "")
        return None

    def convert(self, value: Any, gotype: tuple | None) -> Any:
        if isinstance(value, Unknown) or gotype is None:
            return value
        base = self.underlying(gotype)
        if isinstance(value, str) and base and base[0] == "basic" and base[1] == "string":
            return GoStr(str(value), gotype[1:] if gotype[0] == "named" else None)
        if isinstance(value, (int, float)) and base and base[0] == "basic" and base[1] == "string":
            return chr(int(value))
        return value

    # -- statements
    def call(self, func: Any, args: list, pos: str, strict: bool = False) -> Any:
        """Call a function value; returns its results as a list. A statement it cannot run makes its result
        unknown, or, when `strict` (an init function), raises GoError."""
        if isinstance(func, Builtin):
            result = func.call(args, pos)
            return result if isinstance(result, list) else [result]
        if isinstance(func, TypeRef):
            return [self.convert(args[0] if args else Unknown("empty conversion", pos), func.kind)]
        if not isinstance(func, GoFunc):
            return [Unknown(f"call of a value that is not a known function ({type(func).__name__})", pos)]
        if self.depth > MAX_DEPTH:
            return [Unknown("call depth exceeded", pos)]
        f, node = func.file, func.node
        env = Env(func.env)
        if func.receiver is not None:
            receiver = _kids(node.child_by_field_name("receiver"))[0].child_by_field_name("name")
            if receiver is not None:
                env.vars[f.text(receiver)] = func.receiver
        params = [p for p in _kids(node.child_by_field_name("parameters"))
                  if p.type in ("parameter_declaration", "variadic_parameter_declaration")]
        index = 0
        for p in params:
            names = p.children_by_field_name("name")
            if p.type == "variadic_parameter_declaration":
                env.vars[f.text(names[0])] = GoList(list(args[index:]), pos)
                index = len(args)
                continue
            for name in names or [None]:
                value = args[index] if index < len(args) else Unknown("missing argument", pos)
                if name is not None:
                    env.vars[f.text(name)] = _bind(value)
                index += 1
        self.depth += 1
        try:
            self.exec_block(node.child_by_field_name("body"), f, env)
        except _Return as ret:
            return ret.values
        except GoError as exc:
            if strict:
                raise
            return [Unknown(f"{func.name}: {exc.reason} (at {exc.pos})", pos)]
        finally:
            self.depth -= 1
        return []

    def exec_block(self, block: Node | None, f: GoFile, env: Env) -> None:
        if block is None:
            return
        for stmt in _kids(block):
            if stmt.type == "statement_list":
                for inner in _kids(stmt):
                    self.exec(inner, f, env)
            else:
                self.exec(stmt, f, env)

    def exec(self, stmt: Node, f: GoFile, env: Env) -> None:
        kind, pos = stmt.type, f.pos(stmt)
        if kind == "comment" or kind == "empty_statement":
            return
        if kind == "return_statement":
            values = []
            for child in _kids(stmt):
                values += self.eval_list(child, f, env) if child.type == "expression_list" else [self.eval(child, f, env)]
            raise _Return(values)
        if kind == "expression_statement":
            self.eval(_kids(stmt)[0], f, env)
            return
        if kind == "short_var_declaration":
            values = self.eval_list(stmt.child_by_field_name("right"), f, env, count=len(_kids(stmt.child_by_field_name("left"))))
            for target, value in zip(_kids(stmt.child_by_field_name("left")), values):
                env.vars[f.text(target)] = _bind(value)
            return
        if kind == "var_declaration":
            for spec in _specs(stmt, "var_spec"):
                names = spec.children_by_field_name("name")
                value_node = spec.child_by_field_name("value")
                gotype = self.type_of(spec.child_by_field_name("type"), f)
                values = (self.eval_list(value_node, f, env, expected=gotype, count=len(names)) if value_node
                          else [self.zero(gotype) for _ in names])
                for name, value in zip(names, values):
                    env.vars[f.text(name)] = _bind(value)
            return
        if kind == "assignment_statement":
            operator = f.text(stmt.child_by_field_name("operator"))
            targets = _kids(stmt.child_by_field_name("left"))
            values = self.eval_list(stmt.child_by_field_name("right"), f, env, count=len(targets))
            for target, value in zip(targets, values):
                if operator == "+=":
                    value = _binary("+", self.eval(target, f, env), value, pos)
                elif operator != "=":
                    raise GoError(f"assignment operator {operator}", pos)
                self.assign(target, value, f, env)
            return
        if kind == "inc_statement" or kind == "dec_statement":
            target = _kids(stmt)[0]
            current = self.eval(target, f, env)
            if not isinstance(current, int):
                raise GoError("increment of a value that is not a known integer", pos)
            self.assign(target, current + (1 if kind == "inc_statement" else -1), f, env)
            return
        if kind == "if_statement":
            scope = Env(env)
            if stmt.child_by_field_name("initializer") is not None:
                self.exec(stmt.child_by_field_name("initializer"), f, scope)
            condition = self.eval(stmt.child_by_field_name("condition"), f, scope)
            if not isinstance(condition, bool):
                raise GoError(f"condition `{f.text(stmt.child_by_field_name('condition'))}` is not known", pos)
            if condition:
                self.exec_block(stmt.child_by_field_name("consequence"), f, Env(scope))
            elif stmt.child_by_field_name("alternative") is not None:
                alternative = stmt.child_by_field_name("alternative")
                if alternative.type == "if_statement":
                    self.exec(alternative, f, scope)
                else:
                    self.exec_block(alternative, f, Env(scope))
            return
        if kind == "for_statement":
            self.exec_for(stmt, f, env)
            return
        if kind == "block":
            self.exec_block(stmt, f, Env(env))
            return
        if kind == "expression_switch_statement":
            self.exec_switch(stmt, f, env)
            return
        raise GoError(f"statement {kind} not supported", pos)

    def exec_for(self, stmt: Node, f: GoFile, env: Env) -> None:
        pos = f.pos(stmt)
        clause = next((c for c in _kids(stmt) if c.type == "range_clause"), None)
        if clause is None:
            raise GoError("only range loops are supported", pos)
        collection = deref(self.eval(clause.child_by_field_name("right"), f, env))
        left = clause.child_by_field_name("left")
        names = [f.text(n) for n in _kids(left)] if left is not None else []
        if isinstance(collection, GoList):
            pairs = list(enumerate(collection.items))
        elif isinstance(collection, GoMap):
            pairs = list(collection.items.items())
        elif isinstance(collection, int) and not isinstance(collection, bool):
            pairs = [(i, None) for i in range(collection)]
        else:
            raise GoError(f"range over `{f.text(clause.child_by_field_name('right'))}`, which is not known", pos)
        self.range_origins.append(collection.origins | {collection.pos} if isinstance(collection, (GoList, GoMap)) else set())
        try:
            for key, value in pairs:
                scope = Env(env)
                for name, item in zip(names, (key, value)):
                    if name != "_":
                        scope.vars[name] = _bind(item)
                self.exec_block(stmt.child_by_field_name("body"), f, scope)
        finally:
            self.range_origins.pop()

    def exec_switch(self, stmt: Node, f: GoFile, env: Env) -> None:
        scope = Env(env)
        if stmt.child_by_field_name("initializer") is not None:
            self.exec(stmt.child_by_field_name("initializer"), f, scope)
        value_node = stmt.child_by_field_name("value")
        tag = self.eval(value_node, f, scope) if value_node is not None else True
        default = None
        for case in _kids(stmt):
            if case.type == "default_case":
                default = case
            if case.type != "expression_case":
                continue
            for expr in _kids(case.child_by_field_name("value")):
                candidate = self.eval(expr, f, scope)
                if isinstance(candidate, Unknown) or isinstance(tag, Unknown):
                    raise GoError("switch over a value that is not known", f.pos(case))
                if candidate == tag:
                    self._run_case(case, f, scope)
                    return
        if default is not None:
            self._run_case(default, f, scope)

    def _run_case(self, case: Node, f: GoFile, env: Env) -> None:
        for child in _kids(case):
            if child.type == "statement_list":
                for stmt in _kids(child):
                    self.exec(stmt, f, env)

    def assign(self, target: Node, value: Any, f: GoFile, env: Env) -> None:
        pos = f.pos(target)
        if target.type == "identifier":
            name = f.text(target)
            if name == "_":
                return
            if env.set(name, _bind(value)):
                return
            package = f.package
            if name in package.vars:
                package.values[name] = _bind(value)
                return
            raise GoError(f"assignment to undeclared {name}", pos)
        if target.type == "index_expression":
            container = deref(self.eval(target.child_by_field_name("operand"), f, env))
            key = self.eval(target.child_by_field_name("index"), f, env)
            if isinstance(container, GoMap):
                if isinstance(key, Unknown):
                    raise GoError(f"map key `{f.text(target.child_by_field_name('index'))}` is not known ({key.reason})", pos)
                container.items[_key(key)] = _bind(value)
                container.key_pos[_key(key)] = pos
                self._note_origins(container)
                return
            if isinstance(container, GoList) and isinstance(key, int):
                container.items[key] = _bind(value)
                self._note_origins(container)
                return
            raise GoError("index assignment into a value that is not known", pos)
        if target.type == "selector_expression":
            holder = deref(self.eval(target.child_by_field_name("operand"), f, env))
            if isinstance(holder, GoStruct):
                name = f.text(target.child_by_field_name("field"))
                holder.fields[name] = _bind(value)
                holder.field_pos[name] = pos
                return
            raise GoError("field assignment into a value that is not known", pos)
        if target.type == "unary_expression":
            self.assign(target.child_by_field_name("operand"), value, f, env)
            return
        raise GoError(f"assignment to {target.type}", pos)

    def _note_origins(self, container: GoList | GoMap) -> None:
        for origins in self.range_origins:
            container.origins |= origins

    # -- expressions
    def eval_list(self, node: Node, f: GoFile, env: Env, expected: tuple | None = None, count: int = 0) -> list:
        exprs = _kids(node) if node.type == "expression_list" else [node]
        if len(exprs) == 1 and count > 1:
            expr = exprs[0]
            if expr.type == "index_expression":          # v, ok := m[k]
                container = deref(self.eval(expr.child_by_field_name("operand"), f, env))
                key = self.eval(expr.child_by_field_name("index"), f, env)
                if isinstance(container, GoMap) and not isinstance(key, Unknown):
                    found = _key(key) in container.items
                    return [container.items.get(_key(key)), found]
                return [Unknown("map lookup not known", f.pos(expr)), Unknown("map lookup not known", f.pos(expr))]
            if expr.type == "type_assertion_expression":
                return [Unknown("type assertion", f.pos(expr))] * count
            results = self.eval_call(expr, f, env, multiple=True) if expr.type == "call_expression" else None
            if isinstance(results, list):
                return results + [Unknown("missing result", f.pos(expr))] * (count - len(results))
            return [Unknown(f"{expr.type} with {count} results", f.pos(expr))] * count
        return [self.eval(e, f, env, expected) for e in exprs]

    def eval(self, node: Node, f: GoFile, env: Env, expected: tuple | None = None) -> Any:
        kind, pos = node.type, f.pos(node)
        if kind == "interpreted_string_literal":
            return _go_string(f.text(node))
        if kind == "raw_string_literal":
            return f.text(node)[1:-1]
        if kind == "int_literal":
            return int(f.text(node).replace("_", ""), 0)
        if kind == "float_literal":
            return float(f.text(node).replace("_", ""))
        if kind == "true":
            return True
        if kind == "false":
            return False
        if kind == "nil":
            return None
        if kind == "iota":
            return env.lookup("iota")[1]
        if kind == "identifier":
            return self.identifier(f.text(node), f, env, pos)
        if kind == "parenthesized_expression":
            return self.eval(_kids(node)[0], f, env, expected)
        if kind == "selector_expression":
            return self.selector(node, f, env)
        if kind == "call_expression":
            results = self.eval_call(node, f, env)
            return results[0] if results else None
        if kind == "composite_literal":
            gotype = self.type_of(node.child_by_field_name("type"), f)
            return self.literal(node.child_by_field_name("body"), gotype, f, env)
        if kind == "literal_value":
            return self.literal(node, expected, f, env)
        if kind == "unary_expression":
            operator = f.text(node.child_by_field_name("operator"))
            operand = self.eval(node.child_by_field_name("operand"), f, env, expected)
            if operator == "&":
                return Ptr(operand) if isinstance(operand, GoStruct) else operand
            if operator == "*":
                return deref(operand)
            if operator == "!":
                return (not operand) if isinstance(operand, bool) else Unknown("negation of an unknown value", pos)
            if operator == "-":
                return -operand if isinstance(operand, (int, float)) else Unknown("minus of an unknown value", pos)
            return Unknown(f"operator {operator}", pos)
        if kind == "binary_expression":
            operator = f.text(node.child_by_field_name("operator"))
            left = self.eval(node.child_by_field_name("left"), f, env)
            if operator == "&&" and left is False:
                return False
            if operator == "||" and left is True:
                return True
            return _binary(operator, left, self.eval(node.child_by_field_name("right"), f, env), pos)
        if kind == "index_expression":
            container = deref(self.eval(node.child_by_field_name("operand"), f, env))
            if isinstance(container, (GoFunc, Builtin)):
                return container                       # a generic function instantiated with a type
            key = self.eval(node.child_by_field_name("index"), f, env)
            if isinstance(container, GoMap) and not isinstance(key, Unknown):
                return container.items.get(_key(key))
            if isinstance(container, GoList) and isinstance(key, int) and 0 <= key < len(container.items):
                return container.items[key]
            return Unknown(f"index `{f.text(node)}` is not known", pos)
        if kind == "func_literal":
            return GoFunc("func literal", f.package, f, node, env)
        if kind == "type_assertion_expression" and self.assertions_pass:
            return self.eval(node.child_by_field_name("operand"), f, env)
        if kind in ("type_conversion_expression",):
            gotype = self.type_of(node.child_by_field_name("type"), f)
            return self.convert(self.eval(node.child_by_field_name("operand"), f, env), gotype)
        if kind in ("slice_type", "map_type", "qualified_type", "type_identifier", "pointer_type", "generic_type"):
            return TypeRef(self.type_of(node, f))
        if kind == "generic_type":
            return TypeRef(self.type_of(node, f))
        return Unknown(f"{kind} `{f.text(node)[:60]}`", pos)

    def identifier(self, name: str, f: GoFile, env: Env, pos: str) -> Any:
        found, value = env.lookup(name)
        if found:
            return value
        package = f.package
        if package is not None and (name in package.consts or name in package.vars or name in package.funcs
                                    or name in package.types):
            return self.member(package, name, pos)
        if name in f.imports:
            return PackageRef(f.imports[name])
        if name in BASIC_TYPES:
            return TypeRef(("basic", name))
        builtin = BUILTINS.get(name)
        if builtin is not None:
            return Builtin(name, lambda args, p, b=builtin: b(self, args, p))
        return Unknown(f"{name} is not known here", pos)

    def selector(self, node: Node, f: GoFile, env: Env) -> Any:
        pos = f.pos(node)
        operand = self.eval(node.child_by_field_name("operand"), f, env)
        name = f.text(node.child_by_field_name("field"))
        if isinstance(operand, PackageRef):
            if self.source.is_module(operand.path):
                return self.member(self.load(operand.path), name, pos)
            return external(self, operand.path, name, pos)
        target = deref(operand)
        if isinstance(target, GoStruct):
            if name in target.fields:
                return target.fields[name]
            method = self.method(target.type, name)
            return method if method is not None else self.field_zero(target.type, name)
        if isinstance(target, GoStr) and target.gotype:
            method = self.method(f"{target.gotype[0]}.{target.gotype[1]}", name, receiver=target)
            if method is not None:
                return method
        if isinstance(target, Unknown):
            return target
        return Unknown(f"selector .{name} on {type(target).__name__}", pos)

    def method(self, qualified_type: str, name: str, receiver: Any = None) -> GoFunc | None:
        if "." not in qualified_type:
            return None
        path, tname = qualified_type.rsplit(".", 1)
        if not self.source.is_module(path):
            return None
        package = self.load(path)
        if (tname, name) not in package.methods:
            return None
        node, f = package.methods[(tname, name)]
        return GoFunc(f"{tname}.{name}", package, f, node, receiver=receiver)

    def eval_call(self, node: Node, f: GoFile, env: Env, multiple: bool = False) -> list:
        pos = f.pos(node)
        function_node = node.child_by_field_name("function")
        function = self.eval(function_node, f, env)
        if isinstance(function, GoFunc):
            helper = HELPERS.get((function.package.path[len(self.source.module):].lstrip("/"), function.name))
            if helper is not None:
                return [helper(self, node, f, env, function)]
        args = []
        for arg in _kids(node.child_by_field_name("arguments")):
            if arg.type == "variadic_argument":
                spread = deref(self.eval(_kids(arg)[0], f, env))
                args += spread.items if isinstance(spread, GoList) else [Unknown("spread of an unknown value", pos)]
            elif arg.type in ("slice_type", "map_type", "type_identifier", "qualified_type", "pointer_type", "generic_type"):
                args.append(TypeRef(self.type_of(arg, f)))
            else:
                args.append(self.eval(arg, f, env))
        if isinstance(function, Unknown):
            return [Unknown(f"call of {f.text(function_node)[:60]}: {function.reason}", pos)]
        results = self.call(function, args, pos)
        if isinstance(function, GoFunc):
            results = [_label(r, function.name) for r in results]
        return results

    def literal(self, body: Node, gotype: tuple | None, f: GoFile, env: Env) -> Any:
        """A composite literal; `gotype` gives elided element types (`map[string]*schema.Schema{"a": {...}}`)."""
        pos = f.pos(body)
        pointer = bool(gotype and gotype[0] == "ptr")
        if pointer:
            gotype = gotype[1]
        base = self.underlying(gotype) if gotype else None
        if gotype and gotype[0] == "named" and not self.source.is_module(gotype[1]):
            base = ("struct", ())
        elements = [e for e in _kids(body) if e.type in ("keyed_element", "literal_element")]
        if base and base[0] == "map":
            result = GoMap({}, pos)
            for element in elements:
                if element.type != "keyed_element":
                    continue
                key_node, value_node = _kids(element)[0], _kids(element)[1]
                key = self._element(key_node, base[1], f, env)
                value = self._element(value_node, base[2], f, env)
                if isinstance(key, Unknown):
                    result.unknown_keys.append((key, f.pos(element)))
                    continue
                result.items[_key(key)] = _bind(value)
                result.key_pos[_key(key)] = f.pos(element)
            return Ptr(result) if pointer else result
        if base and base[0] == "slice":
            items = [self._element(_kids(e)[-1] if e.type == "keyed_element" else e, base[1], f, env)
                     for e in elements]
            return GoList([_bind(i) for i in items], pos)
        if base and base[0] == "struct" or gotype and gotype[0] == "named":
            name = _type_name(gotype)
            wanted = SCHEMA_FIELDS if name == "schema.Schema" else RESOURCE_FIELDS if name == "schema.Resource" else None
            struct = GoStruct(name, {}, {}, pos)
            field_names = list(base[1]) if base and base[0] == "struct" else []
            for index, element in enumerate(elements):
                if element.type == "keyed_element":
                    fname = f.text(_kids(element)[0])
                    value_node = _kids(element)[1]
                else:
                    fname = field_names[index] if index < len(field_names) else f"#{index}"
                    value_node = element
                if wanted is not None and fname not in wanted:
                    continue
                field_type = None
                if name == "schema.Resource" and fname == "Schema":
                    field_type = ("map", ("basic", "string"), ("ptr", ("named", SCHEMA_PKG, "Schema")))
                if name == "schema.Resource" and fname == "CustomizeDiff":
                    inner = _kids(value_node)[0] if value_node.type == "literal_element" else value_node
                    struct.fields[fname] = customize_diff(self, inner, f, env)
                    struct.field_pos[fname] = f.pos(element)
                    continue
                struct.fields[fname] = _bind(self._element(value_node, field_type, f, env))
                struct.field_pos[fname] = f.pos(element)
            return Ptr(struct) if pointer else struct
        return Unknown(f"composite literal of type {gotype}", pos)

    def _element(self, node: Node, gotype: tuple | None, f: GoFile, env: Env) -> Any:
        inner = _kids(node)[0] if node.type == "literal_element" and _kids(node) else node
        if inner.type == "literal_value":
            return self.literal(inner, gotype, f, env)
        return self.eval(inner, f, env, gotype)


def _type_name(gotype: tuple | None) -> str:
    if not gotype:
        return "struct"
    if gotype[0] == "named":
        return f"{gotype[1].rsplit('/', 1)[-1]}.{gotype[2]}" if gotype[1] in (SCHEMA_PKG,) else f"{gotype[1]}.{gotype[2]}"
    return "struct"


def _bind(value: Any) -> Any:
    """Go's value semantics: a struct (not a pointer to one) is copied when it is assigned."""
    return value.copy() if isinstance(value, GoStruct) else value


def _key(value: Any) -> Any:
    return str(value) if isinstance(value, str) else value


def _label(value: Any, name: str) -> Any:
    if isinstance(value, GoFunc) and value.name == "func literal":
        return GoFunc(name, value.package, value.file, value.node, value.env, value.receiver)
    return value


def _go_string(text: str) -> str:
    try:
        return ast.literal_eval(text)
    except (SyntaxError, ValueError):
        return text[1:-1]


def _binary(operator: str, left: Any, right: Any, pos: str) -> Any:
    if isinstance(left, Unknown):
        return left
    if isinstance(right, Unknown):
        return right
    try:
        if operator == "+":
            return left + right if not isinstance(left, str) else str(left) + str(right)
        if operator == "==":
            return left == right
        if operator == "!=":
            return left != right
        if operator in ("&&", "||"):
            if isinstance(left, bool) and isinstance(right, bool):
                return (left and right) if operator == "&&" else (left or right)
            return Unknown(f"{operator} of unknown values", pos)
        if operator in ("<", "<=", ">", ">="):
            return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[operator]
        if operator in ("-", "*", "/", "%") and isinstance(left, int) and isinstance(right, int):
            return {"-": left - right, "*": left * right, "/": left // right if right else 0, "%": left % right if right else 0}[operator]
    except TypeError:
        pass
    return Unknown(f"operator {operator}", pos)


def _kids(node: Node) -> list[Node]:
    """A node's named children without comments (they may sit anywhere, even in argument lists)."""
    return [c for c in node.named_children if c.type != "comment"]


def _code(node: Node, f: GoFile) -> str:
    """A node's source on one line, without its comments."""
    data = f.source[node.start_byte:node.end_byte]
    for comment in sorted((n for n in _all(node) if n.type == "comment"), key=lambda n: -n.start_byte):
        data = data[:comment.start_byte - node.start_byte] + data[comment.end_byte - node.start_byte:]
    return " ".join(data.decode("utf-8").split())


def _all(node: Node):
    yield node
    for child in node.children:
        yield from _all(child)


def _walk(node: Node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(_kids(current)))


# ---- Go's builtins and the standard library, as far as schemas use them --------------------------

def _make(interp: Interpreter, args: list, pos: str) -> Any:
    gotype = args[0].kind if args and isinstance(args[0], TypeRef) else None
    base = interp.underlying(gotype) if gotype else None
    if base and base[0] == "slice" or (base is None and len(args) > 1):
        length = args[1] if len(args) > 1 and isinstance(args[1], int) else 0
        return GoList([interp.zero(base[1] if base else None) for _ in range(length)], pos)
    return GoMap({}, pos)


def _append(interp: Interpreter, args: list, pos: str) -> Any:
    base = deref(args[0]) if args else None
    if base is None:
        base = GoList([], pos)
    if not isinstance(base, GoList):
        return Unknown("append to an unknown value", pos)
    result = GoList(base.items + [_bind(a) for a in args[1:]], base.pos, set(base.origins))
    interp._note_origins(result)
    return result


def _len(interp: Interpreter, args: list, pos: str) -> Any:
    value = deref(args[0]) if args else None
    if isinstance(value, (GoList, GoMap)):
        return len(value.items)
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if value is None:
        return 0
    return Unknown("len of an unknown value", pos)


BUILTINS: dict[str, Callable] = {"make": _make, "append": _append, "len": _len,
                                 "new": lambda i, a, p: Ptr(GoStruct("struct", {}, {}, p))}


def _sprintf(interp: Interpreter, args: list, pos: str) -> Any:
    if not args or not isinstance(args[0], str) or any(isinstance(a, Unknown) for a in args):
        return Unknown("fmt.Sprintf of unknown values", pos)
    values = iter(args[1:])

    def substitute(match: re.Match) -> str:
        verb = match.group(0)
        if verb == "%%":
            return "%"
        value = deref(next(values, ""))
        if isinstance(value, GoList):
            value = "[" + " ".join(str(v) for v in value.items) + "]"
        return json.dumps(str(value)) if verb == "%q" else str(value)
    try:
        return re.sub(r"%[-+# 0]*\d*(?:\.\d+)?[svdq%]", substitute, args[0])
    except TypeError:
        return Unknown("fmt.Sprintf", pos)


def _strings(function: Callable) -> Callable:
    def call(interp: Interpreter, args: list, pos: str) -> Any:
        if any(not isinstance(deref(a), (str, GoList)) for a in args):
            return Unknown("strings function of unknown values", pos)
        return function(*[deref(a) for a in args])
    return call


def _slices_contains(interp: Interpreter, args: list, pos: str) -> Any:
    collection = deref(args[0])
    if not isinstance(collection, GoList) or isinstance(args[1], Unknown):
        return Unknown("slices.Contains of unknown values", pos)
    if any(isinstance(i, Unknown) for i in collection.items):
        return Unknown("slices.Contains over unknown values", pos)
    return args[1] in collection.items


STDLIB: dict[tuple[str, str], Callable] = {
    ("strings", "ToLower"): _strings(lambda s: s.lower()),
    ("strings", "ToUpper"): _strings(lambda s: s.upper()),
    ("strings", "TrimSpace"): _strings(lambda s: s.strip()),
    ("strings", "ReplaceAll"): _strings(lambda s, a, b: s.replace(a, b)),
    ("strings", "Join"): _strings(lambda items, sep: sep.join(str(i) for i in items.items)),
    ("fmt", "Sprintf"): _sprintf,
    ("slices", "Contains"): _slices_contains,
}
SCHEMA_CONSTANTS = {"TypeString", "TypeInt", "TypeBool", "TypeFloat", "TypeList", "TypeSet", "TypeMap", "TypeInvalid"}


def external(interp: Interpreter, path: str, name: str, pos: str) -> Any:
    """A name of a package outside the module: the few the schemas use are modelled, others are unknown."""
    if (path, name) in STDLIB:
        return Builtin(f"{path}.{name}", lambda args, p, b=STDLIB[(path, name)]: b(interp, args, p))
    if path == SCHEMA_PKG:
        if name in SCHEMA_CONSTANTS:
            return name
        if name in ("Schema", "Resource"):
            return TypeRef(("named", SCHEMA_PKG, name))
    if path == VALIDATION_PKG and name in VALIDATION_HELPERS:
        return Builtin(f"validation.{name}", lambda args, p, h=VALIDATION_HELPERS[name]: h(interp, args, p, f"validation.{name}"))
    if path == CUSTOMDIFF_PKG:
        return Builtin(f"customdiff.{name}", lambda args, p: Unknown(f"customdiff.{name} (see CUSTOMIZE_DIFF)", p))
    return Unknown(f"{path.rsplit('/', 1)[-1]}.{name} is outside the module and not modelled", pos)


# ---- validators: closed sets of values and ranges -----------------------------------------------

def _values(value: Any, pos: str) -> tuple[list | Unknown, list]:
    value = deref(value)
    if isinstance(value, GoList):
        if any(isinstance(v, Unknown) for v in value.items):
            return next(v for v in value.items if isinstance(v, Unknown)), []
        return [v if not isinstance(v, str) else str(v) for v in value.items], sorted(value.origins | {value.pos})
    if isinstance(value, Unknown):
        return value, []
    return Unknown(f"allowed values are a {type(value).__name__}, not a list", pos), []


def _string_in_slice(interp: Interpreter, args: list, pos: str, helper: str) -> Validator:
    values, origins = _values(args[0] if args else None, pos)
    ignore_case = args[1] if len(args) > 1 else False
    if not isinstance(ignore_case, bool):
        values = Unknown("ignoreCase is not known", pos)
    return Validator(helper, pos, values=values, case_insensitive=bool(ignore_case), values_from=origins)


def _int_in_slice(interp: Interpreter, args: list, pos: str, helper: str) -> Validator:
    values, origins = _values(args[0] if args else None, pos)
    return Validator(helper, pos, values=values, values_from=origins)


def _int_range(interp: Interpreter, args: list, pos: str, helper: str) -> Validator | Unknown:
    if any(not isinstance(a, int) for a in args):
        return Unknown(f"{helper} bounds are not known", pos)
    low = args[0] if helper.endswith(("IntBetween", "IntAtLeast")) else None
    high = args[1] if helper.endswith("IntBetween") else args[0] if helper.endswith("IntAtMost") else None
    return Validator(helper, pos, minimum=low, maximum=high)


VALIDATION_HELPERS = {
    "StringInSlice": _string_in_slice,
    "IntInSlice": _int_in_slice,
    "IntBetween": _int_range,
    "IntAtLeast": _int_range,
    "IntAtMost": _int_range,
    "ToDiagFunc": lambda interp, args, pos, helper: args[0] if args else Unknown("ToDiagFunc()", pos),
}


def accepted_values(interp: Interpreter, func: GoFunc) -> tuple[list | Unknown, bool, str]:
    """The values a `sdk.ToXxx(s string) (Xxx, error)` function accepts, read from its body.

    Two shapes exist: a switch over the (upper-cased) argument whose cases return a value and nil, or an
    `if !slices.Contains(AllXxx, Xxx(s))` guard. Upper-casing the argument first makes it case-insensitive.
    """
    f, node = func.file, func.node
    pos = f.pos(node)
    params = [p for p in _kids(node.child_by_field_name("parameters")) if p.type == "parameter_declaration"]
    if len(params) != 1 or len(params[0].children_by_field_name("name")) != 1:
        return Unknown(f"{func.name} does not take one string", pos), False, pos
    param = f.text(params[0].children_by_field_name("name")[0])
    derived = {param}
    upper = False
    env = Env()

    def mentions(expr: Node) -> tuple[bool, bool]:
        names = {f.text(n) for n in _walk(expr) if n.type == "identifier"}
        is_upper = any(n.type == "call_expression" and f.text(n.child_by_field_name("function")) == "strings.ToUpper"
                       and derived & {f.text(i) for i in _walk(n) if i.type == "identifier"} for n in _walk(expr))
        return bool(names & derived), is_upper

    body = node.child_by_field_name("body")
    statements = [s for child in _kids(body)
                  for s in (_kids(child) if child.type == "statement_list" else [child])]
    for stmt in statements:
        if stmt.type == "assignment_statement" and f.text(stmt.child_by_field_name("left")) == param:
            uses, is_upper = mentions(stmt.child_by_field_name("right"))
            upper = upper or (uses and is_upper)
            continue
        if stmt.type == "expression_switch_statement":
            initializer = stmt.child_by_field_name("initializer")
            tag = stmt.child_by_field_name("value")
            uses, is_upper = mentions(tag)
            if initializer is not None and initializer.type == "short_var_declaration":
                init_uses, init_upper = mentions(initializer.child_by_field_name("right"))
                if init_uses:
                    derived |= {f.text(n) for n in _kids(initializer.child_by_field_name("left"))}
                    uses, is_upper = mentions(tag)
                    is_upper = is_upper or init_upper
            if not uses:
                continue
            values = []
            for case in _kids(stmt):
                if case.type != "expression_case" or not _returns_nil_error(case, f):
                    continue
                for expr in _kids(case.child_by_field_name("value")):
                    value = interp.eval(expr, f, env)
                    if isinstance(value, Unknown):
                        return value, False, pos
                    values.append(str(value))
            return values, upper or is_upper, pos
        if stmt.type == "if_statement":
            condition = stmt.child_by_field_name("condition")
            call = condition.child_by_field_name("operand") if condition.type == "unary_expression" else None
            if (call is not None and call.type == "call_expression"
                    and f.text(call.child_by_field_name("function")) == "slices.Contains"):
                args = _kids(call.child_by_field_name("arguments"))
                uses, is_upper = mentions(args[1])
                if uses:
                    values, _ = _values(interp.eval(args[0], f, env), pos)
                    return values, upper or is_upper, pos
    return Unknown(f"the values {func.name} accepts are not in a recognised shape", pos), False, pos


def _returns_nil_error(case: Node, f: GoFile) -> bool:
    for stmt in _walk(case):
        if stmt.type == "return_statement":
            values = _kids(_kids(stmt)[0]) if _kids(stmt) else []
            return bool(values) and values[-1].type == "nil"
    return False


# ---- helpers of the provider, recognised by name (their effect is in Terraform's runtime) ---------

def _args(interp: Interpreter, node: Node, f: GoFile, env: Env) -> list:
    args = []
    for arg in _kids(node.child_by_field_name("arguments")):
        if arg.type == "variadic_argument":
            spread = deref(interp.eval(_kids(arg)[0], f, env))
            args += spread.items if isinstance(spread, GoList) else [Unknown("spread of an unknown value", f.pos(arg))]
        else:
            args.append(interp.eval(arg, f, env))
    return args


def _helper_validator(kind: Callable, helper: str) -> Callable:
    def handle(interp: Interpreter, node: Node, f: GoFile, env: Env, func: GoFunc) -> Any:
        return kind(interp, _args(interp, node, f, env), f.pos(node), helper)
    return handle


def _sdk_validation(interp: Interpreter, node: Node, f: GoFile, env: Env, func: GoFunc) -> Any:
    pos = f.pos(node)
    (argument,) = _args(interp, node, f, env)[:1] or [Unknown("sdkValidation()", pos)]
    if not isinstance(argument, GoFunc) or argument.node.type != "function_declaration":
        return Unknown(f"sdkValidation of `{f.text(node.child_by_field_name('arguments'))}`: not a function of the module", pos)
    values, upper, source = accepted_values(interp, argument)
    helper = f"sdkValidation({argument.package.short}.{argument.name})"
    return Validator(helper, pos, values=values, case_insensitive=upper, values_from=[source])


def _passthrough(index: int) -> Callable:
    def handle(interp: Interpreter, node: Node, f: GoFile, env: Env, func: GoFunc) -> Any:
        args = _kids(node.child_by_field_name("arguments"))
        return interp.eval(args[index], f, env) if index < len(args) else Unknown(func.name, f.pos(node))
    return handle


def _computed_if(interp: Interpreter, node: Node, f: GoFile, env: Env, func: GoFunc) -> Any:
    args = _args(interp, node, f, env)
    return CustomDiff("recompute", func.name, f.pos(node), key=args[1] if len(args) > 1 else None,
                      attributes=args[2:], helper_source=func.file.pos(func.node))


def _force_new_if(interp: Interpreter, node: Node, f: GoFile, env: Env, func: GoFunc) -> Any:
    args = _args(interp, node, f, env)
    return CustomDiff("force_new_if", func.name, f.pos(node), key=args[0] if args else None, attributes=args[1:],
                      helper_source=func.file.pos(func.node))


def _recreate_external(interp: Interpreter, node: Node, f: GoFile, env: Env, func: GoFunc) -> Any:
    args = _args(interp, node, f, env)
    key = args[0] if args and isinstance(args[0], str) and not isinstance(args[0], GoStr) else None
    return CustomDiff("recreate_on_external_change", func.name, f.pos(node), key=key,
                      helper_source=func.file.pos(func.node))


def _parameters_diff(interp: Interpreter, node: Node, f: GoFile, env: Env, func: GoFunc) -> Any:
    return CustomDiff("parameters", func.name, f.pos(node), helper_source=func.file.pos(func.node))


def _merge_maps(interp: Interpreter, node: Node, f: GoFile, env: Env, func: GoFunc) -> Any:
    merged = GoMap({}, f.pos(node))
    for source in _args(interp, node, f, env):
        source = deref(source)
        if isinstance(source, Unknown):
            return source
        if not isinstance(source, GoMap):
            return Unknown("collections.MergeMaps of a value that is not a known map", f.pos(node))
        merged.items.update(source.items)
        merged.key_pos.update(source.key_pos)
        merged.unknown_keys += source.unknown_keys
    return merged


HELPERS: dict[tuple[str, str], Callable] = {
    ("pkg/resources", "StringInSlice"): _helper_validator(_string_in_slice, "StringInSlice"),
    ("pkg/resources", "IntInSlice"): _helper_validator(_int_in_slice, "IntInSlice"),
    ("pkg/resources", "sdkValidation"): _sdk_validation,
    ("pkg/resources", "TrackingCustomDiffWrapper"): _passthrough(1),
    ("pkg/resources", "ComputedIfAnyAttributeChanged"): _computed_if,
    ("pkg/resources", "ForceNewIfChangeToEmptyString"): _force_new_if,
    ("pkg/resources", "ForceNewIfChangeToEmptySet"): _force_new_if,
    ("pkg/resources", "ForceNewIfChangeToEmptySlice"): _force_new_if,
    ("pkg/resources", "ForceNewIfAllKeysAreNotSet"): _force_new_if,
    ("pkg/resources", "ParametersCustomDiff"): _parameters_diff,
    ("pkg/internal/collections", "MergeMaps"): _merge_maps,
}
for _name in ("RecreateWhenUserTypeChangedExternally", "RecreateWhenSecretTypeChangedExternally",
              "RecreateWhenServiceTypeChangedExternally", "RecreateWhenStreamTypeChangedExternally",
              "RecreateWhenStreamIsStale", "RecreateWhenResourceBoolFieldChangedExternally",
              "RecreateWhenResourceStringFieldChangedExternally", "RecreateWhenResourceTypeChangedExternally"):
    HELPERS[("pkg/resources", _name)] = _recreate_external


# The changes of a string attribute a ForceNewIfChange condition is probed with: (name, old, new).
TRANSITIONS = (("set->empty", "a", ""), ("empty->set", "", "a"), ("set->set", "a", "b"))


def _fires_when(interp: Interpreter, condition: GoFunc, pos: str) -> list[str] | None:
    """The changes of a string for which an inline `func(ctx, old, new, meta any) bool` returns true, found by
    calling it with each change of TRANSITIONS; None when any result is not a known bool."""
    fires = []
    interp.assertions_pass = True           # `old.(string)`: the probe values are strings
    try:
        for transition, old, new in TRANSITIONS:
            result = interp.call(condition, [None, old, new, None], pos)
            if not result or not isinstance(result[0], bool):
                return None
            if result[0]:
                fires.append(transition)
    finally:
        interp.assertions_pass = False
    return fires


def customize_diff(interp: Interpreter, node: Node, f: GoFile, env: Env) -> list:
    """The entries of a resource's CustomizeDiff, customdiff.All(...) flattened, each one classified.

    The provider's own helpers are recognised by name (HELPERS); customdiff.ForceNewIfChange and ForceNewIf
    with an inline condition keep the condition's source text; anything else is reported as not interpreted.
    """
    if node.type == "call_expression":
        function = interp.eval(node.child_by_field_name("function"), f, env)
        args = _kids(node.child_by_field_name("arguments"))
        name = function.name if isinstance(function, (Builtin, GoFunc)) else ""
        if name == "customdiff.All":
            return [entry for a in args for entry in customize_diff(interp, a, f, env)]
        if name in ("customdiff.ForceNewIfChange", "customdiff.ForceNewIf") and args:
            condition = args[1] if len(args) > 1 else None
            text, fires = "", []
            if condition is not None and condition.type == "func_literal":
                text = _code(condition.child_by_field_name("body"), f)
                if name == "customdiff.ForceNewIfChange":
                    fires = _fires_when(interp, GoFunc("condition", f.package, f, condition, env), f.pos(condition))
            return [CustomDiff("force_new_if", name, f.pos(node), key=interp.eval(args[0], f, env), condition=text,
                               fires_when=fires)]
        if name == "TrackingCustomDiffWrapper" and len(args) == 2:
            return customize_diff(interp, args[1], f, env)
    value = interp.eval(node, f, env)
    if isinstance(value, CustomDiff):
        return [value]
    if isinstance(value, list):
        return value
    return [Unknown(f"CustomizeDiff entry `{' '.join(f.text(node).split())[:80]}` is not interpreted", f.pos(node))]


# ---- facts -------------------------------------------------------------------------------------

class Extractor:
    def __init__(self, source: Source):
        self.source = source
        self.interp = Interpreter(source)
        self.unresolved: list[dict] = []

    def problem(self, resource: str, attribute: str, what: str, unknown: Unknown | str, pos: str = "") -> None:
        reason = unknown.reason if isinstance(unknown, Unknown) else unknown
        where = unknown.pos if isinstance(unknown, Unknown) else pos
        self.unresolved.append({"resource": resource, "attribute": attribute, "what": what,
                                "reason": reason, "source": where})

    def resources(self, only: set[str] | None = None) -> dict:
        provider_package = self.interp.load(f"{self.source.module}/pkg/provider")
        node, f = provider_package.funcs[RESOURCES_FUNCTION]
        literal = next(n for n in _walk(node) if n.type == "composite_literal")
        out = {}
        for element in _kids(literal.child_by_field_name("body")):
            if element.type != "keyed_element":
                continue
            name = self.interp.eval(_kids(_kids(element)[0])[0], f, Env())
            if only is not None and name not in only:
                continue
            out[name] = self.resource(name, _kids(_kids(element)[1])[0], f)
        return out

    def resource(self, name: str, call: Node, f: GoFile) -> dict:
        fact: dict[str, Any] = {"source": f.pos(call)}
        constructor = self.interp.eval(call.child_by_field_name("function"), f, Env())
        if not isinstance(constructor, GoFunc):
            self.problem(name, "", "resource", Unknown("constructor not found", f.pos(call)))
            return fact
        body_return = [n for n in _walk(constructor.node) if n.type == "return_statement"]
        value = deref(self.interp.call(constructor, [], f.pos(call))[0] if body_return else None)
        if not isinstance(value, GoStruct) or value.type != "schema.Resource":
            self.problem(name, "", "resource", value if isinstance(value, Unknown)
                         else Unknown("constructor does not return a schema.Resource", f.pos(call)))
            return fact
        fact["constructor"] = constructor.file.pos(constructor.node)
        if isinstance(value.fields.get("DeprecationMessage"), str) and value.fields["DeprecationMessage"]:
            fact["deprecated"] = {"message": value.fields["DeprecationMessage"],
                                  "source": value.field_pos["DeprecationMessage"]}
        attributes: dict[str, dict] = {}
        self.attributes(name, value.fields.get("Schema"), value.field_pos.get("Schema", value.pos), "", attributes)
        fact["attributes"] = attributes
        diffs = self.custom_diffs(name, constructor, value)
        for entry in diffs:
            if entry.kind == "force_new_if":
                key = entry.key if isinstance(entry.key, str) else None
                if key is None or key not in attributes:
                    self.problem(name, str(entry.key), "conditional force-new", Unknown("attribute not known", entry.pos))
                    continue
                fires = entry.fires_when if attributes[key]["type"] == "string" else None
                attributes[key].setdefault("force_new_if", []).append(_drop_empty({
                    "helper": entry.helper, "source": entry.pos, "helper_source": entry.helper_source,
                    "condition": entry.condition, "unless_set": [str(a) for a in entry.attributes]})
                    | ({"fires_when": fires} if fires is not None else {}))
            elif entry.kind == "recompute":
                if not isinstance(entry.key, str) or any(not isinstance(a, str) for a in entry.attributes):
                    self.problem(name, "", "recomputed attributes", Unknown("arguments not known", entry.pos))
                    continue
                fact.setdefault("recomputed", []).append({"attribute": str(entry.key),
                                                          "when_changed": sorted(str(a) for a in entry.attributes),
                                                          "source": entry.pos})
            else:
                fact.setdefault("other_custom_diffs", []).append(_drop_empty({
                    "kind": entry.kind, "helper": entry.helper, "source": entry.pos,
                    "attribute": str(entry.key) if isinstance(entry.key, str) else ""}))
        for key in ("recomputed", "other_custom_diffs"):
            if key in fact:
                fact[key].sort(key=lambda e: (e.get("attribute", ""), e["source"]))
        return fact

    def custom_diffs(self, name: str, constructor: GoFunc, resource: GoStruct) -> list[CustomDiff]:
        found = []
        for entry in resource.fields.get("CustomizeDiff") or []:
            if isinstance(entry, Unknown):
                self.problem(name, "", "CustomizeDiff", entry)
            else:
                found.append(entry)
        return found

    def attributes(self, resource: str, schema_map: Any, pos: str, prefix: str, out: dict) -> None:
        schema_map = deref(schema_map)
        if not isinstance(schema_map, GoMap):
            self.problem(resource, prefix.rstrip("."), "schema", schema_map if isinstance(schema_map, Unknown)
                         else Unknown("schema is not a map", pos))
            return
        for unknown, key_pos in schema_map.unknown_keys:
            self.problem(resource, prefix + "?", "attribute name", unknown, key_pos)
        for key in sorted(schema_map.items):
            path = prefix + str(key)
            self.attribute(resource, path, deref(schema_map.items[key]), schema_map.key_pos.get(key, pos), out)

    def attribute(self, resource: str, path: str, schema: Any, pos: str, out: dict) -> None:
        if not isinstance(schema, GoStruct) or schema.type != "schema.Schema":
            self.problem(resource, path, "attribute schema", schema if isinstance(schema, Unknown)
                         else Unknown("not a schema.Schema", pos))
            return
        fields, field_pos = schema.fields, schema.field_pos
        fact: dict[str, Any] = {"source": schema.pos or pos}     # where its schema.Schema literal is
        kind = fields.get("Type")
        fact["type"] = str(kind).removeprefix("Type").lower() if isinstance(kind, str) else "unknown"
        for flag in ("Required", "Optional", "Computed", "ForceNew"):
            value = fields.get(flag)
            if isinstance(value, Unknown):
                self.problem(resource, path, flag, value)
            elif value is True:
                fact[re.sub(r"(?<!^)([A-Z])", r"_\1", flag).lower()] = field_pos[flag]
        deprecated = fields.get("Deprecated")
        if isinstance(deprecated, Unknown):
            self.problem(resource, path, "Deprecated", deprecated)
        elif deprecated:
            fact["deprecated"] = {"message": str(deprecated), "source": field_pos["Deprecated"]}
        if isinstance(fields.get("MaxItems"), int) and fields["MaxItems"]:
            fact["max_items"] = fields["MaxItems"]
        computed_only = "computed" in fact and "optional" not in fact and "required" not in fact
        for key in ("ValidateFunc", "ValidateDiagFunc"):
            if key in fields and not computed_only:
                self.validation(resource, path, fields[key], field_pos[key], fact, elements=False)
        elem = deref(fields.get("Elem"))
        if elem is not None:
            if isinstance(elem, GoStruct) and elem.type == "schema.Resource":
                fact["block"] = True
                if computed_only:
                    fact["nested"] = "not listed: a computed-only block"
                else:
                    self.attributes(resource, elem.fields.get("Schema"), elem.field_pos.get("Schema", elem.pos),
                                    path + ".", out)
            elif isinstance(elem, GoStruct) and elem.type == "schema.Schema":
                fact["element_type"] = str(elem.fields.get("Type", "")).removeprefix("Type").lower()
                for key in ("ValidateFunc", "ValidateDiagFunc"):
                    if key in elem.fields and not computed_only:
                        self.validation(resource, path, elem.fields[key], elem.field_pos[key], fact, elements=True)
            elif not computed_only:
                self.problem(resource, path, "Elem", elem if isinstance(elem, Unknown)
                             else Unknown("Elem is neither a schema.Resource nor a schema.Schema", field_pos["Elem"]))
        out[path] = fact

    def validation(self, resource: str, path: str, value: Any, pos: str, fact: dict, elements: bool) -> None:
        value = deref(value)
        if value is None:
            return
        if isinstance(value, Unknown):
            self.problem(resource, path, "validation", value)
            return
        if isinstance(value, Validator):
            if isinstance(value.values, Unknown):
                self.problem(resource, path, f"allowed values ({value.helper})", value.values)
                return
            entry: dict[str, Any] = {"helper": value.helper, "source": value.pos}
            if elements:
                entry["each_element"] = True
            if value.values is not None:
                entry["values"] = sorted(set(value.values), key=lambda v: (str(type(v)), v))
                if value.values_from and value.values_from != [value.pos]:
                    entry["values_from"] = sorted(value.values_from)
                if value.values and isinstance(value.values[0], str):
                    entry["case_insensitive"] = value.case_insensitive
                fact["allowed"] = entry
            else:
                entry.update({k: v for k, v in (("min", value.minimum), ("max", value.maximum)) if v is not None})
                fact["int_range"] = entry
            return
        if isinstance(value, GoFunc):
            fact.setdefault("other_validation", []).append({"helper": value.name, "source": pos})
            return
        self.problem(resource, path, "validation", Unknown(f"validation is a {type(value).__name__}", pos))

    def init_problems(self) -> None:
        read = {name for _, name in self.interp.var_reads}
        for pos, reason, assigned in self.interp.init_failures:
            touched = sorted(assigned & read)
            if touched:
                self.unresolved.append({"resource": "", "attribute": "", "what": "init function",
                                        "reason": f"{reason}; it sets {', '.join(touched)}", "source": pos})


def _drop_empty(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if v not in ("", [], None)}


def extract(root: Path, tag: str, commit: str, only: set[str] | None = None) -> dict:
    """The facts document of a checkout (sorted, stable)."""
    _check_tag(root, tag)
    source = Source(root)
    extractor = Extractor(source)
    resources = extractor.resources(only)
    extractor.init_problems()
    unresolved = sorted({json.dumps(u, sort_keys=True) for u in extractor.unresolved})
    return {
        "provider": {"repository": REPOSITORY, "tag": tag, "commit": commit},
        "generated_by": f"{SCRIPT} (tree-sitter-go); run by hand against a checkout of the tag",
        "notes": [
            "Every source is a path in the provider repository at the commit, with the line.",
            "force_new, required, optional and computed hold the source line of that flag.",
            "allowed: the closed set a validator accepts; case_insensitive as the validator says; "
            "each_element when it validates each element of a list or set.",
            "force_new_if: CustomizeDiff helpers that force a replacement when their condition holds; fires_when: "
            "the changes of a string (set->empty, empty->set, set->set) for which an inline condition holds, "
            "found by calling it.",
            "recomputed: ComputedIfAnyAttributeChanged, the attribute is recomputed when any of when_changed changes.",
            "Nested attributes of computed-only blocks (show_output, describe_output, parameters) are not listed.",
            "unresolved: expressions a fact depends on that the script could not evaluate.",
        ],
        "resources": resources,
        "unresolved": [json.loads(u) for u in unresolved],
        "files_read": len(source.read_files),
        "_source": source,
    }


def _check_tag(root: Path, tag: str) -> None:
    """The checkout's CHANGELOG names the tag as its latest release (a cheap guard against a wrong folder)."""
    changelog = Path(root) / "CHANGELOG.md"
    first = next((line for line in changelog.read_text(encoding="utf-8").splitlines() if line.startswith("## ")), "")
    if f"[{tag.removeprefix('v')}]" not in first:
        raise SystemExit(f"{changelog}: the latest release is `{first}`, not {tag}")


def verify_against_git(source: Source, git_dir: Path, tag: str) -> str:
    """Every file read is byte-identical to the tag's (git blob hashes); returns the tag's commit."""
    def git(*args: str) -> str:
        return subprocess.run(["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True,
                              text=True).stdout
    commit = git("rev-parse", f"{tag}^{{commit}}").strip()
    blobs = {}
    for line in git("ls-tree", "-r", commit, "--", "pkg", "go.mod").splitlines():
        meta, path = line.split("\t", 1)
        blobs[path] = meta.split()[2]
    for path, data in sorted(source.read_files.items()):
        digest = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        if blobs.get(path) != digest:
            raise SystemExit(f"{source.root / path}: differs from {path} at {tag} ({commit[:12]})")
    return commit


def render(document: dict) -> str:
    public = {k: v for k, v in document.items() if not k.startswith("_")}
    return json.dumps(public, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="a checkout of the provider at the tag")
    parser.add_argument("--tag", required=True)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--git-dir", type=Path, help="the provider's git directory: resolves the tag's commit "
                                                    "and checks every file read against it")
    group.add_argument("--commit", help="the tag's commit, when no git directory is at hand")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    commit = args.commit or "0" * 40
    document = extract(args.checkout, args.tag, commit)
    if args.git_dir:
        document["provider"]["commit"] = verify_against_git(document["_source"], args.git_dir, args.tag)
    args.out.write_text(render(document), encoding="utf-8")
    count = sum(len(r.get("attributes", {})) for r in document["resources"].values())
    print(f"{args.out}: {len(document['resources'])} resource types, {count} attributes, "
          f"{len(document['unresolved'])} unresolved", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
