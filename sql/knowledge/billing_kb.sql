-- SFE_SHARED_KNOWLEDGE.BILLING_KB contents: the billing policy documents shipped in data/knowledge/,
-- passed as one JSON literal (rendered at synthesis, so the manifest shows them and a changed
-- document changes the checksum). Documents are keyed by the doc_id of their front matter, a stable
-- id that search results cite; one removed from the repository is removed from the table.
MERGE INTO {{ identifier:database }}.SFE_SHARED_KNOWLEDGE.BILLING_KB AS kb
USING (
    SELECT
        f.value:doc_id::NUMBER AS doc_id,
        f.value:doc_type::VARCHAR AS doc_type,
        f.value:doc_title::VARCHAR AS doc_title,
        f.value:doc_body::VARCHAR AS doc_body,
        f.value:region_code::VARCHAR AS region_code,
        f.value:last_reviewed::VARCHAR::DATE AS last_reviewed
    FROM (SELECT PARSE_JSON({{ literal:documents }}) AS docs) AS j,
         LATERAL FLATTEN(INPUT => j.docs) AS f
) AS src
    ON kb.doc_id = src.doc_id
WHEN MATCHED THEN UPDATE SET
    doc_type = src.doc_type,
    doc_title = src.doc_title,
    doc_body = src.doc_body,
    region_code = src.region_code,
    last_reviewed = src.last_reviewed
WHEN NOT MATCHED THEN INSERT (doc_id, doc_type, doc_title, doc_body, region_code, last_reviewed)
    VALUES (src.doc_id, src.doc_type, src.doc_title, src.doc_body, src.region_code, src.last_reviewed);

DELETE FROM {{ identifier:database }}.SFE_SHARED_KNOWLEDGE.BILLING_KB
WHERE doc_id NOT IN (
    SELECT f.value:doc_id::NUMBER
    FROM (SELECT PARSE_JSON({{ literal:documents }}) AS docs) AS j,
         LATERAL FLATTEN(INPUT => j.docs) AS f
);
