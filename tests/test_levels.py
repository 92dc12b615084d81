"""Level tables (extract/levels.py, data/issuer_codes.tsv, data/central_organs.tsv, data/province_names.tsv,
data/issuer_words.tsv, data/divisions/)."""
from __future__ import annotations

import csv
import io
from importlib import resources

import pytest

from polgraph.extract import levels
from polgraph.extract.levels import find_place, issuer_codes, level_of_agency, level_of_issuer

DATA = resources.files("polgraph.data")


# --- the tables themselves ----------------------------------------------------------------------------------
def _rows(name):
    return [line.split("\t") for line in DATA.joinpath(name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def test_issuer_codes_every_row_parses():
    rows = _rows("issuer_codes.tsv")
    assert len(rows) > 100
    provinces = {r[0] for r in _rows("province_names.tsv")}
    seen = set()
    for r in rows:
        assert len(r) >= 4, r
        code, organ, level, province = r[0].strip(), r[1].strip(), r[2].strip(), r[3].strip()
        assert code and organ
        assert code not in seen, f"{code} twice"
        seen.add(code)
        assert level in ("central", "provincial", "municipal", "county", "ambiguous"), r
        if level in ("central", "ambiguous"):
            assert province == "", r
        else:
            assert province in provinces, r
    assert len(issuer_codes()) == len(rows)


def test_province_names_cover_the_31_divisions():
    rows = _rows("province_names.tsv")
    names = {r[0] for r in rows}
    div = {r["name"] for r in csv.DictReader(io.StringIO(DATA.joinpath("divisions/provinces.csv").read_text("utf-8")))}
    assert names == div and len(names) == 31
    assert len({r[2] for r in rows}) == 31  # one code abbreviation each


def test_former_divisions_rows_parse():
    provinces = {r[0] for r in _rows("province_names.tsv")}
    rows = _rows("divisions_former.tsv")
    assert rows
    for r in rows:
        assert r[1] in ("municipal", "county") and r[2] in provinces, r


def test_central_organs_rows_are_single_names():
    for r in _rows("central_organs.tsv"):
        assert r[0] == r[0].strip() and " " not in r[0] and len(r[0]) >= 2


def test_division_licence_is_shipped():
    assert "DO WHAT THE FUCK YOU WANT TO PUBLIC LICENSE" in DATA.joinpath("divisions/LICENSE").read_text("utf-8")
    assert DATA.joinpath("divisions/SOURCE.md").is_file()


def test_issuer_words_roles_are_known():
    roles = {"partyprefix", "stateprefix", "township", "townshiporgan", "generic", "notafter", "genericarea",
             "anonmark", "anonsuffix", "abbrevunit", "abbrevnotafter", "council", "masthead", "gazette"}
    for r in _rows("issuer_words.tsv"):
        assert r[1].strip() in roles, r
        if r[1].strip() in ("generic", "anonsuffix"):
            assert r[2].strip() in levels.LEVELS
        if r[1].strip() == "abbrevunit":
            assert r[2].strip() in levels._UNIT_KINDS, r


# --- level_of_agency ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("code,expected", [
    ("国办发", ("central", None)),
    ("国发", ("central", None)),
    ("国函", ("central", None)),
    ("国办发明电", ("central", None)),
    ("中办发", ("central", None)),
    ("财税", ("central", None)),
    ("人社部发", ("central", None)),
    ("人社厅发", ("central", None)),
    ("国卫办医函", ("central", None)),
    ("发改投资", ("central", None)),
    ("法释", ("central", None)),
    ("民函", ("central", None)),
    ("国务院令", ("central", None)),
    ("国家税务总局公告", ("central", None)),
    ("中国人民银行令", ("central", None)),
    ("晋人社厅", ("provincial", "山西省")),
    ("晋政发", ("provincial", "山西省")),
    ("云政发", ("provincial", "云南省")),
    ("粤府函", ("provincial", "广东省")),
    ("川办函", ("provincial", "四川省")),
    ("内政字", ("provincial", "内蒙古自治区")),
    ("黔府发", ("provincial", "贵州省")),
    ("沪府办规", ("provincial", "上海市")),
    ("京政发", ("provincial", "北京市")),
    ("苏政办发", ("provincial", "江苏省")),
    ("鲁工信技", ("provincial", "山东省")),
    ("辽住建", ("provincial", "辽宁省")),
    ("沪市监注册", ("provincial", "上海市")),   # 直辖市: 市 is the province itself       # ptc-docnumber-index: ln.gov.cn department numbers
    ("山西省人民政府令", ("provincial", "山西省")),
    ("普政发", ("municipal", "云南省")),
])
def test_known_codes(code, expected):
    assert level_of_agency(code) == expected


