// Implementation graph of a document
// The documents implementing or citing $ref, as a graph to look at in Browser (paths end at $ref).
// :param ref => '国办发〔2015〕33号'
MATCH (root:Document)
WHERE root.id = $ref OR root.doc_number = $ref
MATCH p = ANY SHORTEST (root)(()<-[]-())+(d:Document)
WHERE d <> root
RETURN p
