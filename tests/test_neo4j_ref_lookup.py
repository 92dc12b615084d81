"""REF resolution inside Neo4j (graph/neo4j_store.py: Neo4jDocuments) decides as find_node decides, with the
same messages, and every rule is answered through an index, never a scan of the documents."""
from __future__ import annotations

import re

import pytest

from conftest import SAMPLE
from neo4j_support import neo4j_conn, neo4j_driver, wipe_after_module  # noqa: F401
from polgraph.errors import NotFoundError
from polgraph.graph import neo4j_store
from polgraph.graph.neo4j_store import (Neo4jDocuments, load_graph_into_neo4j, resolve_ref_neo4j, trace_neo4j,
                                        wipe_documents)
from polgraph.graph.trace import find_node, trace

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def sample_loaded(neo4j_driver, neo4j_conn):
    from polgraph.graph.build import open_graph

    G = open_graph([str(SAMPLE)], quiet=True)
    wipe_documents(neo4j_driver, neo4j_conn["database"])
    load_graph_into_neo4j(G, quiet=True, **neo4j_conn)
    return G


def _outcome(resolve, ref):
    try:
        return ("found", resolve(ref))
    except NotFoundError as e:
        return ("error", str(e))


def _refs(G) -> list[str]:
    """Every form of REF find_node knows, for every document, and some that match several or none."""
    refs = {"", "   ", "县级公立医院", "关于 意见", "通知", "国发〔1900〕1号", "完全不存在的文件标题词", "国务院 关于",
            "sample", "txt", "a\"b OR c*", "国办发[2015]33号", "國務院辦公廳關於全面推開縣級公立醫院綜合改革的實施意見"}
    for n, d in sorted(G.nodes(data=True)):
        refs.add(n)
        for name in [d.get("title"), d.get("label")] + list(d.get("aliases") or []) + list(d.get("carries") or []):
            if name:
                refs.update((name, name[:6], name[2:9], " ".join((name[:3], name[-3:])), name[:4] + "某某" + name[4:]))
        if d.get("doc_number"):
            num = d["doc_number"]
            refs.update((num, num.replace("〔", "[").replace("〕", "]"), num.replace("〔", "(").replace("〕", ")")))
            serial = re.search(r"(\d+号)$", num)
            if serial:
                refs.add(serial.group(1))
        if d.get("path"):
            p = d["path"]
            name = p.rsplit("/", 1)[-1]
            refs.update((p, name, name.rsplit(".", 1)[0], "/".join(p.split("/")[-2:])))
    return sorted(refs)


def test_every_ref_form_resolves_as_networkx(sample_loaded, neo4j_driver, neo4j_conn):
    G = sample_loaded
    refs = _refs(G)
    assert len(refs) > 150
    outcomes = {"found": 0, "error": 0}
    messages = []
    for ref in refs:
        expected = _outcome(lambda r: find_node(G, r), ref)
        got = _outcome(lambda r: resolve_ref_neo4j(neo4j_driver, r, neo4j_conn["database"]), ref)
        assert got == expected, ref
        outcomes[expected[0]] += 1
        if expected[0] == "error":
            messages.append(expected[1])
    # both outcomes, ambiguity among the errors, and suggestions among the not-found
    assert outcomes["found"] > 100 and outcomes["error"] > 10
    assert sum(" documents: " in m for m in messages) > 3 and sum("; closest: " in m for m in messages) > 3


def test_trace_by_title_and_file_name_matches_networkx(sample_loaded, neo4j_conn):
    G = sample_loaded
    for n, d in sorted(G.nodes(data=True)):
        if d.get("in_corpus") and d.get("title"):
            for ref in (d["title"], d["path"].rsplit("/", 1)[-1]):
                assert trace_neo4j(ref, **neo4j_conn) == trace(G, ref), ref


def test_large_database_suggestions_come_from_the_title_index(sample_loaded, neo4j_driver, neo4j_conn, monkeypatch):
    """Past _SUGGEST_FROM_ALL documents, the candidates for "closest:" are the fulltext index's best."""
    monkeypatch.setattr(neo4j_store, "_SUGGEST_FROM_ALL", 0)
    ref = "国务院办公厅关于全面推进县级公立医院综合改革的实施意见汇编"
    with pytest.raises(NotFoundError) as nx_err:
        find_node(sample_loaded, ref)
    with pytest.raises(NotFoundError) as neo_err:
        resolve_ref_neo4j(neo4j_driver, ref, neo4j_conn["database"])
    # fewer documents than candidates: the same three as networkx
    assert "国办发〔2015〕33号" in str(neo_err.value).split("closest:")[1]
    assert str(neo_err.value) == str(nx_err.value)


def _plan_operators(plan) -> set[str]:
    ops = {plan["operatorType"].split("@")[0]}
    for child in plan.get("children", []):
        ops |= _plan_operators(child)
    return ops


@pytest.mark.parametrize("query, params", [
    (neo4j_store._FIND_BY_ID, {"id": "x"}),
    (neo4j_store._BY_NUMBER, {"number": "国发〔2015〕1号", "key": "国发〔2015〕1号"}),
    (neo4j_store._BY_FILE, {"name": "a.txt", "ref": "a"}),
    (neo4j_store._BY_TITLE_KEYS, {"query": '"x"', "keys": ["x"], "shown": 8}),
    ("MATCH (d:Document) WHERE d.search_text CONTAINS $w0 AND d.search_text CONTAINS $w1\n" + neo4j_store._MATCHES,
     {"w0": "县级", "w1": "医院", "shown": 8}),
    (neo4j_store._SUGGESTIONS, {"query": "县", "limit": 10}),
    (neo4j_store._DESCRIBE, {"ids": ["x"]}),
])
def test_lookups_go_through_indexes(sample_loaded, neo4j_driver, neo4j_conn, query, params):
    plan = neo4j_driver.execute_query("EXPLAIN " + query, parameters_=params,
                                      database_=neo4j_conn["database"]).summary.plan
    ops = _plan_operators(plan)
    assert not ops & {"AllNodesScan", "NodeByLabelScan"}, (query, ops)


def test_missing_lookup_indexes_are_one_clear_error(sample_loaded, neo4j_driver, neo4j_conn):
    db = neo4j_conn["database"]
    neo4j_driver.execute_query("DROP INDEX document_search_text IF EXISTS", database_=db)
    try:
        # a load into an empty database builds them after its documents: the message says to wait, too
        with pytest.raises(neo4j_store.ServiceError,
                           match="document_search_text: wait for a running `polgraph load`.*cypher/schema.cypher"):
            Neo4jDocuments(neo4j_driver, db).check_indexes()
    finally:
        neo4j_store.apply_schema(neo4j_driver, db)
    Neo4jDocuments(neo4j_driver, db).check_indexes()
