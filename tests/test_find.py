"""Citation finding: titles, cues, merging, exclusions, offsets (extract/find.py, titles.py, cues.py)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polgraph.extract.cues import clause_before, find_post_cue, find_pre_cue, load_cues
from polgraph.extract.find import extract_text
from polgraph.extract.titles import clean_title, find_titles, is_document_title, title_key


def cites(text):
    return extract_text(text)["citations"]


def by_key(cits):
    return {(c["doc_number"] or c["title"]): c for c in cits}


# ------------------------------------------------------------------------------------------------ titles

def test_nested_titles_are_written_with_inner_book_brackets():
    text = "根据《关于印发<山西省深化县级公立医院人事制度改革意见>的通知》和《关于印发〈A办法〉的通知》"
    assert [t.title for t in find_titles(text)] == ["关于印发《山西省深化县级公立医院人事制度改革意见》的通知",
                                                     "关于印发《A办法》的通知"]
    inner = "《民政部办公厅关于落实《关于切实解决老年人运用智能技术困难的实施方案》的通知》"
    assert find_titles(inner)[0].title == "民政部办公厅关于落实《关于切实解决老年人运用智能技术困难的实施方案》的通知"


def test_title_across_hard_line_break_keeps_offsets():
    text = "中纪委、中组部印发《关于开展县委权\n力公开透明运行试点工作的意见》,对在各省"
    (t,) = find_titles(text)
    assert t.title == "关于开展县委权力公开透明运行试点工作的意见"
    assert text[t.start] == "《" and text[t.end - 1] == "》"


def test_prose_and_unclosed_brackets_are_not_titles():
    assert find_titles("他说《这是一句话。然后》结束") == []
    assert [t.title for t in find_titles("《未闭合的书名号后面还有《真正的办法》")] == ["真正的办法"]
    assert find_titles("《段落一\n\n段落二》") == []


def test_title_kinds_from_data_file():
    assert is_document_title("中华人民共和国预算法")
    assert is_document_title("国家重点保护野生动物名录")
    assert is_document_title("濒危野生动植物种国际贸易公约")
    assert is_document_title("城镇社区防灾减灾指南")
    assert is_document_title("青岛市工业互联网三年攻坚实施方案（2020-2022年）")
    assert not is_document_title("国家自然科学基金项目资金预算表")
    assert not is_document_title("国家自然科学基金国际（地区）合作与交流项目申请书")
    assert not is_document_title("人民日报")
    assert is_document_title("国家自然科学基金项目资金预算表编制说明")
    # reports: a document submitted or published (关于…的报告, 政府工作报告) is cited, a deliverable is not
    assert is_document_title("国务院批转教育部关于高等教育自学考试试行办法的报告")
    assert is_document_title("政府工作报告")
    assert not is_document_title("房屋安全鉴定报告")
    assert not is_document_title("关于募集融通中证人工智能主题指数证券投资基金（LOF）的申请报告")


def test_title_key_ignores_brackets_quotes_and_space():
    assert title_key("中共中央办公厅 国务院办公厅关于印发〈X〉的通知") == title_key("中共中央办公厅国务院办公厅关于印发《X》的通知")
    assert clean_title("A<B>C") == "A《B》C"


# -------------------------------------------------------------------------------------------------- cues

def test_cue_table_loads_and_has_every_relation():
    pre, post = load_cues()
    rels = {c.relation for c in pre + post}
    assert {"IMPLEMENTS", "BASED_ON", "REFERS_TO", "FORWARDS", "REPEALS", "AMENDS"} <= rels
    assert any(c.phrase == "同时废止" for c in post)


def test_clause_skips_brackets_and_stops_at_clause_punctuation():
    text = "为深入贯彻党的十八大精神，根据协议和《A通知》（苏政办发〔2013〕8号）要求和《B决定》精神"
    clause = clause_before(text, text.index("《B"))
    assert "根据" in clause and "A通知" not in clause and "十八大" not in clause


def test_the_verb_decides_not_the_following_jingshen():
    c = by_key(cites("按照《城市规划管理办法》精神，做好工作。"))
    assert c["城市规划管理办法"]["relation"] == "BASED_ON"
    c = by_key(cites("各地要认真贯彻落实《国务院关于加强安全生产的决定》。"))
    assert c["国务院关于加强安全生产的决定"]["relation"] == "IMPLEMENTS"


def test_nearest_and_longest_cue_wins():
    assert find_pre_cue("财政部正在修改").relation == "NONE"
    assert find_pre_cue("严格贯彻落实").relation == "IMPLEMENTS"
    assert find_pre_cue("为贯彻落实党中央决策部署，根据").relation == "BASED_ON"
    # 根据 + a date opens a history clause, a `next` cue needs to stand right before the mention
    assert find_pre_cue("根据1997年4月16日市人大常委会会议", history=True) is None
    assert find_pre_cue("根据1997年4月16日市人大常委会会议通过的《决定》修正的") is None
    assert find_pre_cue("依据2021年11月11日发布的").relation == "BASED_ON"
    assert find_pre_cue("第12号令修改的") is None


def test_relations_of_the_guidelines():
    text = ("根据《中华人民共和国宪法》和《中华人民共和国国务院组织法》，制定本规则。"
            "参照《城镇社区防灾减灾指南》执行。结合实施《苏南现代化建设示范区规划》。"
            "现将财政部《关于调整出口退税的通知》（财税〔2007〕17号）转发给你们。"
            "本办法自发布之日起施行，《旧管理办法》（财预〔2019〕108号）同时废止。"
            "财政部正在修改《政府采购管理办法》。修订《安全生产条例》。")
    c = by_key(cites(text))
    assert c["中华人民共和国宪法"]["relation"] == "BASED_ON"
    assert c["中华人民共和国国务院组织法"]["relation"] == "BASED_ON"
    assert c["城镇社区防灾减灾指南"]["relation"] == "REFERS_TO"
    assert c["苏南现代化建设示范区规划"]["relation"] == "CITES"
    assert c["财税〔2007〕17号"]["relation"] == "FORWARDS"
    assert c["财预〔2019〕108号"]["relation"] == "REPEALS"
    assert c["政府采购管理办法"]["relation"] == "CITES"
    assert c["安全生产条例"]["relation"] == "AMENDS"


def test_a_later_document_repealing_part_of_this_one_is_its_basis():
    text = ("依据2021年11月11日发布的《国家发展改革委国家能源局关于印发〈售电公司管理办法〉的通知》（发改体改规〔2021〕1595号），"
            "本通知中附件《售电公司准入与退出管理办法》废止。")
    c = by_key(cites(text))
    assert c["发改体改规〔2021〕1595号"]["relation"] == "BASED_ON"


def test_repeal_at_the_end_of_a_list_sentence():
    text = ("1994年市人民政府发布、根据1997年市人大常委会《关于修改〈甲条例〉的决定》修正的《甲条例》，"
            "1986年市人民政府京政发〔1986〕148号文件发布的《乙规定》同时废止。")
    c = by_key(cites(text))
    assert c["关于修改《甲条例》的决定"]["relation"] == "CITES"
    assert c["甲条例"]["relation"] == "REPEALS"
    assert c["京政发〔1986〕148号"]["title"] == "乙规定"
    assert c["京政发〔1986〕148号"]["relation"] == "REPEALS"
    assert find_post_cue("《X》同时废止。", 3)[0].relation == "REPEALS"


# --------------------------------------------------------------------------------------- merging, lists

def test_number_belongs_to_the_title_it_follows_only():
    text = ("为贯彻落实《中共中央关于全面深化改革若干重大问题的决定》、《中共中央国务院关于深化医药卫生体制改革的意见》"
            "及《国务院关于印发“十二五”期间深化医药卫生体制改革规划暨实施方案的通知》(国发〔2012〕11号)精神，提出如下意见。")
    cits = cites(text)
    assert [c["doc_number"] for c in cits] == [None, None, "国发〔2012〕11号"]
    assert all(c["relation"] == "IMPLEMENTS" for c in cits)
    last = cits[-1]
    assert "国发〔2012〕11号" in text[last["start"]:last["end"]] and "《国务院关于印发" in text[last["start"]:last["end"]]


def test_number_list_is_two_documents():
    cits = cites("根据国发〔2015〕33号、34号文件精神，制定本办法。")
    assert [c["doc_number"] for c in cits] == ["国发〔2015〕33号", "国发〔2015〕34号"]
    assert all(c["relation"] == "BASED_ON" for c in cits)


def test_issuer_before_title_goes_to_cited_issuer():
    text = ("根据山西省人力资源和社会保障厅《关于印发<山西省深化县级公立医院人事制度改革意见>的通知》(晋人社厅[2012]106号)和"
            "安泽县人民政府办公室《关于印发<安泽县深化公立医院改革实施方案(试行)>的通知》(安政办发[2012]26号)的有关精神")
    c = by_key(cites(text))
    assert c["晋人社厅〔2012〕106号"]["cited_issuer"] == "山西省人力资源和社会保障厅"
    assert c["安政办发〔2012〕26号"]["cited_issuer"] == "安泽县人民政府办公室"
    assert c["安政办发〔2012〕26号"]["title"] == "关于印发《安泽县深化公立医院改革实施方案(试行)》的通知"
    assert {x["relation"] for x in c.values()} == {"BASED_ON"}


def test_anonymised_numbers_are_kept_and_flagged():
    (c,) = cites("为贯彻落实《xx省人民政府办公厅关于印发若干意见的通知》(xx 办函〔x〕529号),结合我市实际")
    assert c["anonymised"] is True and c["doc_number_raw"]


def test_one_citation_per_document_first_mention_decides_and_mentions_kept():
    text = ("应遵守《中华人民共和国道路交通安全法》及其实施条例。\n"
            "由公安机关依据《中华人民共和国道路交通安全法》处理。")
    (c,) = cites(text)
    assert c["relation"] == "CITES" and len(c["mentions"]) == 2
    assert c["mentions"][1]["relation"] == "BASED_ON"


def test_titles_in_lists_with_a_number_beside_them():
    text = "附件\n1.上海市科技创新管理办法（试行） 文号：沪科合〔2005〕第11号\n"
    (c,) = cites(text)
    assert c["doc_number"] == "沪科合〔2005〕11号" and c["title"] == "上海市科技创新管理办法（试行）"


def test_vehicle_number_joins_the_title_it_issued():
    (c,) = cites("1998年9月17日，我院以法〔1998〕86号通知印发了《关于人民法院受理离婚判决案件几个问题的意见》，现作如下规定：")
    assert c["doc_number"] == "法〔1998〕86号" and c["title"].startswith("关于人民法院")


# ---------------------------------------------------------------------------------------------- exclusions

def test_exclusions():
    text = ("国务院办公厅关于印发国家组织药品集中采购和使用试点方案的通知\n国办发〔2019〕2号\n"
            "《国家组织药品集中采购和使用试点方案》（以下简称《方案》）已经国务院同意，现印发给你们。\n"
            "各试点城市要按照《方案》要求制定实施方案。附件1《企业信息登记表》。附件：2.《参会回执》\n"
            "请阅读《人民日报》，填写《项目申请书》。研究制定统一的《中国共产党县(区)委员会工作规则》。\n"
            "党的十九大精神。根据预算法的规定。按照《处方管理办法》执行。")
    rec = extract_text(text)
    assert rec["doc_number"] == "国办发〔2019〕2号"
    assert rec["carries"] == ["国家组织药品集中采购和使用试点方案"]
    assert [(c["title"], c["relation"]) for c in rec["citations"]] == [("处方管理办法", "BASED_ON")]


def test_abbreviation_of_a_cited_title_is_the_same_document():
    text = "根据《国家自然科学基金资助项目资金管理办法》（以下简称《办法》），严格按照《办法》执行。"
    (c,) = cites(text)
    assert c["title"] == "国家自然科学基金资助项目资金管理办法" and len(c["mentions"]) == 2


# ------------------------------------------------------------------------------------- robustness (fuzz)

FRAGMENTS = ["《", "》", "<", ">", "〈", "〉", "（", "）", "(", ")", "〔", "〕", "[", "]", "，", "。", "、", "\n", "\n\n",
             "国发〔2012〕11号", "国办发[2015]33号", "33号、34号", "xx 办函〔x〕529号", "国务院令第588号", "〔2020〕",
             "根据", "为贯彻落实", "同时废止", "精神", "以下简称", "附件1", "研究制定", "关于印发", "的通知", "办法",
             "现将", "印发给你们", "文号：", "【字号】", "2022年6月20日", "二〇〇四年六月二十六日", "我县", "本市",
             "山西省人民政府", "# ", "<!-- INFO END -->", "号", "第", "令", "年", "1", "x"]


def _check_record(text, rec):
    assert set(rec) >= {"path", "title", "doc_number", "issuer", "date", "level", "carries", "citations"}
    for c in rec["citations"]:
        assert 0 <= c["start"] < c["end"] <= len(text)
        span = text[c["start"]:c["end"]]
        if c["doc_number_raw"] is not None:
            assert any(m["start"] <= c["start"] for m in c["mentions"])
        if c["title"] is not None and c["doc_number_raw"] is None:
            assert title_key(c["title"]) in title_key(clean_title(span)) or c["title"] in span.replace("\n", "")
        if c["doc_number_raw"] is not None and c["title"] is None:
            assert c["doc_number_raw"] in span
        for m in c["mentions"]:
            assert 0 <= m["start"] < m["end"] <= len(text)
        assert c["relation"] in ("IMPLEMENTS", "BASED_ON", "REFERS_TO", "FORWARDS", "REPEALS", "AMENDS", "CITES")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40).map("".join))
def test_never_raises_and_spans_hold_what_they_report(text):
    _check_record(text, extract_text(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_unicode(text):
    _check_record(text, extract_text(text, path="x.txt", overrides={}))


def test_list_of_repealed_documents_with_titles_above_their_numbers():
    text = ("沪科〔2014〕12号\n关于5件规范性文件失效的通知\n各有关单位：\n"
            "根据《上海市行政规范性文件制定和备案规定》（上海市人民政府令第26号），现对以下规范性文件宣布失效：\n"
            "1.上海市大学生科技创业基金管理办法（试行）\n发文单位：市科委、市教委\n文号：沪科合〔2005〕第11号\n"
            "2.上海科普图书创作出版专项实施细则（试行）\n发文单位：市科委\n文号：沪科科普〔2010〕23号\n特此通知。\n")
    rec = extract_text(text)
    assert rec["doc_number"] == "沪科〔2014〕12号"
    got = [(c["doc_number"], c["title"], c["relation"]) for c in rec["citations"]]
    assert got == [("上海市人民政府令第26号", "上海市行政规范性文件制定和备案规定", "BASED_ON"),
                   ("沪科合〔2005〕11号", "上海市大学生科技创业基金管理办法（试行）", "REPEALS"),
                   ("沪科科普〔2010〕23号", "上海科普图书创作出版专项实施细则（试行）", "REPEALS")]
    for c in rec["citations"]:
        assert c["title"] in text[c["start"]:c["end"]] and c["doc_number_raw"] in text[c["start"]:c["end"]]


def test_number_written_right_before_its_title_is_one_citation():
    (c,) = cites("根据2013年7月18日国务院令第638号《国务院关于废止和修改部分行政法规的决定》第二次修订。")
    assert c["doc_number"] == "国务院令第638号" and c["title"] == "国务院关于废止和修改部分行政法规的决定"


def test_cited_issuer_needs_an_organ_not_a_clause():
    (c,) = cites("经环保部门监测，噪声超过农业部《畜禽场环境质量及卫生控制规范》的，依法处理。")
    assert c["cited_issuer"] is None
    (c,) = cites("中共XX省委《关于全面加强基层党组织和基层政权建设的决定》指出，深化改革。")
    assert c["cited_issuer"] == "中共XX省委" and c["relation"] == "CITES"


def test_issuer_of_a_forwarded_document_after_xianjiang():
    # 现将X《…》转发给你们: X is the cited document's issuer, 现将 is not part of it
    text = "现将财政部、国家税务总局《关于调整个人所得税有关问题的通知》（财税〔2007〕17号）转发给你们，请遵照执行。"
    (c,) = extract_text(text, "x.txt")["citations"]
    assert c["relation"] == "FORWARDS" and c["doc_number"] == "财税〔2007〕17号"
    assert c["cited_issuer"] == "财政部、国家税务总局"


# ------------------------------------------------------------------------------------------------ lists

REPEAL_LIST = ("国务院关于废止部分规范性文件的决定\n\n现决定废止下列文件：\n"
               "1.国务院办公厅关于加强土地储备管理的通知（国办发〔2005〕12号）\n"
               "2.《国务院关于加快发展服务业的若干意见》（国发〔2008〕3号）；\n"
               "3.财政部关于调整出口退税率的通知 文号：财税〔2007〕17号\n"
               "4.国办发〔2004〕28号\n\n"
               "本决定自发布之日起施行。\n")


def test_items_of_a_repeal_list_are_repealed_with_their_titles():
    record = extract_text(REPEAL_LIST)
    got = [(c["doc_number"], c["title"], c["relation"], c["cue"]) for c in record["citations"]]
    assert got == [("国办发〔2005〕12号", "国务院办公厅关于加强土地储备管理的通知", "REPEALS", "废止"),
                   ("国发〔2008〕3号", "国务院关于加快发展服务业的若干意见", "REPEALS", "废止"),
                   ("财税〔2007〕17号", "财政部关于调整出口退税率的通知", "REPEALS", "废止"),
                   ("国办发〔2004〕28号", None, "REPEALS", "废止")]
    for c in record["citations"]:
        assert c["doc_number"] in REPEAL_LIST[c["start"]:c["end"]]
        if c["title"]:
            assert REPEAL_LIST[c["start"]:c["end"]].startswith((c["title"], "《" + c["title"]))
    # the last item of the list is not the decision's own number
    assert record["doc_number"] is None


def test_a_list_of_titles_takes_the_cue_of_its_intro_line():
    text = "关于印发某某办法的通知\n\n依据下列法律法规：\n1.《中华人民共和国预算法》\n2.《中华人民共和国政府采购法》；\n\n特制定本办法。\n"
    assert [(c["title"], c["relation"]) for c in cites(text)] == [("中华人民共和国预算法", "BASED_ON"),
                                                                  ("中华人民共和国政府采购法", "BASED_ON")]


def test_running_text_between_intro_and_item_ends_the_list():
    text = ("关于做好某某工作的通知\n\n现将有关事项通知如下：\n各地要认真做好废止文件的清理工作。\n"
            "1.《国务院关于加快发展服务业的若干意见》（国发〔2008〕3号）\n")
    assert [(c["doc_number"], c["relation"]) for c in cites(text)] == [("国发〔2008〕3号", "CITES")]


def test_a_list_line_with_more_than_the_citation_keeps_its_own_cue():
    text = ("关于印发某某方案的通知\n\n现将有关事项通知如下：\n"
            "1.根据《国务院关于加快发展服务业的若干意见》（国发〔2008〕3号），制定本方案。\n")
    assert [(c["doc_number"], c["title"], c["relation"]) for c in cites(text)] == [
        ("国发〔2008〕3号", "国务院关于加快发展服务业的若干意见", "BASED_ON")]


def test_every_item_of_a_long_repeal_list_is_repealed():
    # the intro line is far above the last items (more than a window), and item numbers reach four digits
    text = "现决定废止下列文件：\n" + "".join(f"{i + 1}.国办发〔2015〕{i + 1}号；\n" for i in range(1200))
    got = cites(text)
    assert len(got) == 1200 and {c["relation"] for c in got} == {"REPEALS"}


def test_a_joint_issuers_order_number_is_the_document_itself():
    text = ("# 学校体育工作条例\n\n1990年2月20日 国务院批准\n\n"
            "1990年3月12日 国家教育委员会令第8号、国家体育运动委员会令第11号发布\n\n<!-- INFO END -->\n\n"
            "第一条 为保证学校体育工作的正常开展，依照《女职工劳动保护规定》，制定本条例。\n")
    record = extract_text(text)
    assert record["doc_number"] == "国家教育委员会令第8号"
    assert [(c["doc_number"], c["title"]) for c in record["citations"]] == [(None, "女职工劳动保护规定")]
    # a number that only follows the own number, in a phrase that does not publish it, is still cited
    cited = extract_text(text.replace("国家体育运动委员会令第11号发布", "国家体育运动委员会令第11号同时废止"))
    assert "国家体育运动委员会令第11号" in [c["doc_number"] for c in cited["citations"]]


def test_a_number_inside_the_title_brackets_is_that_titles_number():
    text = "根据《新一代人工智能发展规划（国发〔2017〕35 号）》、《新时代防震减灾事业现代化纲要（2019-2035年）》，制定本规划。"
    got = [(c["doc_number"], c["title"], c["relation"]) for c in cites(text)]
    assert got == [("国发〔2017〕35号", "新一代人工智能发展规划", "BASED_ON"),
                   (None, "新时代防震减灾事业现代化纲要（2019-2035年）", "BASED_ON")]
