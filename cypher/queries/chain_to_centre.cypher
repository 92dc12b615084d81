// Chain from a document up to the centre
// For each central document that $ref (e.g. a county plan) rests on, the shortest IMPLEMENTS / BASED_ON chains.
// :param ref => '<a county 文号 or node id>'
MATCH (start:Document)
WHERE start.id = $ref OR start.doc_number = $ref
MATCH p = ALL SHORTEST (start)(()-[:IMPLEMENTS|BASED_ON]->())+(top:Central)
RETURN p, top.id AS centre, length(p) AS hops, [n IN nodes(p) | n.level] AS levels
ORDER BY hops, top.id
LIMIT 25
