"""`polgraph load` reads the binary formats as `extract` does: a corpus of DOCX, OFD and text loaded into the
real Neo4j server."""
from __future__ import annotations

import shutil

import pytest

from conftest import SAMPLE
from formats_support import write_docx, write_ofd
from neo4j_support import empty_db, neo4j_conn, neo4j_driver, polgraph_cli, run_query, wipe_after_module  # noqa: F401

pytestmark = pytest.mark.neo4j

CITING = ("某县人民政府关于贯彻落实县级公立医院综合改革的通知\n某政发〔2016〕{}号\n各乡镇人民政府：\n"
          "为贯彻落实《国务院办公厅关于全面推开县级公立医院综合改革的实施意见》（国办发〔2015〕33号），现提出以下意见。\n"
          "某县人民政府\n2016年1月5日")


def test_load_reads_docx_and_ofd(empty_db, neo4j_conn, tmp_path):
    shutil.copy(SAMPLE / "00004.txt", tmp_path / "00004.txt")
    write_docx(CITING.format(1), tmp_path / "a.docx")
    write_ofd(CITING.format(2), tmp_path / "b.ofd")
    r = polgraph_cli("load", str(tmp_path), "--quiet", "--uri", neo4j_conn["uri"], "--database",
                     neo4j_conn["database"])
    assert r.returncode == 0, r.stderr
    rows = run_query(empty_db, neo4j_conn,
                     "MATCH (d:Document)-[]->(t:Document {doc_number: '国办发〔2015〕33号'}) "
                     "RETURN d.doc_number AS n, d.path AS path ORDER BY n")
    assert [(row["n"], row["path"].rsplit(".", 1)[-1]) for row in rows] == [("某政发〔2016〕1号", "docx"),
                                                                             ("某政发〔2016〕2号", "ofd")]
