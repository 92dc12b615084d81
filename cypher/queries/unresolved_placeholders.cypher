// Unresolved placeholders
// Cited documents missing from the corpus (to collect next), most-cited first, with who cites them.
MATCH (p:Placeholder)
OPTIONAL MATCH (p)<-[r]-(c:Document)
WITH p, count(r) AS citations, collect(DISTINCT c.region) AS regions, collect(DISTINCT type(r)) AS relations
RETURN p.id AS id, p.doc_number AS doc_number, p.title AS title, p.level AS level, citations,
       [x IN regions WHERE x IS NOT NULL] AS cited_from_regions, relations
ORDER BY citations DESC, id