@pytest.mark.parametrize("code", [
    "安政办发",   # 安康市 and 安泽县
    "宁政发",     # 宁夏, 南京, a county
    "青政发",     # 青海 and 青田县
    "惠府发",     # 惠州 and 无锡市惠山区
    "汕府",       # 汕头 and 汕尾
    "苏住建规",   # 苏 also opens 苏州市
    "青工信字",   # 青 also opens 青岛市
    "云府",       # not the Yunnan government code (云政); 云浮
    "晋中政发",   # a prefecture's name opens the code
    "黔东南府发",
    "赣市府发",   # 赣州市: abbreviation + 市 is a city's own code
    "宁财发",     # 宁 is shared with 南京 and a county
    "公",         # bare 公 is trusted only at central level
    "xx办函",
    "某某发",
    "",
])
def test_collisions_and_unknown_codes_stay_unknown(code):
    assert level_of_agency(code) == ("unknown", None)


def test_longest_prefix_wins():
    # 国办 is listed, 国办发明电 is not: still central; 苏府 (Suzhou) must beat the 苏 abbreviation rule
    assert level_of_agency("国办公开办函") == ("central", None)
    assert level_of_agency("苏府办") == ("municipal", "江苏省")
    assert level_of_agency("苏政发") == ("provincial", "江苏省")


def test_exact_code_matches_only_itself():
    assert level_of_agency("法") == ("central", None)
    assert level_of_agency("法院发") == ("unknown", None)


# --- level_of_issuer ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,expected", [
    ("国务院办公厅", ("central", None)),
    ("国务院", ("central", None)),
    ("中共中央", ("central", None)),
    ("中共中央办公厅", ("central", None)),
    ("国家发展改革委", ("central", None)),
    ("财政部", ("central", None)),
    ("中华人民共和国财政部", ("central", None)),
    ("财政部 国家税务总局", ("central", None)),
    ("人力资源社会保障部", ("central", None)),
    ("全国人民代表大会常务委员会", ("central", None)),
    ("山西省人力资源和社会保障厅", ("provincial", "山西省")),
    ("中共山西省委", ("provincial", "山西省")),
    ("内蒙古自治区人民政府", ("provincial", "内蒙古自治区")),
    ("北京市人民政府", ("provincial", "北京市")),
    ("上海市民政局", ("provincial", "上海市")),
    ("国家税务总局山西省税务局", ("provincial", "山西省")),
    ("普洱市人民政府", ("municipal", "云南省")),
    ("深圳市人民政府", ("municipal", "广东省")),
    ("驻马店市委编办", ("municipal", "河南省")),
    ("苏州市住房和城乡建设局", ("municipal", "江苏省")),
    ("锡林郭勒盟行政公署", ("municipal", "内蒙古自治区")),
    ("黔东南苗族侗族自治州人民政府", ("municipal", "贵州省")),
    ("安泽县人民政府办公室", ("county", "山西省")),
    ("临汾市安泽县人民政府", ("county", "山西省")),
    ("北京市朝阳区人民政府", ("county", "北京市")),
    ("深圳市福田区人民政府", ("county", "广东省")),
    ("福州市鼓楼区人民政府", ("county", "福建省")),
    ("重庆市城口县人民政府", ("county", "重庆市")),
    ("济源市人民政府", ("county", "河南省")),      # 省直辖县级
    ("仙桃市人民政府", ("county", "湖北省")),      # 省直辖县级
    ("东方市人民政府", ("county", "海南省")),
    ("城关镇人民政府", ("township", None)),
    ("安泽县府城镇人民政府", ("township", "山西省")),
    ("XX街道办事处", ("township", None)),
    ("吉林市人民政府", ("municipal", "吉林省")),     # the city, not 吉林 the province
    ("河南县人民政府", ("county", "青海省")),       # the county of 黄南州, not 河南 the province
    ("河南蒙古族自治县人民政府办公室", ("county", "青海省")),
    ("吉林省人民政府", ("provincial", "吉林省")),
    ("第九届全国人民代表大会常务委员会", ("central", None)),
    ("莱芜市第十八届人民代表大会常务委员会", ("municipal", "山东省")),  # former name (divisions_former.tsv)
    ("许昌县人民政府", ("county", "河南省")),
    ("市场监督管理总局", ("central", None)),
    ("省人民政府", ("provincial", None)),
    ("省财政厅", ("provincial", None)),
    ("县人民政府办公室", ("county", None)),
    ("中共XX省委党校", ("provincial", None)),      # anonymised place, level from its suffix
    ("××县人民政府", ("county", None)),
    ("某市人民政府", ("municipal", None)),
])
def test_issuer_levels(name, expected):
    assert level_of_issuer(name) == expected


