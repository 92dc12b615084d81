"""Own metadata: title, 发文字号, issuer, date, level, carries (extract/metadata.py via extract_text)."""
from __future__ import annotations

import pytest

from polgraph.extract.find import extract_text
from polgraph.extract.metadata import parse_date, split_issuers


@pytest.mark.parametrize("s, iso", [
    ("2022年6月20日", "2022-06-20"), ("二〇〇四年六月二十六日", "2004-06-26"), ("二○一五年十二月三十一日", "2015-12-31"),
    ("2022.06.20", "2022-06-20"), ("2016-12-28", "2016-12-28"), ("2022年13月1日", None), ("无日期", None),
    ("２０２１年６月３０日", "2021-06-30"), ("２０２１．６．３０", "2021-06-30"), ("2021/6/30", "2021-06-30")])
def test_parse_date(s, iso):
    assert parse_date(s) == iso


def test_split_joint_issuers():
    assert split_issuers("最高人民法院、最高人民检察院") == ["最高人民法院", "最高人民检察院"]
    assert split_issuers("中共中央 国务院") == ["中共中央", "国务院"]


def test_title_prefix_number_and_header():
    text = ("(国办发〔2015〕33号)国务院办公厅关于全面推开县级公立医院综合改革的实施意见\n\n"
            "国务院办公厅关于全面推开县级公立医院综合改革的实施意见国办发〔2015〕33号各省、自治区、直辖市人民政府:"
            "为贯彻落实《中共中央关于全面深化改革若干重大问题的决定》精神，现提出如下意见。")
    rec = extract_text(text)
    assert rec["title"] == "国务院办公厅关于全面推开县级公立医院综合改革的实施意见"
    assert rec["doc_number"] == "国办发〔2015〕33号"
    assert rec["issuer"] == ["国务院办公厅"]
    assert [c["title"] for c in rec["citations"]] == ["中共中央关于全面深化改革若干重大问题的决定"]


def test_wrapped_heading_number_line_signature_and_chinese_date():
    text = ("国务院关于印发\n《国务院工作规则》的通知\n国发〔2004〕18号\n\n各省、自治区、直辖市人民政府：\n"
            "《国务院工作规则》已经国务院第54次常务会议修订通过，现予印发。\n国务院\n二〇〇四年六月二十六日\n\n"
            "国务院工作规则\n一、根据《中华人民共和国宪法》，制定本规则。\n")
    rec = extract_text(text)
    assert rec["title"] == "国务院关于印发《国务院工作规则》的通知"
    assert rec["doc_number"] == "国发〔2004〕18号"
    assert rec["date"] == "2004-06-26"
    assert rec["issuer"] == ["国务院"]
    assert rec["carries"] == ["国务院工作规则"]
    assert [c["title"] for c in rec["citations"]] == ["中华人民共和国宪法"]


def test_metadata_block():
    text = ("普洱市人民政府关于印发《关于强化财政资源统筹的实施意见》的通知文章属性•【制定机关】普洱市人民政府•"
            "【公布日期】2022.06.20•【字号】普政发〔2022〕38号•【施行日期】2022.06.20\n"
            "现将《关于强化财政资源统筹的实施意见》印发给你们。为认真贯彻落实《云南省人民政府关于完善省以下财政体制的意见》"
            "(云政发〔2021〕20号)精神，提出本实施意见。")
    rec = extract_text(text)
    assert rec["doc_number"] == "普政发〔2022〕38号"
    assert rec["date"] == "2022-06-20"
    assert rec["issuer"] == ["普洱市人民政府"]
    assert rec["carries"] == ["关于强化财政资源统筹的实施意见"]
    assert [(c["doc_number"], c["relation"]) for c in rec["citations"]] == [("云政发〔2021〕20号", "IMPLEMENTS")]


def test_a_number_only_cited_is_never_own():
    text = "深化改革实施方案\n\n根据国办发〔2015〕33号文件精神，结合我市实际，制定本方案。"
    rec = extract_text(text)
    assert rec["doc_number"] is None
    assert [c["doc_number"] for c in rec["citations"]] == ["国办发〔2015〕33号"]


def test_number_line_below_a_heading_and_a_blank_line():
    text = "民政部对“关于应对老龄社会的建议”的答复\n\n民函〔2021〕742号\n\n\n刘庆峰等代表：\n    你们的建议收悉。\n"
    rec = extract_text(text)
    assert rec["doc_number"] == "民函〔2021〕742号" and rec["citations"] == []
    assert rec["title"] == "民政部对“关于应对老龄社会的建议”的答复"


