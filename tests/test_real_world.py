"""Own metadata of portal pages as analysts download them (tests/fixtures/real_world/: team-written pages and
text renderings modelled on real 政府信息公开 pages; expected.tsv written by hand from the documents)."""
from __future__ import annotations

from pathlib import Path

import pytest

from polgraph.extract.pipeline import extract_paths

HERE = Path(__file__).parent / "fixtures" / "real_world"
FIELDS = ("title", "doc_number", "issuer", "date", "level")


def _expected() -> dict[str, dict]:
    out = {}
    for line in (HERE / "expected.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, title, number, issuer, date, level, style = line.split("\t")
        none = lambda v: None if v == "-" else v  # noqa: E731
        out[name] = {"title": none(title), "doc_number": none(number),
                     "issuer": [] if issuer == "-" else issuer.split("、"), "date": none(date), "level": level,
                     "style": style}
    return out


EXPECTED = _expected()


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    recs, skipped = extract_paths([HERE], quiet=True)
    assert not skipped
    return {str(Path(r["path"]).relative_to(HERE)) if "#" not in r["path"]
            else Path(r["path"]).name: r for r in recs}


def test_every_fixture_has_an_expectation(records):
    assert set(records) == set(EXPECTED)
    assert len(EXPECTED) >= 25


# Misses whose cause lies outside the page reading (extract/metadata.py's own inference rules).
KNOWN_MISSES: dict[str, str] = {}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.xfail(reason=KNOWN_MISSES[n], strict=False))
                                  if n in KNOWN_MISSES else n for n in sorted(EXPECTED)])
def test_own_metadata(records, name):
    rec, want = records[name], EXPECTED[name]
    got = {f: rec[f] for f in FIELDS}
    assert got == {f: want[f] for f in FIELDS}, want["style"]


def test_accuracy_over_all_fields(records):
    """Share of expected fields extracted exactly, over every document and the five own fields."""
    total = right = 0
    misses = []
    for name, want in sorted(EXPECTED.items()):
        for f in FIELDS:
            total += 1
            if records[name][f] == want[f]:
                right += 1
            else:
                misses.append(f"{name} {f}: expected {want[f]!r}, got {records[name][f]!r}")
    accuracy = right / total
    print(f"\nreal-world portal fixtures: {right}/{total} fields = {accuracy:.3f}")
    for m in misses:
        print("  MISS", m)
    assert accuracy >= 0.95, misses


def test_sources_say_where_fields_came_from(records):
    # a labelled cell of the metadata block is authoritative
    assert records["h01_govcn_table4.html"]["sources"] == {
        "title": "header", "doc_number": "header", "issuer": "header", "date": "header"}
    # <meta name="ArticleTitle">, the 文号 line, the signature
    assert records["h05_meta_only.html"]["sources"] == {
        "title": "meta", "doc_number": "text", "issuer": "text", "date": "text"}
    assert records["h06_title_tag_suffix.html"]["sources"]["title"] == "page_title"
    assert records["t08_number_title_line.txt"]["sources"]["title"] == "heading"
    # a publisher that is a website gives nothing; the signature does
    assert records["h08_li_label_value.html"]["sources"]["issuer"] == "text"
    # where nothing else gives a date, the page's posting date does
    assert records["h09_empty_number_cell.html"]["sources"] == {
        "title": "heading", "doc_number": None, "issuer": "header", "date": "header"}


def test_extra_header_fields_are_carried(records):
    assert records["h01_govcn_table4.html"]["index_number"] == "000014349/2016-00087"
    assert records["h01_govcn_table4.html"]["topic"] == "卫生、体育\\医药管理"
    assert records["h03_dl.html"]["repeal_date"] == "2025-10-09"
    assert records["t10_taihu_block.txt"]["repeal_date"] == "2025-03-18"
    assert "index_number" not in records["t12_header_below_title.txt"]
    assert records["t17_column_header_pipe_rows.txt"]["validity"] == "in_force"  # 有效性 | … ⏎ 有效 | …
    assert "validity" not in records["h03_dl.html"]  # 有效性：<dd></dd> says nothing


def test_chrome_is_never_cited(records):
    """Related links, 上一篇/下一篇 and the like name other documents: not citations of this one."""
    for name in ("h05_meta_only.html", "h07_number_title_heading.html"):
        cited = [c["title"] or c["doc_number"] for c in records[name]["citations"]]
        assert all("十四五" not in c and "农民工" not in c and "水污染" not in c for c in cited), cited
    # the document's real citation is kept
    assert [c["doc_number"] for c in records["h07_number_title_heading.html"]["citations"]] == ["国发〔2013〕11号"]


def test_header_lines_are_never_the_title(records):
    for name, rec in records.items():
        title = rec["title"] or ""
        assert "|" not in title and "索引号" not in title and "：" not in title and ":" not in title, name


def test_a_header_never_cites_the_documents_own_number(records):
    """A 文号 label line above its value (文号⏎丰府办发〔2021〕12号) gives the own number, not a citation."""
    for name, rec in records.items():
        numbers = [c["doc_number"] for c in rec["citations"] if c["doc_number"]]
        assert rec["doc_number"] is None or rec["doc_number"] not in numbers, name
        assert not any(n.startswith(("文号", "字号", "发文字号")) for n in numbers), (name, numbers)
    assert [c["doc_number"] for c in records["t14_site_name_nav_wrapped_title.txt"]["citations"]] == ["赣府厅发〔2020〕9号"]


def test_what_a_page_appends_after_its_document_is_never_cited(records):
    """相关文件 lists, 相关解读, 上一篇/下一篇 after the signature name other documents (portal.document_end); the
    document's own citations before them stay."""
    cited = lambda name: [c["doc_number"] or c["title"] for c in records[name]["citations"]]  # noqa: E731
    assert cited("t20_tail_related_links.txt") == ["成府发〔2023〕2号"]
    assert cited("h16_related_list_after_body.html") == ["豫政办〔2021〕46号"]


def test_padded_labels_are_read_and_never_cited(records):
    """`文        号 鹤政办〔2021〕27号`: the label padded with spaces gives the own number (not `号 鹤…` cut into a
    citation), `名        称` the title, 上 载 日 期 only a posting date."""
    rec = records["t18_padded_labels_no_colon.txt"]
    assert rec["sources"] == {"title": "header", "doc_number": "header", "issuer": "text", "date": "header"}
    assert rec["index_number"] == "20210906-310452"
    assert [c["doc_number"] for c in rec["citations"]] == ["河南省人民政府令第208号"]


def test_a_relayed_numbered_document_is_cited_not_carried(records):
    """GUIDELINES: an already-issued document with its own number that the notice relays is a FORWARDS citation;
    the notice's title (…转发省政府办公厅关于X的通知) names it too, so it carries nothing."""
    rec = records["t21_forwarding_notice.txt"]
    assert rec["carries"] == []
    assert (rec["citations"][0]["doc_number"], rec["citations"][0]["relation"]) == ("冀政办字〔2022〕24号", "FORWARDS")
