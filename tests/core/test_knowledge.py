"""core/ysg_core/knowledge.py: the billing policy documents shipped in data/knowledge/."""
import json
from collections import Counter

import pytest

from ysg_core.knowledge import DOC_TYPES, REGIONS, KnowledgeError, documents_json, load_documents


def test_at_least_twelve_documents_cover_every_type_and_region():
    documents = load_documents()
    assert (len(documents) >= 12, set(Counter(d["doc_type"] for d in documents)),
            set(Counter(d["region_code"] for d in documents))) == (True, set(DOC_TYPES), set(REGIONS))


def test_the_json_literal_holds_no_raw_control_characters_and_round_trips():
    text = documents_json()
    assert "\n" not in text and json.loads(text) == load_documents()


def test_a_document_with_a_bad_region_is_refused_naming_it(tmp_path):
    (tmp_path / "bad.md").write_text("---\ndoc_id: 1\ndoc_type: FAQ\ndoc_title: T\nregion_code: MARS\n"
                                     "last_reviewed: 2025-01-01\n---\nbody\n")
    with pytest.raises(KnowledgeError, match=r"bad\.md: region_code 'MARS'"):
        load_documents(tmp_path)


def test_document_ids_are_stable_and_unique(tmp_path):
    assert sorted(d["doc_id"] for d in load_documents()) == list(range(1, len(load_documents()) + 1))
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(f"---\ndoc_id: 7\ndoc_type: FAQ\ndoc_title: {name}\nregion_code: EMEA\n"
                                     "last_reviewed: 2025-01-01\n---\nbody\n")
    with pytest.raises(KnowledgeError, match=r"b\.md: doc_id 7 is already used by a\.md"):
        load_documents(tmp_path)