def test_labelled_metadata_lines_and_file_name_title():
    text = ("索引号： 000014349/2016-712118 主题分类： 综合政务\n文号： 浙政发〔2016〕49号 文件登记号： ZJSP00\n"
            "浙江省人民政府关于印发浙江省盐业体制改革实施方案的通知\n各市人民政府：\n现将《浙江省盐业体制改革实施方案》印发给你们。\n"
            "浙江省人民政府\n2016年12月28日\n")
    rec = extract_text(text)
    assert rec["doc_number"] == "浙政发〔2016〕49号"
    assert rec["title"] == "浙江省人民政府关于印发浙江省盐业体制改革实施方案的通知"
    assert rec["carries"] == ["浙江省盐业体制改革实施方案"]
    assert rec["date"] == "2016-12-28"
    text2 = "甘政办发〔2020〕25号\n省政府各部门：\n正文。\n甘肃省人民政府办公厅关于印发甘肃省2020年立法计划的通知.PDF\n"
    rec2 = extract_text(text2)
    assert rec2["doc_number"] == "甘政办发〔2020〕25号"
    assert rec2["title"] == "甘肃省人民政府办公厅关于印发甘肃省2020年立法计划的通知"
    assert rec2["carries"] == ["甘肃省2020年立法计划"]


def test_law_history_header_date_and_organ():
    text = ("# 北京市市容环境卫生条例\n\n2002年9月6日 北京市第十一届人民代表大会常务委员会第三十六次会议通过\n\n"
            "2021年9月24日 北京市第十五届人民代表大会常务委员会第三十三次会议通过的《关于修改部分地方性法规的决定》修正\n\n"
            "2022年1月1日 施行\n\n<!-- INFO END -->\n\n第一条 为了加强市容环境卫生工作，制定本条例。\n")
    rec = extract_text(text)
    assert rec["title"] == "北京市市容环境卫生条例"
    assert rec["date"] == "2021-09-24"
    assert rec["issuer"] == ["北京市人民代表大会常务委员会"]
    assert [(c["title"], c["relation"]) for c in rec["citations"]] == [("关于修改部分地方性法规的决定", "CITES")]


def test_overrides_replace_own_fields():
    text = "关于做好工作的通知\n根据国发〔2012〕11号文件，做好工作。"
    rec = extract_text(text, path="a.jsonl#1", overrides={"id": "d1", "doc_number": "国发[2012]11号",
                                                          "issuer": ["国务院"], "date": "2012-01-02"})
    assert rec["id"] == "d1" and rec["doc_number"] == "国发〔2012〕11号" and rec["issuer"] == ["国务院"]
    assert rec["date"] == "2012-01-02"
    assert rec["citations"] == []


@pytest.mark.parametrize("text, level", [
    ("深化县级公立医院人事制度改革意见\n\n为进一步健全完善我县公立医院人事管理制度，提出如下意见。", "county"),
    ("实施方案\n\n结合我市实际，特制定本实施方案。", "municipal"),
    ("调研报告\n\n我省已自去年3月底起推进清单制度。", "provincial"),
])
def test_level_from_self_reference(text, level):
    assert extract_text(text)["level"] == level


def test_level_unknown_without_evidence():
    assert extract_text("严防全面深化改革中的六种倾向\n\n他说，改革是发展的动力源。")["level"] == "unknown"


def test_law_header_order_number_is_own_and_gives_the_level():
    text = ("# 外国律师事务所驻华代表机构管理条例\n\n2001年12月19日 国务院第51次常务会议通过\n\n"
            "2001年12月22日 中华人民共和国国务院令第338号公布\n\n2002年1月1日 施行\n\n<!-- INFO END -->\n\n"
            "第一条 根据《中华人民共和国律师法》的规定，制定本条例。\n")
    rec = extract_text(text)
    assert rec["doc_number"] == "中华人民共和国国务院令第338号"  # as written (GUIDELINES)
    assert rec["level"] == "central" and rec["issuer"] == ["国务院"]
    assert [c["title"] for c in rec["citations"]] == ["中华人民共和国律师法"]


@pytest.mark.parametrize("addressee, level", [
    ("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：", "central"),
    ("各市、县（市、区）人民政府，省政府各部门：", "provincial"),
    ("各县（区）人民政府，市直各部门：", "municipal"),
    ("各乡镇人民政府，县直各单位：", "county"),
])
def test_level_from_the_addressee_line(addressee, level):
    assert extract_text(f"关于做好工作的通知\n{addressee}\n现就有关事项通知如下。\n")["level"] == level


def test_signature_block_with_several_organs_and_full_width_zero_date():
    text = ("沪财法[2007]9号\n各区县财政局、税务局：\n现将《财政部 国家税务总局关于广播电视村村通税收政策的通知》"
            "（财税[2007]17号）转发给你们，请按照执行。\n上海市财政局\n上海市国家税务局\n上海市地方税务局\n二ＯＯ七年二月六日\n")
    rec = extract_text(text)
    assert rec["issuer"] == ["上海市财政局", "上海市国家税务局", "上海市地方税务局"]
    assert rec["date"] == "2007-02-06" and rec["level"] == "provincial" and rec["carries"] == []
    (c,) = rec["citations"]
    assert (c["doc_number"], c["relation"]) == ("财税〔2007〕17号", "FORWARDS")


