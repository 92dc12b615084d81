// polgraph schema (every statement is idempotent). `polgraph load` creates the constraint before any data and the
// indexes once the nodes are in (populated while the relationships load, online when it returns): one
// population costs the server less than keeping them up to date batch by batch. Run it by hand in Neo4j
// Browser or cypher-shell if you load with neo4j-admin import instead.

// One node per document: the normalised 文号, or "t:" + a hash of the normalised title.
CREATE CONSTRAINT document_id IF NOT EXISTS
FOR (d:Document) REQUIRE d.id IS UNIQUE;

// Look-ups by 文号 (trace, the Browser guide) and by exact title.
CREATE INDEX document_doc_number IF NOT EXISTS
FOR (d:Document) ON (d.doc_number);

CREATE INDEX document_title IF NOT EXISTS
FOR (d:Document) ON (d.title);

// No TEXT index on title and no (region, year) index: each costs about a tenth of the load time. Title words
// are looked up in search_text (below), whose scan would take seconds on millions of documents.

// REF look-ups of `trace`/`diffusion --backend neo4j` (graph/neo4j_store.py: Neo4jDocuments), one index per
// rule of find_node, so no question reads every node: the canonical key of a 文号, a file name or stem, an
// exact title key (keyword analyzer: one term per key of the title_keys list), and title words (CONTAINS
// through the trigram text index).
CREATE INDEX document_number_key IF NOT EXISTS
FOR (d:Document) ON (d.number_key);

CREATE INDEX document_file_name IF NOT EXISTS
FOR (d:Document) ON (d.file_name);

CREATE INDEX document_file_stem IF NOT EXISTS
FOR (d:Document) ON (d.file_stem);

CREATE FULLTEXT INDEX document_title_keys IF NOT EXISTS
FOR (d:Document) ON EACH [d.title_keys]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}};

CREATE TEXT INDEX document_search_text IF NOT EXISTS
FOR (d:Document) ON (d.search_text);

// Ranked title search (one term per Chinese character): the candidates a REF that matches nothing is
// compared with for "closest:", and free search in Browser:
//   CALL db.index.fulltext.queryNodes('document_titles', '县级公立医院') YIELD node, score RETURN node.title, score
CREATE FULLTEXT INDEX document_titles IF NOT EXISTS
FOR (d:Document) ON EACH [d.title, d.label];
