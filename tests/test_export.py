"""Exports: GraphML/GEXF read back by networkx, JSON Lines, neo4j-admin CSV headers and labels."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from graph_support import OFFICE, chain_records, cit, rec
from polgraph.errors import InputError
from polgraph.graph.build import build_graph
from polgraph.graph.export import NEO4J_NODE_HEADER, NEO4J_REL_HEADER, export_graph, neo4j_label


@pytest.fixture(scope="module")
def G():
    records = chain_records()
    # a title with ';' and a newline must survive the CSV and the array splitting
    records[0]["carries"] = ["“十二五”期间深化医药卫生体制改革规划;暨实施方案\n（第二部分）"]
    # two relations between one pair: parallel edges
    records.append(rec("x/two.txt", "某县实施方案", None, "county", "2016-01-01", citations=[
        cit("国办发〔2015〕33号", OFFICE), cit(None, OFFICE, cue="根据", relation="BASED_ON", start=50)]))
    G = build_graph(records, quiet=True)
    assert any(len(G[u][v]) == 2 for u, v in G.edges())
    return G


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_gephi_formats_round_trip(G, tmp_path, fmt, reader):
    out = tmp_path / f"g.{fmt}"
    assert export_graph(G, fmt, out) == [str(out)]
    H = reader(out)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    assert set(H.nodes) == set(G.nodes)
    assert {(u, v) for u, v in H.edges()} == {(u, v) for u, v in G.edges()}
    assert sorted(d["relation"] for _, _, d in H.edges(data=True)) == sorted(k for _, _, k in G.edges(keys=True))
    node = H.nodes["国发〔2012〕11号"]
    assert node["in_corpus"] in (True, "true")
    assert " | " not in str(node.get("issuer", ""))
    for _, d in H.nodes(data=True):
        assert all(v is not None and not isinstance(v, (list, dict)) for v in d.values())
    text = out.read_text(encoding="utf-8")
    assert "None" not in text
    # every edge has its own id (Gephi drops duplicates)
    ids = [e.get("id") for e in ET.parse(out).getroot().iter() if e.tag.endswith("edge")]
    assert len(ids) == len(set(ids)) == G.number_of_edges()
    export_graph(G, fmt, tmp_path / f"again.{fmt}")
    assert (tmp_path / f"again.{fmt}").read_bytes() == out.read_bytes()


def test_graphml_edge_attributes_are_flat(G, tmp_path):
    out = tmp_path / "g.graphml"
    export_graph(G, "graphml", out)
    H = nx.read_graphml(out)
    (u, v, d), = [(u, v, d) for u, v, d in H.edges(data=True)
                  if u == "安政办发〔2016〕3号" and v == "晋人社厅〔2012〕106号"]
    assert d["relation"] == "BASED_ON" and d["method"] == "placeholder" and d["mention_count"] == 1
    assert d["cues"] == "根据"
    assert json.loads(d["mentions_json"])[0]["path"] == "k/anze.txt"


def test_jsonl_nodes_then_edges(G, tmp_path):
    out = tmp_path / "g.jsonl"
    export_graph(G, "jsonl", out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    types = [r["type"] for r in rows]
    assert types == ["node"] * G.number_of_nodes() + ["edge"] * G.number_of_edges()
    assert [r["id"] for r in rows if r["type"] == "node"] == sorted(G.nodes)
    e = [r for r in rows if r["type"] == "edge" and r["source"] == "国办发〔2015〕33号"][0]
    assert e["key"] == e["relation"] and isinstance(e["mentions"], list)


def test_neo4j_csv_header_format(G, tmp_path):
    out = tmp_path / "csv"
    written = export_graph(G, "neo4j-csv", out)
    assert written == [str(out / "nodes.csv"), str(out / "relationships.csv")]
    with open(out / "nodes.csv", encoding="utf-8", newline="") as f:
        nodes = list(csv.reader(f))
    with open(out / "relationships.csv", encoding="utf-8", newline="") as f:
        rels = list(csv.reader(f))
    assert nodes[0] == NEO4J_NODE_HEADER and nodes[0][:4] == ["id:ID(Document)", ":LABEL", "title", "doc_number"]
    assert rels[0] == [":START_ID(Document)", ":END_ID(Document)", ":TYPE", "method", "score:float",
                       "mention_count:int", "cues:string[]", "flags:string[]", "mentions_json"]
    assert rels[0] == NEO4J_REL_HEADER
    assert len(nodes) - 1 == G.number_of_nodes() and len(rels) - 1 == G.number_of_edges()
    row = dict(zip(nodes[0], [r for r in nodes if r[0] == "国发〔2012〕11号"][0]))
    assert row[":LABEL"] == "Document;Central" and row["in_corpus:boolean"] == "true"
    assert row["year:int"] == "2012"
    assert row["aliases:string[]"].split(";") == ["“十二五”期间深化医药卫生体制改革规划；暨实施方案 （第二部分）"]
    ph = dict(zip(nodes[0], [r for r in nodes if r[0] == "晋人社厅〔2012〕106号"][0]))
    assert ph[":LABEL"] == "Document;Provincial;Placeholder" and ph["in_corpus:boolean"] == "false"
    assert ph["path"] == "" and ph["date"] == ""
    rel = dict(zip(rels[0], [r for r in rels if r[1] == "晋人社厅〔2012〕106号"][0]))
    assert rel[":TYPE"] == "BASED_ON" and rel["mention_count:int"] == "1" and rel["score:float"] == "100.0"
    assert json.loads(rel["mentions_json"])[0]["cue"] == "根据"
    assert all("\n" not in cell for r in nodes + rels for cell in r)


def test_neo4j_label_levels():
    assert neo4j_label({"level": "township", "in_corpus": True}) == "Document;Township"
    assert neo4j_label({"level": "unknown", "in_corpus": False}) == "Document;Unknown;Placeholder"


def test_export_to_the_wrong_kind_of_path(G, tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(InputError, match="neo4j-csv writes a folder"):
        export_graph(G, "neo4j-csv", f)
    with pytest.raises(InputError, match="graphml writes a file"):
        export_graph(G, "graphml", tmp_path)