def test_forwarded_report_without_number_is_carried_not_cited():
    text = ("国务院办公厅转发民政部关于\n清理整顿社会团体意见的通知\n国办发〔1997〕11号\n\n各省、自治区、直辖市人民政府：\n"
            "民政部《关于清理整顿社会团体的意见》已经国务院同意，现转发给你们，请认真贯彻执行。\n"
            "社会团体要依照《社会团体登记管理条例》和《章程》开展活动。\n")
    rec = extract_text(text)
    assert rec["carries"] == ["关于清理整顿社会团体的意见"]
    assert [(c["title"], c["relation"]) for c in rec["citations"]] == [("社会团体登记管理条例", "BASED_ON")]


def test_a_decree_carries_the_regulation_it_promulgates_and_names_its_issuer():
    from polgraph.extract.find import extract_text

    decree = ("中华人民共和国国务院令\n第706号\n\n《专利代理条例》已经2018年9月6日国务院第23次常务会议修订通过，"
              "现将修订后的《专利代理条例》公布，自2019年3月1日起施行。\n总理　　李克强\n2018年11月6日\n\n专利代理条例\n"
              "第一条　为了规范专利代理行为，根据《中华人民共和国专利法》，制定本条例。\n")
    r = extract_text(decree)
    assert (r["doc_number"], r["issuer"], r["carries"], r["level"]) == (
        "中华人民共和国国务院令第706号", ["国务院"], ["专利代理条例"], "central")
    assert [c["title"] for c in r["citations"]] == ["中华人民共和国专利法"]
    local = "湖北省人民政府令第282号\n《湖北省推广使用车用乙醇汽油试点办法》已经省人民政府常务会议审议通过，现予公布，自公布之日起施行。\n"
    r = extract_text(local)
    assert (r["issuer"], r["carries"], r["citations"]) == (["湖北省人民政府"], ["湖北省推广使用车用乙醇汽油试点办法"], [])
    joint = "1990年3月12日 国家教育委员会令第8号、国家体育运动委员会令第11号发布\n\n<!-- INFO END -->\n第一条 为保证学校体育工作的正常开展，制定本条例。\n"
    assert extract_text("# 学校体育工作条例\n\n" + joint)["issuer"] == ["国家教育委员会", "国家体育运动委员会"]


@pytest.mark.parametrize("heading, body, title", [
    # an organ's decree that publishes a new rule: the rule's title, not the order line, is the document's
    ("青湾市人民政府令\n第31号\n\n", "《青湾市河道采砂管理办法》已经2022年4月6日市人民政府第19次常务会议通过，现予公布，"
     "自2022年7月1日起施行。\n市长　赵某\n2022年4月20日\n\n青湾市河道采砂管理办法\n", "青湾市河道采砂管理办法"),
    # a ministry's order numbered by year, publishing a revised rule (现公布修订后的《X》)
    ("中华人民共和国某某部令\n\n2020 年 第 5 号\n\n", "现公布修订后的《某某行业许可证管理办法》，自2020年9月1日起施行。\n"
     "部长　钱某\n2020年7月2日\n\n某某行业许可证管理办法\n", "某某行业许可证管理办法"),
    # the number alone as the first line, no heading at all
    ("", "某某省人民政府令第205号\n《某某省林地保护条例实施办法》已经省人民政府常务会议审议通过，现予公布，自公布之日起施行。\n",
     "某某省林地保护条例实施办法"),
], ids=["city decree", "ministry decree by year", "number line only"])
def test_a_decree_is_titled_by_the_rule_it_publishes(heading, body, title):
    """A 令 publishes the rule it carries and is known by that rule's title (portals list it so, citations name
    it so); before, its title was its order line (中华人民共和国某某部令) or nothing."""
    r = extract_text(heading + body + "第一条　为了加强管理，根据《中华人民共和国森林法》，制定本办法。\n")
    assert (r["title"], r["carries"]) == (title, [title])
    assert [c["title"] for c in r["citations"]] == ["中华人民共和国森林法"]


