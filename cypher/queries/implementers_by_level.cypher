// Implementers of a document, by level
// Every document that implements or cites $ref, directly or through a chain, grouped by level
// (central → township). $ref is a normalised 文号 or a node id.  :param ref => '国办发〔2015〕33号'
MATCH (root:Document)
WHERE root.id = $ref OR root.doc_number = $ref
MATCH p = ANY SHORTEST (root)(()<-[]-())+(d:Document)
WHERE d <> root
WITH d, length(p) AS hops
ORDER BY hops, d.region, d.date, d.id
WITH d.level AS level, collect(d) AS docs, min(hops) AS nearest
RETURN level,
       size(docs) AS documents,
       nearest AS nearest_hops,
       [x IN docs | x.id] AS ids,
       [x IN docs | coalesce(x.region, '') + ' ' + coalesce(x.date, '') + ' ' + coalesce(x.title, x.label)] AS documents_listed
ORDER BY CASE level WHEN 'central' THEN 0 WHEN 'provincial' THEN 1 WHEN 'municipal' THEN 2
                    WHEN 'county' THEN 3 WHEN 'township' THEN 4 ELSE 5 END
