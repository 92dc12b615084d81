// polgraph schema: applied by `polgraph load` before any data (every statement is idempotent).
// Run it by hand in Neo4j Browser or cypher-shell if you load with neo4j-admin import instead.

// One node per document: the normalised 文号, or "t:" + a hash of the normalised title.
CREATE CONSTRAINT document_id IF NOT EXISTS
FOR (d:Document) REQUIRE d.id IS UNIQUE;

// Look-ups by 文号 (trace, the Browser guide) and by exact title.
CREATE INDEX document_doc_number IF NOT EXISTS
FOR (d:Document) ON (d.doc_number);

CREATE INDEX document_title IF NOT EXISTS
FOR (d:Document) ON (d.title);

// No TEXT index on title and no (region, year) index: each costs about a tenth of the load time, and a
// scan over a few hundred thousand titles for CONTAINS takes well under a second.
