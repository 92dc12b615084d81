// Adoption by province
// Who adopted $ref, directly or through a chain of IMPLEMENTS, BASED_ON or FORWARDS relations: per
// province (the documents' region; '' for central or placeless documents), the first adopting document
// (earliest date, undated last, then the higher level, the shorter chain, the id), its lag in days after
// $ref, the chain it came through, and every adopting document of the province.
// `polgraph diffusion --backend neo4j` reads its adopters from this query (with the --relations list in
// place of the three) and groups them by province, city or county with the division tables.
// :param ref => '国办发〔2015〕33号'
MATCH (root:Document)
WHERE root.id = $ref OR root.doc_number = $ref
WITH root ORDER BY root.id = $ref DESC, root.id LIMIT 1
MATCH p = ANY SHORTEST (root)(()<-[r]-() WHERE type(r) IN ['BASED_ON', 'FORWARDS', 'IMPLEMENTS'])+(d:Document)
WHERE d <> root
WITH root, d, length(p) AS hops, [x IN nodes(p)[1..-1] | x.id] AS via
ORDER BY d.date IS NULL, d.date,
         CASE d.level WHEN 'central' THEN 0 WHEN 'provincial' THEN 1 WHEN 'municipal' THEN 2
                      WHEN 'county' THEN 3 WHEN 'township' THEN 4 ELSE 5 END,
         hops, d.id
WITH root, coalesce(d.region, '') AS unit,
     collect({id: d.id, doc_number: d.doc_number, title: d.title, date: d.date, level: d.level, via: via}) AS docs
WITH root, unit, docs, docs[0] AS first
RETURN unit,
       first.id AS first_id, first.doc_number AS doc_number, first.title AS title, first.date AS date,
       first.level AS level,
       CASE WHEN root.date IS NULL OR first.date IS NULL THEN null
            ELSE duration.inDays(date(root.date), date(first.date)).days END AS lag_days,
       first.via AS via,
       size(docs) AS documents,
       [x IN docs | x.id] AS adopters
ORDER BY date IS NULL, date, unit