def test_non_unique_county_name_without_parent_keeps_level_but_no_province():
    assert level_of_issuer("鼓楼区人民政府") == ("county", None)
    assert level_of_issuer("朝阳区人民政府") == ("county", None)


@pytest.mark.parametrize("name", [
    "东方市场监督管理局",   # not 东方市
    "城区人民政府",         # generic name without its city
    "某公司",
    "",
    "朝阳",                 # stems are never matched
    "安泽",
    "市人民政府",           # a 直辖市 or a prefecture: not guessed
])
def test_issuers_not_guessed(name):
    assert level_of_issuer(name) == ("unknown", None)


# --- find_place ---------------------------------------------------------------------------------------------
def test_find_place_most_specific_chain():
    assert find_place("根据山西省临汾市安泽县的实际") == ("county", "山西省")
    assert find_place("结合我市（普洱市）实际") == ("municipal", "云南省")
    assert find_place("北京市朝阳区") == ("county", "北京市")
    assert find_place("在云南省全省推广") == ("provincial", "云南省")


def test_find_place_none():
    assert find_place("无地名文本") is None
    assert find_place("东方市场") is None
    assert find_place("") is None


# --- level from the title and the body (level_of_title, level_of_text, data/text_levels.tsv) --------------------
from polgraph.extract.levels import addressee_level, level_of_text, level_of_title  # noqa: E402


def test_text_level_rows_parse():
    roles = {"self", "scope", "notbefore", "notafter", "municipality", "autonomous", "lawkind", "zone", "duty",
             "national", "localorgan", "rankbefore", "rankafter"}
    rows = _rows("text_levels.tsv")
    phrases = [r[0] for r in rows]
    assert len(phrases) == len(set(phrases)), "a phrase listed twice"
    for r in rows:
        assert len(r) == 3 and r[2] in roles, r
        if r[2] in ("self", "scope"):
            assert r[1] in levels.LEVELS and r[1] != "unknown", r


def test_addressee_rows_parse_and_are_unique():
    rows = _rows("addressee_levels.tsv")
    openings = [r[0] for r in rows]
    assert len(openings) == len(set(openings)), "an opening listed twice"
    assert all(r[1] in levels.LEVELS and r[1] != "unknown" for r in rows)


@pytest.mark.parametrize("name", ["外汇局", "国家外汇管理局", "海关总署", "民政部", "卫生健康委", "发展改革委",
                                  "中国气象局", "国家新一代人工智能治理专业委员会", "科 技 部"])
def test_central_short_names_and_spaced_signatures(name):
    assert level_of_issuer(name) == ("central", None)


def test_national_level_zone_of_a_city_is_not_central():
    assert level_of_issuer("国家级经济技术开发区管委会") == ("unknown", None)