def test_a_decree_page_whose_title_field_is_the_order_line(tmp_path):
    from polgraph.extract.read import read_documents

    page = ("<html><head><title>青湾市人民政府令第31号</title></head><body><table>"
            "<tr><td>发文字号：</td><td>青湾市人民政府令第31号</td><td>成文日期：</td><td>2022-04-20</td></tr>"
            "<tr><td>标题：</td><td>青湾市人民政府令第31号</td></tr></table>"
            "<p>青湾市人民政府令</p><p>第31号</p><p>《青湾市河道采砂管理办法》已经2022年4月6日市人民政府第19次常务会议通过，"
            "现予公布，自2022年7月1日起施行。</p><p>市长　赵某</p><p>2022年4月20日</p></body></html>")
    p = tmp_path / "decree.html"
    p.write_text(page, encoding="utf-8")
    [doc] = read_documents(str(p))
    r = extract_text(doc.text, doc.path, doc.overrides, doc.header)
    assert (r["title"], r["doc_number"], r["date"]) == ("青湾市河道采砂管理办法", "青湾市人民政府令第31号", "2022-04-20")


def test_an_order_line_over_no_carried_rule_stays_the_title():
    r = extract_text("某某市人民政府令\n第8号\n\n某某市人民政府决定废止下列规章：\n一、某某市市容管理规定\n")
    assert r["title"] == "某某市人民政府令"


def test_a_short_line_that_cites_a_number_is_not_the_own_number_line():
    from polgraph.extract.find import extract_text

    r = extract_text("某某县人民政府关于做好某某工作的通知\n\n根据国发〔2015〕33号\n文件精神，现通知如下。\n")
    assert r["doc_number"] is None
    assert [(c["doc_number"], c["relation"]) for c in r["citations"]] == [("国发〔2015〕33号", "BASED_ON")]
    assert extract_text("国办发〔2015〕33号\n\n国务院办公厅关于某某的意见\n")["doc_number"] == "国办发〔2015〕33号"


def test_a_heading_wrapped_inside_its_nested_title_is_joined_whole():
    from polgraph.extract.find import extract_text

    text = ("国务院关于在海南博鳌乐城国际医疗旅游先行区\n暂时调整实施《中华人民共和国药品管理法\n实施条例》有关规定的决定\n"
            "国发〔2018〕43号\n为进一步支持试点，国务院决定暂时调整实施《中华人民共和国药品管理法实施条例》第三十六条的规定。\n")
    r = extract_text(text)
    assert r["title"] == "国务院关于在海南博鳌乐城国际医疗旅游先行区暂时调整实施《中华人民共和国药品管理法实施条例》有关规定的决定"
    # the law's first mention is the body's, not the heading's
    [c] = r["citations"]
    assert c["title"] == "中华人民共和国药品管理法实施条例" and c["start"] > text.index("国发")


def test_a_title_without_its_edition_is_the_document_itself_but_not_without_its_part():
    from polgraph.extract.find import extract_text

    guide = ("国家智能制造标准体系建设指南\n（2021 版）\n\n一、总体要求\n"
             "紧密贴合产业发展需求，适时修订《国家智能制造标准体系建设指南》，依据《国家标准化发展纲要》制定标准。\n")
    r = extract_text(guide)
    assert r["title"] == "国家智能制造标准体系建设指南（2021 版）"
    assert [c["title"] for c in r["citations"]] == ["国家标准化发展纲要"]
    # （二） and （试行） name documents of their own: the first interpretation is cited by the second
    second = ("最高人民法院关于审理某某案件适用法律若干问题的解释（二）\n\n"
              "根据《最高人民法院关于审理某某案件适用法律若干问题的解释》，制定本解释。\n")
    assert [c["title"] for c in extract_text(second)["citations"]] == ["最高人民法院关于审理某某案件适用法律若干问题的解释"]


def test_a_signature_padded_with_spaces_on_a_web_page():
    from polgraph.extract.find import extract_text

    pad = " " * 150
    text = ("为进一步规范完税价格审定工作，根据《中华人民共和国海关审定进出口货物完税价格办法》，现就有关事项公告如下：\n"
            "一、租赁飞机的完税价格依法审定。\n" + pad + "海关总署\n" + pad + "2016 年1月29日\n浏览次数：\n打印本页\n关闭\n")
    r = extract_text(text)
    assert (r["issuer"], r["date"], r["level"]) == (["海关总署"], "2016-01-29", "central")


# --- the document's own issuer and date (GUIDELINES "own": issuer, date) -----------------------------------------
def test_an_organ_named_without_its_place_takes_the_place_the_document_names_as_its_own():
    # the Tianjin bureau names its city nowhere but in a district of its contact address
    text = ("市工业和信息化局关于做好2021年企业技术中心推荐工作的通知\n各区工业和信息化主管部门：\n"
            "现就我市推荐工作通知如下。\n（联系人：市工业和信息化局科技处；地址：河西区某某路1号）\n")
    rec = extract_text(text)
    assert (rec["issuer"], rec["level"], rec["region"]) == (["天津市工业和信息化局"], "provincial", "天津市")
    signed = "关于做好预算工作的通知\n各州（市）财政局：\n云南省各地要做好工作。昆明市先行。\n省财政厅\n2020年3月2日\n"
    assert extract_text(signed)["issuer"] == ["云南省财政厅"]
    # no place named: the organ as written
    assert extract_text("市财政局关于做好预算工作的通知\n各有关单位：\n现通知如下。\n")["issuer"] == ["市财政局"]


