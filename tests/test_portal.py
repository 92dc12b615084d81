"""extract/portal.py: the metadata block of portal pages (data/portal_labels.tsv) and site chrome
(data/portal_chrome.tsv), in HTML and in text renderings."""
from __future__ import annotations

import json
import re

import pytest

from polgraph.extract import portal
from polgraph.extract.find import extract_text
from polgraph.extract.read import html_to_text, read_documents, read_html


def _values(pairs):
    out = {}
    for p in pairs:
        if p.value is not None:
            out.setdefault((p.field, p.rank), p.value)
    return out


# ------------------------------------------------------------------------------------------- the data

def test_label_table_is_well_formed():
    labels = portal.load_labels()
    assert len(labels) >= 40
    for name, label in labels.items():
        assert label.field in portal.FIELDS and label.rank in (1, 2)
        assert name == label.label and not re.search(r"[\s:：]", name.removeprefix("meta:"))
    # the labels the issue names, each mapped to its field
    for name, fld in [("标题", "title"), ("名称", "title"), ("发文字号", "doc_number"), ("文号", "doc_number"),
                      ("字号", "doc_number"), ("发文机关", "issuer"), ("发布机构", "issuer"), ("发文单位", "issuer"),
                      ("制发机关", "issuer"), ("来源", "issuer"), ("成文日期", "date"), ("发文日期", "date"),
                      ("颁布时间", "date"), ("发布日期", "date"), ("生效日期", "date"), ("废止日期", "repeal_date"),
                      ("索引号", "index_number"), ("主题分类", "topic"), ("meta:ArticleTitle", "title"),
                      ("meta:PubDate", "date"), ("meta:ContentSource", "issuer")]:
        assert labels[name].field == fld, name
    # a publisher, a posting date and <meta> are weaker than what the document says
    assert labels["发布机构"].rank == labels["来源"].rank == labels["发布日期"].rank == 2
    assert labels["发文机关"].rank == labels["成文日期"].rank == labels["文号"].rank == 1


def test_chrome_table_compiles_and_matches_what_it_means():
    lines, classes, tags = portal.load_chrome()
    for line in ["您的位置：首页 > 政务公开 > 政策文件", "当前位置: 首页 > 政务公开", "首页 >> 公开信息内容", "【我要纠错】",
                 "扫一扫在手机打开当前页", "责任编辑：陈晓", "【字体：大 中 小】【打印本页】【关闭窗口】", "字号：大 中 小",
                 "字体:[ ]", "分享到：", "视力保护色：", "相关链接：宁波市人民政府关于加快发展楼宇经济的若干意见",
                 "上一篇：山东省人民政府关于进一步做好为农民工服务工作的实施意见", "版权所有：宁波市江北区人民政府",
                 "浙ICP备10020486号", "返回顶部", "中国政府网 河南省政府网 English 市人大 市政协",
                 "首     页 政 务 公 开 网 上 办 事", "您当前的位置:首页>部门>县水利局>政务公开", "您当前所在位置:",
                 "您所在的位置：首页 > 信息公开", " > 政府信息公开制度 > 某某区", "> 政务公开 > 规划计划"]:
        assert portal.is_chrome_line(line), line
    for line in ["平顶山市人民政府办公室关于加强城市建筑垃圾管理的通知", "各县（市、区）人民政府：",
                 "为贯彻落实《国务院关于整合城乡居民基本医疗保险制度的意见》（国发〔2016〕3号），现通知如下。",
                 "主办单位：市文化局。承办单位：各县区文化馆，负责组织本地区的比赛。", "平顶山市人民政府办公室", "2019年8月16日",
                 "首批试点名单", "河南省人民政府网站管理办法", "位置适中的地块优先安排。", "> 注：以上数据截至6月底",
                 "定位：区域性物流枢纽"]:
        assert not portal.is_chrome_line(line), line
    assert classes.search("BreadcrumbNav") and classes.search("share") and not classes.search("zoom")
    assert not classes.search("printContent") and not classes.search("article-content")
    assert "nav" in tags and "footer" in tags


# ------------------------------------------------------------------------------------------- text renderings

