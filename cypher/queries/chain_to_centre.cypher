// Chain from a document up to the centre
// The shortest chains of IMPLEMENTS / BASED_ON from $ref (e.g. a county plan) up to central documents.
// :param ref => '<a county 文号 or node id>'
MATCH (start:Document)
WHERE start.id = $ref OR start.doc_number = $ref
MATCH p = ALL SHORTEST (start)(()-[:IMPLEMENTS|BASED_ON]->())+(top:Central)
RETURN p, length(p) AS hops, [n IN nodes(p) | n.level] AS levels
ORDER BY hops, top.id
LIMIT 25