@pytest.mark.parametrize("title,expected", [
    ("中华人民共和国外商投资法", ("central", None)),
    ("公安部对部分刀具实行管制的暂行规定", ("central", None)),
    ("国家科学技术奖励条例", ("central", None)),
    ("上海港口条例", ("provincial", "上海市")),
    ("中国（山东）自由贸易试验区条例", ("provincial", "山东省")),
    ("汕头经济特区消防条例", ("municipal", "广东省")),
    ("关于做好工作的通知", ("unknown", None)),
    (None, ("unknown", None)),
])
def test_level_of_title(title, expected):
    assert level_of_title(title) == expected


@pytest.mark.parametrize("text,expected", [
    # the addressee decides only as the first item of its line
    ("关于X的通知\n各市人民政府，各县（市、区）人民政府，省政府各部门：\n现通知如下。", "provincial"),
    ("国家外汇管理局各省、自治区、直辖市分局，计划单列市分局；各中资外汇指定银行：\n为全面实施…", "central"),
    ("关于X的通知\n各区工业和信息化主管部门，有关单位：\n现就我市申报推荐工作通知如下。", "provincial"),
    # an interpreting organ is the issuing organ
    ("第二十五条　本规范由教育部网络安全和信息化领导小组办公室负责解释。", "central"),
    ("（二）说明。最终解释权归中国气象局预报与网络司。", "central"),
    # self-references: the level named most, 直辖市 and 自治区 adjust 市 and 区, template wording does not count
    ("我市将推进。全省统一部署。全省推广，全省实施。", "provincial"),
    ("本市各区人民政府要落实。上海市的本市户籍人员", "provincial"),
    ("全区各族人民。广西壮族自治区人民政府", "provincial"),
    ("全区各街道要落实，全区推进", "county"),
    ("省级交通管理部门负责本省（自治区、直辖市）的工作。各省、自治区、直辖市人民政府应当", "central"),
    ("我部将会同有关部门", "central"),
    # the organs charged with a task are the author's own or its subordinates
    ("加强宣传。（中央宣传部、中央网信办、国家发展改革委等相关部门按职责分工负责）", "central"),
    ("完善机制。（省发展改革委、省财政厅按职责分工负责）全市推进", "provincial"),
    ("各区、市工业和信息化主管部门，有关企业：\n根据文件精神", "municipal"),
    ("健全县级医院。基本市场。全市场", "unknown"),
    ("没有任何线索的正文。", "unknown"),
])
def test_level_of_text(text, expected):
    assert level_of_text(text)[0] == expected


def test_law_header_first_author_line_wins_over_an_approval():
    text = ("# 青岛市国有土地上房屋征收与补偿条例\n\n2013年2月26日 青岛市第十五届人民代表大会常务委员会\n\n第九次会议通过\n\n"
            "2013年3月29日 山东省第十二届人民代表大会常务委员会第一次会议批准\n\n<!-- INFO END -->\n\n第一条 …本市…")
    assert level_of_text(text) == ("municipal", "山东省")
    text = "# 信访工作条例\n\n2022年1月24日 中共中央政治局会议审议批准\n2022年2月25日 中共中央、国务院发布\n\n<!-- INFO END -->\n"
    assert level_of_text(text) == ("central", None)


def test_law_kind_title_without_a_place_is_national_only_as_a_last_resort():
    assert level_of_text("第一条 为了规范……制定本条例。", "人体器官捐献和移植条例") == ("central", None)
    assert level_of_text("第一条 本市……", "关于议案的若干暂行规定")[0] == "municipal"  # the body speaks first
    assert level_of_text("第一条 为了规范……", "关于做好工作的通知") == ("unknown", None)
    assert level_of_text("第一条 为了规范……", "城市市容和环境卫生管理条例（2017年修订）")[0] == "central"


# --- the document's own issuer, level and order number (extract/metadata.py decisions) ---------------------------
def _extract(text):
    from polgraph.extract.find import extract_text
    return extract_text(text)