def test_pipe_rows_and_an_empty_cell_gives_nothing():
    h = portal.read_text_header("文号 | 平政办〔2017〕68号 | 索引号 | 11410400/2017-00068 |\n"
                                "发文机关 | 平顶山市人民政府办公室 | 关键词 | |\n"
                                "文 号: | | 所属主题: | |\n正文第一句。\n")
    v = _values(h.pairs)
    assert v[("doc_number", 1)] == "平政办〔2017〕68号"
    assert v[("issuer", 1)] == ["平顶山市人民政府办公室"]
    assert v[("index_number", 1)] == "11410400/2017-00068"
    assert ("topic", 1) not in v  # 所属主题: | | is empty, not the next label
    assert len(h.masked) == 3


def test_several_pairs_on_a_line_with_spaced_labels():
    v = _values(portal.read_text_header(
        "索引号:11532323015172622Y-/2018-1220012 公文目录:应急管理 发文日期:2017年06月28日 主题词: 文  号: 成文日期:\n"
        "颁布时间:2015-09-30 00:00:00.000 发文单位:内蒙古自治区人民政府办公厅\n").pairs)
    assert v[("date", 1)] == "2017-06-28" and v[("issuer", 1)] == ["内蒙古自治区人民政府办公厅"]
    assert ("doc_number", 1) not in v  # 文  号: stands empty before 成文日期:


def test_square_bracketed_labels_on_one_row():
    # a portal that prints its block as one row of [ label ]value pairs
    h = portal.read_text_header("[ 索引号 ]11500000MB0000001A/2023-00009 [ 发文字号 ]綦府办发〔2023〕71 号 "
                                "[ 发布机构 ]綦江区水利局 [ 主题分类 ]水利 [ 成文日期 ]2023-05-08 [ 发布日期 ]2023-05-12\n"
                                "綦江区人民政府办公室关于加强山坪塘管护的通知\n正文第一句。\n")
    v = _values(h.pairs)
    assert v[("doc_number", 1)] == "綦府办发〔2023〕71号" and v[("date", 1)] == "2023-05-08"
    assert v[("issuer", 2)] == ["綦江区水利局"] and v[("date", 2)] == "2023-05-12" and v[("topic", 1)] == "水利"
    assert len(h.masked) == 1  # the row, not the title under it
    # the same labels in cells of their own (an HTML rendering): a bracketed label cell takes the next cell
    v = _values(portal.read_cells(["[ 发文字号 ]", "綦府办发〔2023〕71号", "［成文日期］", "2023-05-08"]))
    assert v[("doc_number", 1)] == "綦府办发〔2023〕71号" and v[("date", 1)] == "2023-05-08"
    # brackets around something else are no label
    assert portal.read_text_header("[ 图片 ]某某县风光\n正文第一句。\n").pairs == []


def test_labels_and_values_separated_by_spaces_only():
    v = _values(portal.read_text_header("索引号 001008003004034/2011-204477 主题分类 综合类\n"
                                        "文号 瑞政办〔2011〕129号 发布机构 市市级机关事务管理局信息公开\n").pairs)
    assert v[("doc_number", 1)] == "瑞政办〔2011〕129号" and v[("topic", 1)] == "综合类"
    assert ("issuer", 2) not in v  # not an organ's name


def test_labels_padded_to_one_width_with_spaces():
    """A text rendering pads its labels with spaces (索   引   号, 名        称) and puts two pairs on a line."""
    v = _values(portal.read_text_header(
        "索   引   号 20210906-310452 分        类 其他; 市人民政府办公室;\n"
        "发 布 机 构 市人民政府办公室 发 文 日 期 2021-09-02\n"
        "名        称 鹤壁市人民政府办公室关于印发垃圾分类管理办法的通知\n"
        "文        号 鹤政办〔2021〕27号   上 载 日 期 2021-09-06\n").pairs)
    assert v[("index_number", 1)] == "20210906-310452" and v[("date", 1)] == "2021-09-02"
    assert v[("title", 1)] == "鹤壁市人民政府办公室关于印发垃圾分类管理办法的通知"
    assert v[("doc_number", 1)] == "鹤政办〔2021〕27号" and v[("date", 2)] == "2021-09-06"
    # spaced characters that are no label stay as they are
    assert portal._joined_labels("关 于 印 发 通 知") == "关 于 印 发 通 知"
    assert portal._joined_labels("文 号 X 标 题 Y") == "文号 X 标题 Y"