def test_a_signature_abbreviating_the_organ_the_title_names_in_full_gives_way_to_the_title():
    text = ("粤办函〔2017〕9号\n广东省人民政府办公厅关于印发某某工作方案的通知\n各地级以上市人民政府：\n"
            "《某某工作方案》已经省人民政府同意，现印发给你们。\n    省府办公厅\n2017年3月21日\n")
    assert extract_text(text)["issuer"] == ["广东省人民政府办公厅"]


@pytest.mark.parametrize("signature, issuers", [
    ("科 技 部", ["科技部"]),
    ("中 央 网 信 办", ["中央网信办"]),
    ("国 务 院   财 政 部", ["国务院", "财政部"]),  # the wider gap parts two letter-spaced names
    ("科\u3000技\u3000部", ["科技部"]),
    ("工业和信息化部办公厅国家标准化管理委员会办公室", ["工业和信息化部办公厅", "国家标准化管理委员会办公室"]),
    ("国家数据局\n财政部\n自然资源部", ["国家数据局", "财政部", "自然资源部"]),  # one organ a line
    ("国家自然科学基金委员会\n国际合作局", ["国家自然科学基金委员会国际合作局"]),  # a unit under its organ
    ("国务院办公厅         &sp;", ["国务院办公厅"]),  # an entity a scraper left
])
def test_signature_block_names(signature, issuers):
    text = f"关于开展某某工作的通知\n各有关单位：\n请认真组织实施。\n\n{signature}\n2019年5月22日\n（此件主动公开）\n"
    rec = extract_text(text)
    assert (rec["issuer"], rec["date"]) == (issuers, "2019-05-22")


def test_joint_issuers_run_together_in_a_title_head_are_each_named():
    assert split_issuers("国家发展改革委国家能源局") == ["国家发展改革委", "国家能源局"]
    assert split_issuers("中央纪委国家监委") == ["中央纪委国家监委"]  # listed whole: one organ
    assert split_issuers("国家税务总局山西省税务局") == ["国家税务总局山西省税务局"]  # a central organ's local office
    rec = extract_text("国家发展改革委国家能源局关于印发《某某管理办法》的通知\n各省、自治区、直辖市发展改革委：\n现印发给你们。\n")
    assert rec["issuer"] == ["国家发展改革委", "国家能源局"]


def test_date_in_chinese_numerals_under_the_signature():
    text = "关于某某事项的批复\n某某市人民政府：\n你市来文收悉。现批复如下。\n湖南省人民政府\n二〇二〇年九月二十二日\n"
    rec = extract_text(text)
    assert (rec["issuer"], rec["date"]) == (["湖南省人民政府"], "2020-09-22")


def test_signature_date_before_the_printing_date():
    # the seal covers the organ: the date line stands alone; the 版记 names the printing office and its date
    body = "关于推进某某工作的通知\n各区工业和信息化局：\n现就有关工作通知如下。\n\n"
    sealed = body + "2020年9月20日\n\n抄送：某某单位。\n青岛市工业和信息化局办公室\u2003\u20032020年9月22日印发\n"
    assert (extract_text(sealed)["issuer"], extract_text(sealed)["date"]) == (["青岛市工业和信息化局"], "2020-09-20")
    signed = body + "青岛市工业和信息化局\n2020年9月20日\n\n青岛市工业和信息化局办公室  2020年9月22日印发\n"
    assert (extract_text(signed)["issuer"], extract_text(signed)["date"]) == (["青岛市工业和信息化局"], "2020-09-20")
    printed_only = body + "青岛市工业和信息化局办公室\u2003\u20032020年9月22日印发\n"
    rec = extract_text(printed_only)
    assert (rec["issuer"], rec["date"]) == (["青岛市工业和信息化局"], "2020-09-22")


def test_a_notice_opening_with_its_verb_names_no_organ_before_it():
    text = ("辽政发〔1998〕3号\n批转省经贸委关于某某行业调整结构若干意见的通知\n各市人民政府：\n"
            "省政府同意省经贸委《关于某某行业调整结构的若干意见》，现转发给你们。\n\n一九九八年八月十一日\n\n"
            "关于某某行业调整结构的若干意见\n一、……\n省经贸委\n一九九八年七月二十七日\n")
    assert "批转省经贸委" not in extract_text(text)["issuer"]


