"""Cypher shipped with polgraph: schema.cypher, queries/*.cypher, polgraph.grass and the Browser guide."""