def test_a_page_ends_where_its_appended_links_begin():
    text = "首页 > 政策\n关于X的通知\n各单位：\n现通知如下。\n某某局\n2021年1月1日\n相关文件：\n1.《Y办法》\n"
    body = text.index("现")
    assert text[portal.document_end(text, body):] == "相关文件：\n1.《Y办法》\n"
    for line in ("【相关解读】", "相关文件", "下一篇：关于Z的通知", "政策解读：关于X的解读"):
        assert portal.document_end(f"正文。\n{line}\n", 0) == 4, line
    # before the body began (a side box above the document), or a sentence of the body: not the end
    assert portal.document_end("相关文件：《Y》\n正文。\n", 6) is None
    assert portal.document_end("正文。\n相关文件的报送时间另行通知。\n", 0) is None


@pytest.mark.parametrize("cell, status", [("现行有效", "in_force"), ("有 效", "in_force"), ("已废止", "repealed"),
                                          ("失效", "expired"), ("已修改", "amended"), ("尚未生效", "not_yet_effective"),
                                          ("部分条款另行规定", None), ("", None)])
def test_validity_reads_as_a_status(cell, status):
    assert portal.field_value("validity", cell) == status
    v = _values(portal.read_text_header(f"发文字号：赣府发〔2022〕9号\n时效性：{cell}\n失效日期：2024-12-31\n").pairs)
    assert v.get(("validity", 1)) == status and v[("repeal_date", 1)] == "2024-12-31"


def test_label_line_then_value_line():
    h = portal.read_text_header("  • 索引号:\n\n    6107280000/2025-000931\n  • 主题分类:\n\n  • 发文机构:\n\n    县政府网站\n"
                                "  • 发文字号:\n\n    镇政发〔2025〕14号\n  • 发文日期:\n\n    2025年03月11日 09:15\n"
                                "镇巴县人民政府关于做好春季森林防火工作的通知\n")
    v = _values(h.pairs)
    assert v[("doc_number", 1)] == "镇政发〔2025〕14号"
    assert ("issuer", 1) not in v  # a website is no organ
    assert v[("date", 2)] == "2025-03-11" and ("date", 1) not in v  # a time of day: a posting date
    assert not h.is_masked(h.masked[-1][1] + 1)  # the title line after the block is not part of it


def test_a_label_line_does_not_swallow_the_title_after_it():
    text = "来源：\n平顶山市人民政府关于加强城市管理工作的通知\n各县人民政府：\n"
    h = portal.read_text_header(text)
    assert not h.is_masked(text.index("平顶山"))


@pytest.mark.parametrize("line, number, title", [
    ("鲁政发〔2014〕20号《山东省人民政府关于深化预算管理制度改革的实施意见》", "鲁政发〔2014〕20号",
     "山东省人民政府关于深化预算管理制度改革的实施意见"),
    ("瑞政办(2011)129号 转发温州市推行说理性行政处罚文书指导意见及操作规范的通知", "瑞政办〔2011〕129号",
     "转发温州市推行说理性行政处罚文书指导意见及操作规范的通知"),
    ("中共岳阳市委办公室岳阳市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知(岳办发〔2017〕2号)",
     "岳办发〔2017〕2号", "中共岳阳市委办公室岳阳市人民政府办公室印发《关于全面推进政务公开工作的实施意见》的通知"),
])
def test_number_and_title_on_one_line(line, number, title):
    assert portal.number_and_title(line) == (number, title)


@pytest.mark.parametrize("line", ["国办发〔2015〕33号", "为贯彻落实《国务院关于…的意见》（国发〔2015〕1号）",
                                  "根据国发〔2015〕33号文件精神"])
def test_not_a_number_and_title_line(line):
    assert portal.number_and_title(line) is None


def test_page_title_without_the_site_name():
    assert portal.page_title("关于印发某某方案的通知_平顶山市人民政府") == "关于印发某某方案的通知"
    assert portal.page_title("国务院办公厅关于推进某某工作的意见 - 中国政府网") == "国务院办公厅关于推进某某工作的意见"
    assert portal.page_title("政策文件") == "政策文件"


# ------------------------------------------------------------------------------------------- HTML