def test_a_report_names_its_author_in_its_opening():
    text = ("乡镇综合执法改革中的问题与建议\n\n为掌握改革进展，某某市委编办通过问卷调查和实地走访，对各乡镇改革工作进行了一次全面调研。"
            "现将情况报告如下。\n一、基本情况\n")
    assert extract_text(text)["issuer"] == ["某某市委编办"]
    group = ("调研报告：关于权力清单的几点思考\n\n近日，中共XX省委党校20XX年第二期进修班第三课题组全体学员，"
             "在XX区就权力清单问题进行了专题调研。\n")
    assert extract_text(group)["issuer"] == ["中共XX省委党校20XX年第二期进修班第三课题组"]
    # a rule's article speaking of a survey names no author of the text
    law = "# 某某市统计条例\n\n第十一条 市统计机构负责组织实施，并与国家统计局派出机构共同开展统计调查工作。\n"
    assert extract_text(law)["issuer"] == []


def test_a_law_history_term_is_not_part_of_the_organ():
    text = ("# 某某条例\n\n2014年10月29日 市十四届人大常委会第十九次会议通过\n\n2014年11月28日 省十二届人大常委会第十四次会议批准\n\n"
            "<!-- INFO END -->\n\n第一条 为了促进宁波市终身教育，结合本市实际，制定本条例。宁波市各区县落实。\n")
    assert extract_text(text)["issuer"] == ["宁波市人大常委会"]


@pytest.mark.parametrize("header, issuers", [
    ("2016年3月15日 某某市第三届人民代表大会第七次会议通过\n\n2016年3月31日 浙江省第十二届人民代表大会常务委员会第二十八次会议批准",
     ["某某市人民代表大会"]),  # the congress itself, not its standing committee; the approval is no authorship
    ("2001年10月28日 山东省第九届人民代表大会常务委员会第二十三次通过", ["山东省人民代表大会常务委员会"]),
    ("1986年12月3日 国务院批准\u3000\n\n1986年12月25日 公安部公布", ["公安部"]),
    ("1985年10月24日 国务院、中央军委发布\u3000", ["国务院", "中央军委"]),
    ("2019年12月2日 最高人民检察院第十三届检察委员会第二十八次会议通过", ["最高人民检察院"]),
    ("2005年6月23日 中华人民共和国国务院、中华人民共和国中央军事委员会令第438号公布", ["国务院", "中央军事委员会"]),
    ("2019年2月24日 经某某自治县第九届人民代表大会第三次会议审议通过", ["某某自治县人民代表大会"]),
])
def test_law_history_header_names_its_issuing_organs(header, issuers):
    rec = extract_text(f"# 某某管理办法\n\n{header}\n\n<!-- INFO END -->\n\n第一条 为了加强管理，制定本办法。\n")
    assert rec["issuer"] == issuers


def test_a_signature_dated_in_full_width_digits():
    text = "关于做好防汛工作的通知\n各乡镇人民政府：\n现就做好防汛工作通知如下。\n某县人民政府办公室\n２０２１年６月３０日\n"
    rec = extract_text(text)
    assert (rec["date"], rec["issuer"]) == ("2021-06-30", ["某县人民政府办公室"])


def test_a_header_date_written_as_digits_alone():
    rec = extract_text("成文日期：20210630\n发文字号：某政办〔2021〕3号\n关于做好防汛工作的通知\n各乡镇：\n现通知如下。\n")
    assert (rec["date"], rec["sources"]["date"]) == ("2021-06-30", "header")


def test_a_date_set_with_spaces_between_its_parts_closes_the_text():
    text = "关于某某工程的批复\n某某中心：\n你单位的请示收悉。现批复如下。\n" + " " * 60 + "2017\u2002\u2002 年\u2002\u2002 11\u2002\u2002 月\u2002\u2002 24\u2002\u2002 日\n"
    assert extract_text(text)["date"] == "2017-11-24"


def test_a_notice_sealed_before_the_text_it_carries_is_dated_and_issued_by_itself():
    relay = ("天津市人民政府办公厅关于转发市发展改革委拟定的某某实施方案的通知\n津政办发〔2019〕3号\n\n各区人民政府：\n"
             "市发展改革委拟定的《某某实施方案》已经市人民政府同意，现转发给你们，请照此执行。\n\n2019年1月20日\n\n"
             "某某实施方案\n一、总体要求\n市发展改革委\n2019年1月10日\n")
    rec = extract_text(relay)
    assert (rec["issuer"], rec["date"]) == (["天津市人民政府办公厅"], "2019-01-20")
    headless = ("批转省经贸委关于某某行业调整结构若干意见的通知\n各市人民政府：\n"
                "省政府同意省经贸委《关于某某行业调整结构的若干意见》，现转发给你们。\n\n一九九八年八月十一日\n\n"
                "关于某某行业调整结构的若干意见\n一、……\n省经贸委\n一九九八年七月二十七日\n")
    rec = extract_text(headless)
    assert (rec["issuer"], rec["date"]) == ([], "1998-08-11")  # the relayed organ is not the notice's
    # a notice signed before what it carries keeps its own signature
    signed = ("关于印发《某某办法》的通知\n各区财政局：\n现将《某某办法》印发给你们。\n\n天津市财政局\n2019年1月20日\n\n"
              "某某办法\n第一条 为了规范管理，制定本办法。\n某某起草组\n2019年1月10日\n")
    rec = extract_text(signed)
    assert (rec["issuer"], rec["date"]) == (["天津市财政局"], "2019-01-20")


