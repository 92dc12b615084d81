// Most-cited documents
// Documents by how many documents cite them (any relation), with the citations per relation.
MATCH (d:Document)<-[r]-(c:Document)
WITH d, count(DISTINCT c) AS cited_by, collect(type(r)) AS rels
RETURN d.id AS id, d.label AS label, d.title AS title, d.level AS level, d.in_corpus AS in_corpus, cited_by,
       size([x IN rels WHERE x = 'IMPLEMENTS']) AS implements,
       size([x IN rels WHERE x = 'BASED_ON']) AS based_on,
       size([x IN rels WHERE NOT x IN ['IMPLEMENTS', 'BASED_ON']]) AS other
ORDER BY cited_by DESC, id
LIMIT 25