PAGE = """<html><head><title>某某县人民政府关于做好秋冬季防火工作的通知_某某县人民政府</title>
<meta name="PubDate" content="2020-10-12 09:00"></head><body>
<div class="breadcrumb">您的位置：首页 &gt; 政务公开</div>
<table><tr><td>文号</td><td></td><td>索引号</td><td>0001/2020-01</td></tr>
<tr><td>发文机关：</td><td>安吉县人民政府</td><td>成文日期：</td><td>2020-10-09</td></tr></table>
<dl><dt>废止日期</dt><dd>2022-10-09</dd></dl>
<h1>安吉县人民政府关于做好秋冬季防火工作的通知</h1>
<p>各乡镇人民政府：为做好秋冬季防火工作，现通知如下。</p>
<p>【我要纠错】</p><div class="share">分享到：微信</div>
<p class="related">相关链接：《安吉县人民政府关于印发森林防火预案的通知》（安政发〔2019〕3号）</p>
<p>安吉县人民政府</p><p>2020年10月9日</p>
</body></html>"""


def test_html_cells_meta_and_title():
    text, header = read_html(PAGE)
    v = _values(header)
    assert ("doc_number", 1) not in v  # the empty cell after 文号 gives nothing, never 索引号
    assert v[("index_number", 1)] == "0001/2020-01" and v[("issuer", 1)] == ["安吉县人民政府"]
    assert v[("date", 1)] == "2020-10-09" and v[("repeal_date", 1)] == "2022-10-09"
    assert v[("date", 2)] == "2020-10-12" and v[("title", 3)] == "某某县人民政府关于做好秋冬季防火工作的通知"
    assert "首页" not in text and "纠错" not in text and "分享" not in text and "相关链接" not in text