@pytest.mark.parametrize("masthead, issuers", [
    ("青岛市人民政府文件", ["青岛市人民政府"]),
    ("中 共 某 某 市 委 文 件", ["中共某某市委"]),
    ("中共某某市委  某某市人民政府文件", ["中共某某市委", "某某市人民政府"]),
])
def test_a_masthead_is_no_title_and_names_the_issuers(masthead, issuers):
    rec = extract_text(f"{masthead}\n某政发〔2020〕5号\n\n关于做好某某工作的通知\n各县（区）人民政府：\n现就有关事项通知如下。\n")
    assert (rec["title"], rec["issuer"]) == ("关于做好某某工作的通知", issuers)
    assert extract_text("关于规范性文件\n管理工作的通知\n各县：\n现通知如下。\n")["title"] == "关于规范性文件管理工作的通知"


def test_the_own_number_names_the_province_of_an_organ_written_without_it():
    text = "云财预〔2020〕1号\n关于做好预算工作的通知\n各州（市）财政局：\n现通知如下。\n省财政厅\n2020年3月2日\n"
    assert extract_text(text)["issuer"] == ["云南省财政厅"]
    text = "津财预〔2020〕1号\n关于做好预算工作的通知\n各区财政局：\n现通知如下。\n市财政局\n2020年3月2日\n"
    assert extract_text(text)["issuer"] == ["天津市财政局"]
    # a province's code says nothing of a city bureau's city
    text = "鲁财预〔2020〕1号\n关于做好预算工作的通知\n各区财政局：\n现通知如下。\n市财政局\n2020年3月2日\n"
    assert extract_text(text)["issuer"] == ["市财政局"]


def test_a_number_and_its_title_on_one_line():
    text = ("鲁政发〔2014〕20号《山东省人民政府关于加快某某产业发展的实施意见》\n各市人民政府：\n"
            "为贯彻落实《国务院关于加快某某产业发展的意见》（国发〔2013〕30号），提出如下实施意见。\n")
    rec = extract_text(text)
    assert (rec["title"], rec["doc_number"]) == ("山东省人民政府关于加快某某产业发展的实施意见", "鲁政发〔2014〕20号")
    assert [c["doc_number"] for c in rec["citations"]] == ["国发〔2013〕30号"]
    plain = "鲁政发〔2014〕20号 山东省人民政府关于加快某某产业发展的实施意见\n各市人民政府：\n现提出如下意见。\n"
    assert extract_text(plain)["title"] == "山东省人民政府关于加快某某产业发展的实施意见"


@pytest.mark.parametrize("number_line", ["冀政呈〔2021〕5号                       签发人：王某某",
                                         "冀政呈〔2021〕5号　　签发人：王某某　李某某",
                                         "签发人：王某某        冀政呈〔2021〕5号"])
def test_the_signer_beside_an_upward_documents_number(number_line):
    """A 请示 or 报告 prints its signer (签发人) on its number's line: that line is the number, not the title."""
    text = (f"河北省人民政府文件\n\n{number_line}\n\n河北省人民政府\n关于申请设立河北雄安综合保税区的请示\n\n国务院：\n\n"
            "为加快推进雄安新区开放发展，现就有关事项请示如下。\n\n妥否，请批示。\n\n河北省人民政府\n2021年3月15日\n")
    rec = extract_text(text)
    assert (rec["title"], rec["doc_number"]) == ("河北省人民政府关于申请设立河北雄安综合保税区的请示", "冀政呈〔2021〕5号")


@pytest.mark.parametrize("said, validity", [("现行有效", "in_force"), ("失效", "expired"), ("已被修改", "amended")])
def test_a_law_databases_validity_field(said, validity):
    text = (f"江西省人民政府关于优化营商环境的若干意见\n【发布部门】江西省人民政府\n【发文字号】赣府发〔2022〕9号\n"
            f"【时效性】{said}\n【效力级别】地方规范性文件\n\n各市、县（区）人民政府：\n现提出如下意见。\n")
    assert extract_text(text)["validity"] == validity
    assert "validity" not in extract_text(text.replace("【时效性】", "【备注】"))


