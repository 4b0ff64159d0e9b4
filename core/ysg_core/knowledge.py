"""The billing policy documents shipped in data/knowledge/: Markdown files with a small front matter.

The knowledge-base hook receives them as one JSON literal, so the manifest shows exactly what loads.
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from ysg_core.errors import InputFileError, UserError
from ysg_core.paths import REPO_ROOT
from ysg_core.safe_yaml import loads, read_text

KNOWLEDGE_DIR = REPO_ROOT / "data" / "knowledge"
DOC_TYPES = ("POLICY", "GUARDRAIL", "FAQ", "COMPLIANCE")
REGIONS = ("NAMER", "EMEA", "APAC", "LATAM")
FIELDS = ("doc_id", "doc_type", "doc_title", "region_code", "last_reviewed")


class KnowledgeError(UserError, ValueError):
    """A document whose front matter is missing or wrong; the message names the file and field."""


def load_documents(directory: Path = KNOWLEDGE_DIR) -> list[dict[str, str]]:
    """Every document, sorted by file name: doc_id, doc_type, doc_title, doc_body, region_code, last_reviewed."""
    documents, titles, ids = [], {}, {}
    for path in sorted(Path(directory).glob("*.md")):
        try:
            text = read_text(path, path.name)
            if not text.startswith("---\n") or "\n---\n" not in text[4:]:
                raise KnowledgeError(f"{path.name}: expected a front matter between '---' lines")
            head, body = text[4:].split("\n---\n", 1)
            meta = loads(head, f"{path.name} (front matter)") or {}
        except InputFileError as exc:
            raise KnowledgeError(str(exc)) from None
        if not isinstance(meta, dict):
            raise KnowledgeError(f"{path.name}: the front matter is not a mapping of fields")
        unknown = sorted(set(meta) - set(FIELDS))
        missing = [f for f in FIELDS if f not in meta]
        if unknown or missing:
            raise KnowledgeError(f"{path.name}: front matter "
                                 + "; ".join([f"missing {', '.join(missing)}"] * bool(missing)
                                             + [f"unknown {', '.join(unknown)}"] * bool(unknown)))
        if meta["doc_type"] not in DOC_TYPES:
            raise KnowledgeError(f"{path.name}: doc_type {meta['doc_type']!r} is not one of {', '.join(DOC_TYPES)}")
        if meta["region_code"] not in REGIONS:
            raise KnowledgeError(f"{path.name}: region_code {meta['region_code']!r} is not one of {', '.join(REGIONS)}")
        if not isinstance(meta["last_reviewed"], datetime.date):
            raise KnowledgeError(f"{path.name}: last_reviewed {meta['last_reviewed']!r} is not a date (YYYY-MM-DD)")
        # A stable id per document: search results cite it, and the load never depends on the
        # table's identity sequence.
        if not isinstance(meta["doc_id"], int) or isinstance(meta["doc_id"], bool) or meta["doc_id"] < 1:
            raise KnowledgeError(f"{path.name}: doc_id {meta['doc_id']!r} is not a positive whole number")
        if meta["doc_id"] in ids:
            raise KnowledgeError(f"{path.name}: doc_id {meta['doc_id']} is already used by {ids[meta['doc_id']]}")
        ids[meta["doc_id"]] = path.name
        title = str(meta["doc_title"]).strip()
        if title in titles:
            raise KnowledgeError(f"{path.name}: doc_title {title!r} is already used by {titles[title]}")
        titles[title] = path.name
        body = body.strip()
        if not body:
            raise KnowledgeError(f"{path.name}: the document has no body")
        documents.append({"doc_id": meta["doc_id"], "doc_type": meta["doc_type"], "doc_title": title, "doc_body": body,
                          "region_code": meta["region_code"],
                          "last_reviewed": meta["last_reviewed"].isoformat()})
    if not documents:
        raise KnowledgeError(f"{directory}: no documents (*.md)")
    return documents


def documents_json(directory: Path = KNOWLEDGE_DIR) -> str:
    """The documents as one JSON array; control characters (newlines) are escaped by JSON."""
    return json.dumps(load_documents(directory), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