def test_html_record_takes_the_header_and_never_cites_chrome(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(PAGE, encoding="utf-8")
    [doc] = read_documents(str(p))
    rec = extract_text(doc.text, doc.path, doc.overrides, doc.header)
    assert rec["title"] == "安吉县人民政府关于做好秋冬季防火工作的通知"
    assert rec["issuer"] == ["安吉县人民政府"] and rec["date"] == "2020-10-09" and rec["doc_number"] is None
    assert rec["level"] == "county" and rec["repeal_date"] == "2022-10-09" and rec["index_number"] == "0001/2020-01"
    assert rec["sources"] == {"title": "heading", "doc_number": None, "issuer": "header", "date": "header"}
    assert rec["citations"] == []


def test_header_number_replaces_the_inferred_one_and_is_not_cited():
    text = "索引号：0001/2021-7\n发文字号：渝府发〔2021〕7号\n关于印发某某办法的通知\n各区县人民政府：\n现将《某某办法》印发给你们。\n"
    rec = extract_text(text)
    assert rec["doc_number"] == "渝府发〔2021〕7号" and rec["sources"]["doc_number"] == "header"
    assert rec["title"] == "关于印发某某办法的通知" and rec["citations"] == []


def test_an_abbreviated_organ_of_the_header_gets_the_documents_place():
    # a policy interpretation page: no signature, its organ only in the header's 来源, written as the county
    # itself writes it (GUIDELINES: the full name is the region plus the organ)
    text = ("首页 > 政策解读\n《岳西县农村道路养护办法》政策解读\n发布时间：2024-03-02 09:00 来源：县交通运输局\n"
            "一、制定背景\n县政府办公室印发了《岳西县农村道路养护办法》。\n")
    rec = extract_text(text)
    assert rec["issuer"] == ["岳西县交通运输局"] and rec["sources"]["issuer"] == "header"
    assert (rec["level"], rec["region"]) == ("county", "安徽省")


def test_authoritative_issuer_without_a_place_keeps_the_signed_organ():
    text = ("发文机构：地区行署\n阿里地区行政公署关于印发某某规则的通知\n各县人民政府：\n现将《某某规则》印发给你们。\n"
            "阿里地区行政公署\n2021年11月9日\n")
    assert extract_text(text)["issuer"] == ["阿里地区行政公署"]
    text = text.replace("地区行署", "阿里地区行政公署办公室")
    assert extract_text(text)["issuer"] == ["阿里地区行政公署办公室"]


def test_jsonl_record_may_carry_html(tmp_path):
    p = tmp_path / "crawl.jsonl"
    lines = [{"url": "http://example.gov.cn/1", "html": PAGE}, {"html": "<html><body><script>x</script></body></html>"},
             {"id": "d3", "html": "<p>平顶山市人民政府关于某某的通知</p><p>各县人民政府：现通知如下。</p>"}]
    p.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    items = read_documents(str(p))
    assert items[0].text == read_html(PAGE)[0] and items[0].header == read_html(PAGE)[1]
    assert items[1].reason == 'no visible text in "html"'
    assert items[2].overrides == {"id": "d3"} and items[2].text.startswith("平顶山市人民政府关于某某的通知")


def test_html_to_text_keeps_the_visible_text_semantics():
    assert html_to_text("<p>甲</p><!-- 注 -->乙<?pi x?>丙<br>丁") == "甲\n乙丙\n丁"
    assert html_to_text('<?xml version="1.0" encoding="utf-8"?><p>甲</p>') == "甲"
    assert html_to_text("") == "" and html_to_text("<!-- 只有注释 -->") == ""
    assert html_to_text("<div id='zoom'><p>正文</p></div><div class='footer'>页脚</div>") == "正文"


def test_annotate_and_build_read_the_page_header(tmp_path):
    """What extract reads from a page's metadata block, annotate and build read too."""
    from polgraph.graph.annotate import annotate_document
    from polgraph.graph.build import build_graph

    page = tmp_path / "corpus" / "page.html"
    page.parent.mkdir()
    page.write_text(PAGE.replace('<td>文号</td><td></td>', '<td>文号</td><td>安政发〔2020〕9号</td>'),
                    encoding="utf-8")
    out = tmp_path / "page.annotated.html"
    annotate_document(str(page), str(out), quiet=True)
    shown = out.read_text(encoding="utf-8")
    assert "安政发〔2020〕9号" in shown and "2020-10-09" in shown and "纠错" not in shown
    G = build_graph([str(page.parent)], quiet=True)
    [node] = [a for _, a in G.nodes(data=True) if a.get("in_corpus")]
    assert node["doc_number"] == "安政发〔2020〕9号" and node["date"] == "2020-10-09" and node["level"] == "county"


def test_a_row_of_labels_over_a_row_of_values_pairs_by_column():
    from polgraph.extract.portal import read_cells

    cells = ["索引号", "发布机构", "成文日期", "文号", "主题分类",
             "11330600002565123X/2021-00045", "绍兴市人民政府办公室", "2021-03-18", "绍政办发〔2021〕9号", "综合政务"]
    got = {p.field: p.value for p in read_cells(cells) if p.field != "other"}
    assert got["doc_number"] == "绍政办发〔2021〕9号" and got["date"] == "2021-03-18"
    # a value row that does not read as those fields (a 文号 cell that is no number) is no value row
    cells[8] = "关于进一步加强政府规范性文件管理的通知"
    assert all(p.value != "关于进一步加强政府规范性文件管理的通知" for p in read_cells(cells))
    # two labels are label-value cells as before
    assert [p.field for p in read_cells(["文号", "成文日期", "2021-03-18"])] == ["doc_number", "date"]


def test_a_posting_date_years_after_the_documents_number_is_the_pages():
    # an aggregator heads the page with the number and the title and dates its own posting (时间 beside the view
    # count): 2019 is not when 皖政发〔2016〕12号 was written
    text = ("皖政发〔2016〕12号《安徽省人民政府关于深化某某管理制度改革的实施意见》\n\n浏览量:          时间:2019-03-02 21:15:07\n\n"
            "安徽省人民政府关于深化某某管理制度改革的实施意见\n\n\n皖政发〔2016〕12号\n\n\n各市、县人民政府，省政府各部门：\n\n"
            "根据《国务院关于深化某某管理制度改革的决定》(国发〔2015〕45号)有关要求，现提出以下实施意见：\n")
    rec = extract_text(text)
    assert (rec["title"], rec["doc_number"], rec["date"]) == (
        "安徽省人民政府关于深化某某管理制度改革的实施意见", "皖政发〔2016〕12号", None)
    # posted within a year of its number's year: the posting date is the best the page gives
    assert extract_text(text.replace("2019-03-02", "2016-05-20"))["date"] == "2016-05-20"
    # the text's own date wins either way
    signed = text + "\n安徽省人民政府\n2016年4月8日\n"
    assert extract_text(signed)["date"] == "2016-04-08"