@pytest.mark.parametrize("issue", ["中华人民共和国国务院公报 2021年第20号", "广东省人民政府公报 2022年第5期",
                                   "国务院公报2021年第20号（总号1745）"])
def test_a_gazettes_issue_line_is_never_the_title(issue):
    text = (f"{issue}\n\n国务院办公厅关于加快发展保障性租赁住房的意见\n国办发〔2021〕22号\n\n各省、自治区、直辖市人民政府：\n"
            "经国务院同意，现提出以下意见。\n\n国务院办公厅\n2021年6月24日\n")
    rec = extract_text(text)
    assert (rec["title"], rec["doc_number"]) == ("国务院办公厅关于加快发展保障性租赁住房的意见", "国办发〔2021〕22号")
    assert rec["citations"] == []


def test_a_heading_naming_the_carried_instrument_gives_way_to_the_notice_below_it():
    # a law collection heads the page with the instrument; the 印发 notice's own heading follows: the document is
    # the notice (GUIDELINES: the wrapper notice's title), and a title nested in either heading is no mention
    text = ("# 机关单位落实《某某条例》的实施细则\n\n关于印发《机关单位落实<某某条例>的实施细则》的通知\n\n某发〔1996〕12号\n\n"
            "各有关单位：\n\n根据《某某条例》，我部制定了《机关单位落实〈某某条例〉的实施细则》，现印发给你们，请遵照执行。\n\n"
            "某某部\n\n一九九六年四月二日\n")
    rec = extract_text(text)
    assert rec["title"] == "关于印发《机关单位落实《某某条例》的实施细则》的通知"
    assert rec["carries"] == ["机关单位落实《某某条例》的实施细则"] and rec["doc_number"] == "某发〔1996〕12号"
    assert [(c["title"], c["relation"]) for c in rec["citations"]] == [("某某条例", "BASED_ON")]
    # a notice carrying something else below the heading leaves the heading alone
    other = text.replace("关于印发《机关单位落实<某某条例>的实施细则》的通知", "关于印发《另一办法》的通知")
    assert extract_text(other)["title"] == "机关单位落实《某某条例》的实施细则"


def test_a_byline_under_the_heading_names_the_issuer_only_when_nothing_else_does():
    byline = "某省某某管理办法\n\n某省林业厅\n\n第一条 为加强管理，制定本办法。\n"
    assert extract_text(byline)["issuer"] == ["某省林业厅"]
    dated = "某某暂行规定\n1995年3月8日，水利部\n\n第一条 为加强管理，制定本规定。\n"
    assert (extract_text(dated)["issuer"], extract_text(dated)["date"]) == (["水利部"], "1995-03-08")
    # a signature names the organ: the line under the heading is not read
    signed = "某省某某管理办法\n\n某省林业厅\n\n第一条 为加强管理，制定本办法。\n\n某省人民政府\n2001年2月3日\n"
    assert extract_text(signed)["issuer"] == ["某省人民政府"]
    # the body has begun: an organ's name after the first sentence is no byline
    body = "某某管理办法\n\n为加强管理，制定本办法。\n\n某省林业厅\n"
    assert extract_text(body)["issuer"] == []


def test_a_decree_numbered_by_a_bare_organ_word_takes_its_organ_from_the_page():
    # law sites print a provincial decree as 政府令〔2012〕第9号 under the organ's byline: 政府 names no organ
    text = ("您的位置: 首页 » 法规资料库 » 法律法规 »\n\n江南省森林草原防火管理规定\n\n"
            "作者:法规资料库 时间:2024-06-11 08:12:40  浏览:5120   来源:法规资料库\n下载地址: 点击此处下载\n\n"
            "江南省森林草原防火管理规定\n\n江南省人民政府\n\n\n江南省森林草原防火管理规定\n\n政府令〔2012〕第9号\n\n\n"
            "《江南省森林草原防火管理规定》已经2012年10月9日省政府第31次常务会议通过，现予公布，自2013年1月1日起施行。\n\n"
            "省长\n\n二○一二年十月二十二日\n\n江南省森林草原防火管理规定\n\n第一章总则\n\n"
            "第一条为了预防和扑救森林草原火灾，根据《森林防火条例》，结合本省实际，制定本规定。\n")
    rec = extract_text(text)
    assert (rec["title"], rec["doc_number"], rec["issuer"], rec["date"], rec["level"]) == (
        "江南省森林草原防火管理规定", "政府令〔2012〕第9号", ["江南省人民政府"], "2012-10-22", "provincial")
    # an order of a named organ is still that organ's
    named = text.replace("政府令〔2012〕第9号", "江南省人民政府令第9号").replace("江南省人民政府\n\n\n", "")
    assert extract_text(named)["issuer"] == ["江南省人民政府"]