def test_relaying_notice_is_issued_by_its_title_head_not_by_the_relayed_signature():
    rec = _extract("普洱市人民政府办公室转发省发展改革委关于做好价格工作意见的通知\n各县（区）人民政府：\n"
                   "省发展改革委《关于做好价格工作的意见》已经市人民政府同意，现转发给你们，请认真贯彻执行。\n\n"
                   "关于做好价格工作的意见\n一、……\n云南省发展和改革委员会\n2020年3月1日\n")
    assert (rec["issuer"], rec["level"]) == (["普洱市人民政府办公室"], "municipal")
    rec = _extract("江苏省人民政府办公厅转发省教育厅关于X的意见的通知\n各市、县人民政府：\n现转发给你们。\n"
                   "江苏省人民政府办公厅\n2013年5月13日\n")
    assert (rec["issuer"], rec["level"]) == (["江苏省人民政府办公厅"], "provincial")


@pytest.mark.parametrize("line,number", [
    ("1990年3月12日 国家教育委员会令第8号、国家体育运动委员会令第11号发布", "国家教育委员会令第8号"),
    ("2012年12月13日 公安部令第127号修订发布。根据", "公安部令第127号"),
    ("２０１２年１２月１９日 中华人民共和国公安部令第１２５号发布，", "中华人民共和国公安部令第125号"),
])
def test_law_header_order_number_as_written(line, number):
    rec = _extract(f"# 某某规定\n\n{line}\n\n<!-- INFO END -->\n\n第一条 为了规范……\n")
    assert rec["doc_number"] == number and rec["level"] == "central"
    assert number not in [c["doc_number"] for c in rec["citations"]]


def test_a_body_speaking_of_the_whole_country_is_central():
    # xvshiting-style body-only texts: no header, no issuer, no 我省/全市
    body = ("为贯彻落实党中央、国务院关于发展数字经济的决策部署，制定本行动计划。\n一、总体要求\n"
            "到2025年，全国数字商务发展水平显著提升，各地区形成一批示范项目。\n")
    assert levels.level_of_text(body) == ("central", None)
    # once is enough only when no local government is named; a text naming its own province keeps its province
    assert levels.level_of_text("到2025年，全国领先。")[0] == "central"
    assert levels.level_of_text("市政府将推动本行业到2025年全国领先。")[0] == "unknown"
    assert levels.level_of_text("全省要对标全国先进，我省各地区加快推进。")[0] == "provincial"


def test_a_cited_title_gives_its_level_by_what_it_opens_with():
    assert levels.level_of_cited_title("中华人民共和国合同法") == ("central", None)
    assert levels.level_of_cited_title("物权法") == ("central", None)  # a law kind with no place: national
    assert levels.level_of_cited_title("浙江省物业管理条例") == ("provincial", "浙江省")
    assert levels.level_of_cited_title("青岛市建设工程材料管理条例")[0] == "municipal"
    # an organ inside the title is not its issuer, and a 决定 names no level of its own
    assert levels.level_of_cited_title("山东省乡镇人民代表大会工作若干规定") == ("provincial", "山东省")
    assert levels.level_of_cited_title("关于区县乡镇人民代表大会换届选举若干问题的决定") == ("unknown", None)


def test_cited_level_of_a_title_only_citation():
    from polgraph.extract.find import extract_text

    got = {c["title"]: c["cited_level"] for c in extract_text(
        "根据《中华人民共和国合同法》《浙江省物业管理条例》和《关于修改部分地方性法规的决定》，制定本办法。")["citations"]}
    assert got == {"中华人民共和国合同法": "central", "浙江省物业管理条例": "provincial",
                   "关于修改部分地方性法规的决定": "unknown"}


def test_a_city_report_that_ranks_itself_within_its_province_is_the_citys():
    report = ("过去一年，全市经济稳中向好，地区生产总值增速居全省第一，高于全省平均水平。全市新增市场主体2万户，"
              "全市规上工业增加值增长8%，进入全省前列。我市获评全省营商环境最优城市，全省率先实现一网通办。"
              "对接北京，融入京津冀。深化全省统一大市场建设，天全县获评全省首批示范县。")
    assert levels.level_of_text(report)[0] == "municipal"
    # a Shanghai law that says 本市 is provincial (京津沪渝), named in its opening
    assert levels.level_of_text("# 上海市献血条例\n第一条 本市公民应当献血。本市卫生部门负责。本市各区配合。")[0] == "provincial"


def test_a_substantial_body_naming_no_place_at_all_is_central():
    guide = ("本要点旨在指导注册申请人对人工智能分析软件注册申报资料的准备及撰写，同时也为技术审评部门提供参考。"
             "本要点是对该类软件申报资料的一般要求，申请人应依据产品的具体特性确定其中内容是否适用。") * 6
    assert len(guide) >= levels.PLACELESS_MIN_CHARS
    assert levels.level_of_text(guide)[0] == "central"
    # a short one says too little, and one that names a city in passing is left alone
    assert levels.level_of_text(guide[:200])[0] == "unknown"
    assert levels.level_of_text(guide + "会议在济南市召开。")[0] == "unknown"


# --- autonomous divisions by their short names; organs named without their place ----------------------------------
@pytest.mark.parametrize("full,short", [
    ("海南藏族自治州", "海南州"), ("黔东南苗族侗族自治州", "黔东南州"), ("伊犁哈萨克自治州", "伊犁州"),
    ("长阳土家族自治县", "长阳县"), ("双江拉祜族佤族布朗族傣族自治县", "双江县"), ("鄂伦春自治旗", "鄂伦春旗"),
    ("鄂温克族自治旗", "鄂温克旗"), ("东乡族自治县", "东乡县"), ("普洱市", None)])
def test_autonomous_short_name(full, short):
    assert levels.autonomous_short_name(full) == short


@pytest.mark.parametrize("name,expected", [
    ("海南州人民政府", ("municipal", "青海省")),  # not 海南省
    ("海南州人民政府办公室", ("municipal", "青海省")),
    ("黔东南州人民政府", ("municipal", "贵州省")),
    ("恩施州财政局", ("municipal", "湖北省")),
    ("博州人民政府", ("municipal", "新疆维吾尔自治区")),  # irregular: data/division_aliases.tsv
    ("长阳县人民政府", ("county", "湖北省")),
    ("鄂伦春旗人民政府", ("county", "内蒙古自治区")),
    ("海南省人民政府", ("provincial", "海南省")),
])
def test_autonomous_divisions_by_short_name(name, expected):
    assert level_of_issuer(name) == expected


def test_division_aliases_name_real_divisions():
    for r in _rows("division_aliases.tsv"):
        assert levels.level_of_issuer(r[1] + "人民政府")[0] != "unknown", r
        assert levels.level_of_issuer(r[0] + "人民政府") == levels.level_of_issuer(r[1] + "人民政府"), r


@pytest.mark.parametrize("name,unit", [
    ("市工业和信息化局", "市"), ("省财政厅", "省"), ("自治区人民政府", "自治区"), ("州财政局", "州"), ("县人民政府", "县"),
    ("中共市委", "市"), ("市民政局", "市"),
    ("市场监管总局", None), ("区域合作办公室", None), ("天津市财政局", None), ("国务院", None)])
def test_abbreviated_unit(name, unit):
    assert levels.abbreviated_unit(name) == unit


@pytest.mark.parametrize("name,text,title,full", [
    ("市工业和信息化局", "现就我市工作通知如下。地址：河西区某某路1号", None, "天津市工业和信息化局"),
    ("州财政局", "各县财政局：海南藏族自治州各县要落实。", None, "海南藏族自治州财政局"),
    ("州财政局", "各县财政局：海南州各县要落实。", None, "海南藏族自治州财政局"),
    ("县人民代表大会", "第一条 为了保护水资源，结合本县实际，制定本条例。", "景宁畲族自治县水资源管理条例", "景宁畲族自治县人民代表大会"),
    # the title's own place outweighs a two-character county name in the body (市和县 is no 和县)
    ("市人大常委会", "第二条 本市和县（市）区人民政府，和县级部门。", "宁波市终身教育促进条例", "宁波市人大常委会"),
    # a cited title names another document's place
    ("市财政局", "各区财政局：", "市财政局关于转发《北京市某某办法》的通知", "市财政局"),
    ("市财政局", "各有关单位：现通知如下。", None, "市财政局"),
])
def test_with_place(name, text, title, full):
    assert levels.with_place(name, text, title) == full
