"""Synthetic policy corpora for benchmarks and tests: extraction records, not texts.

`synthetic_records(n_docs, seed)` returns records in the `polgraph extract` schema (extract/__init__.py) that
look like a real corpus: a central opinion (国发/国办发/部委) is implemented by provinces (实施意见), their
cities (实施方案), counties (实施细则) and townships (工作方案), each citing the level above — by 文号 and 《title》,
by number only or by title only — plus laws cited by title (BASED_ON), CITES/REFERS_TO side references, 印发
notices that carry an instrument, cited documents missing from the corpus, and anonymised numbers.
Same `n_docs` and `seed` → the same records. Extraction time is not part of anything built from these.
"""
from __future__ import annotations

import datetime as _dt
import random
import sys

# A few real divisions, enough for varied issuers; codes follow the real patterns (简称 + 政/府 (+办) + 发),
# including collisions such as 安政办发 (安泽县 and a city would share it in real life).
PROVINCES = [
    # (province, code for the government, code for the general office, {city: [counties]})
    ("山西省", "晋政发", "晋政办发", {"临汾市": ["安泽县", "洪洞县", "浮山县", "襄汾县"],
                                      "长治市": ["襄垣县", "屯留区", "平顺县"],
                                      "晋中市": ["榆社县", "左权县", "和顺县"]}),
    ("云南省", "云政发", "云政办发", {"普洱市": ["宁洱哈尼族彝族自治县", "墨江哈尼族自治县", "景东彝族自治县"],
                                      "曲靖市": ["陆良县", "师宗县", "罗平县"],
                                      "玉溪市": ["江川区", "澄江市", "通海县"]}),
    ("四川省", "川府发", "川办发", {"绵阳市": ["三台县", "盐亭县", "梓潼县"],
                                    "南充市": ["南部县", "营山县", "蓬安县"],
                                    "宜宾市": ["江安县", "长宁县", "高县"]}),
    ("河南省", "豫政", "豫政办", {"驻马店市": ["新蔡县", "西平县", "上蔡县"],
                                  "周口市": ["沈丘县", "扶沟县", "西华县"],
                                  "洛阳市": ["孟津区", "新安县", "栾川县"]}),
    ("广东省", "粤府", "粤府办", {"韶关市": ["始兴县", "仁化县", "翁源县"],
                                  "梅州市": ["大埔县", "丰顺县", "五华县"]}),
    ("浙江省", "浙政发", "浙政办发", {"丽水市": ["青田县", "缙云县", "遂昌县"],
                                      "衢州市": ["常山县", "开化县", "龙游县"]}),
    ("安徽省", "皖政", "皖政办", {"安庆市": ["怀宁县", "太湖县", "宿松县"],
                                  "六安市": ["霍邱县", "舒城县", "金寨县"]}),
    ("贵州省", "黔府发", "黔府办发", {"遵义市": ["桐梓县", "绥阳县", "正安县"],
                                      "毕节市": ["大方县", "金沙县", "织金县"]}),
    ("甘肃省", "甘政发", "甘政办发", {"天水市": ["清水县", "秦安县", "甘谷县"],
                                      "庆阳市": ["庆城县", "环县", "华池县"]}),
    ("湖南省", "湘政发", "湘政办发", {"常德市": ["安乡县", "汉寿县", "澧县"],
                                      "岳阳市": ["华容县", "湘阴县", "平江县"]}),
]
TOWN_SUFFIXES = ["镇", "乡", "街道"]
TOWN_STEMS = ["城关", "东关", "新店", "马头", "石桥", "李家", "红旗", "南河", "北岭", "大坪", "杨柳", "青山"]

CENTRAL_ISSUERS = [
    # (issuer, code)
    ("国务院", "国发"), ("国务院办公厅", "国办发"), ("国务院办公厅", "国办函"),
    ("财政部", "财预"), ("人力资源社会保障部", "人社部发"), ("国家卫生健康委员会", "国卫医发"),
    ("教育部", "教基"), ("民政部", "民发"), ("生态环境部", "环办"), ("农业农村部", "农发"),
]
VERBS = ["全面推开", "深化", "加快推进", "进一步加强", "完善", "促进", "规范", "推进", "健全", "加强"]
DOMAINS = [
    "县级公立医院", "预算管理制度", "农村生活垃圾", "养老服务体系", "义务教育", "城乡居民基本医疗保险",
    "生态环境保护", "乡村振兴", "数字政府", "安全生产", "中小企业", "就业创业", "住房保障", "农村饮水安全",
    "食品安全", "政务公开", "优化营商环境", "公共文化服务体系", "社会救助", "耕地保护", "河长制",
    "基层医疗卫生机构", "职业教育", "残疾人就业", "殡葬改革", "物业服务", "水土保持", "科技成果转化",
    "电子商务进农村", "校外培训", "家庭医生签约服务", "城镇老旧小区", "高标准农田", "森林防火",
    "行政审批制度", "事业单位人事制度", "财政资源统筹", "全民健身", "食品小作坊", "农村集体产权制度",
]
AIMS = ["综合改革", "体系建设", "高质量发展", "管理工作", "监督管理", "工作机制", "改革试点", "专项整治",
        "能力建设", "长效机制"]
LAWS = [
    "中华人民共和国预算法", "中华人民共和国安全生产法", "中华人民共和国行政许可法", "中华人民共和国环境保护法",
    "中华人民共和国义务教育法", "中华人民共和国社会保险法", "中华人民共和国食品安全法", "中华人民共和国劳动合同法",
    "中华人民共和国政府信息公开条例", "中华人民共和国基本医疗卫生与健康促进法",
]
LOCAL_KINDS = {"provincial": "实施意见", "municipal": "实施方案", "county": "实施细则", "township": "工作方案"}
IMPLEMENT_CUES = ["为贯彻落实", "为认真贯彻落实", "为落实", "贯彻落实"]
BASIS_CUES = ["根据", "依据", "按照"]


class _Numbers:
    """Serials per (机关代字, year), so every generated 文号 is unique and plausible."""

    def __init__(self):
        self._next: dict[tuple[str, int], int] = {}

    def take(self, code: str, year: int, rng: random.Random) -> str:
        n = self._next.get((code, year), rng.randint(1, 20))
        self._next[(code, year)] = n + rng.randint(1, 4)
        return f"{code}〔{year}〕{n}号"


def _place(issuer: str) -> str:
    for suffix in ("人民政府办公厅", "人民政府办公室", "人民政府", "办事处"):
        if issuer.endswith(suffix):
            return issuer[: -len(suffix)]
    return issuer


# Citations quote titles loosely: a word dropped or a near-synonym (what fuzzy resolution must catch).
_LOOSE = [("进一步", ""), ("全面推开", "全面推进"), ("加快推进", "加快"), ("工作", ""), ("和", "与"),
          ("有关", "")]


def _loose_variant(title: str, rng: random.Random) -> str:
    options = [(a, b) for a, b in _LOOSE if a in title]
    if not options:
        return title
    a, b = rng.choice(options)
    return title.replace(a, b, 1)


def _date_after(date: _dt.date, rng: random.Random, lo: int, hi: int) -> _dt.date:
    return date + _dt.timedelta(days=rng.randint(lo, hi))


def _citation(sentence_parts: list, text_len: list, *, cue, relation, number, title, issuer, level,
              anonymised=False, style="both"):
    """One citation dict plus its evidence sentence; offsets are in the document's running text."""
    shown_number = number if style in ("both", "number") else None
    shown_title = title if style in ("both", "title") else None
    span = ""
    if shown_title:
        span += f"《{shown_title}》"
    if shown_number:
        span += f"（{shown_number}）" if shown_title else shown_number
    lead = cue if cue else ""
    sentence = f"{lead}{span}精神，结合实际，制定本文件。" if cue else f"{span}已经印发，请参照执行。"
    start = text_len[0] + len(lead)
    end = start + len(span)
    text_len[0] += len(sentence)
    sentence_parts.append(sentence)
    return {"doc_number": shown_number, "doc_number_raw": shown_number, "title": shown_title,
            "cited_issuer": issuer, "cited_level": level, "relation": relation, "cue": cue,
            "start": start, "end": end, "sentence": sentence, "anonymised": anonymised}


def synthetic_records(n_docs: int, seed: int = 0) -> list[dict]:
    """`n_docs` extraction records forming multi-level implementation chains; deterministic for a seed."""
    return list(iter_synthetic_records(n_docs, seed))


class _Cited:
    """What a later record reads of an earlier one (a citation of it): kept for every record made, so the
    generator streams without holding the records themselves."""

    __slots__ = ("doc_number", "title", "carries", "issuer", "level", "date")

    def __init__(self, rec: dict):
        self.doc_number, self.title, self.carries = rec["doc_number"], rec["title"], rec["carries"]
        self.issuer, self.level, self.date = rec["issuer"][0], rec["level"], rec["date"]


def iter_synthetic_records(n_docs: int, seed: int = 0):
    """The records of `synthetic_records(n_docs, seed)`, in the same order, made one at a time: memory stays
    small (about 150 bytes per record made) however large `n_docs` is."""
    if n_docs < 1:
        return
    rng = random.Random(seed)
    numbers = _Numbers()
    records: list[_Cited] = []  # every record made, missing ones too (they are cited)
    n_missing = 0  # records cited but left out of the corpus
    used_titles: set[str] = set()

    def topic() -> str:
        for _ in range(50):
            t = rng.choice(VERBS) + rng.choice(DOMAINS) + rng.choice(AIMS)
            if t not in used_titles:
                used_titles.add(t)
                return t
        # past the combinations: a numbered campaign keeps titles distinct but still realistic
        t = f"{rng.choice(VERBS)}{rng.choice(DOMAINS)}{rng.choice(AIMS)}（第{len(used_titles)}批）"
        used_titles.add(t)
        return t

    def full() -> bool:
        return len(records) - n_missing >= n_docs

    def add(rec: dict) -> int:
        rec["path"] = f"synth/{len(records) + 1:07d}.txt"
        records.append(_Cited(rec))
        return len(records) - 1

    def cite(rec: dict, parts: list, tlen: list, parent: dict, relation: str, cue: str | None):
        r = rng.random()
        style = "both" if r < 0.6 else ("number" if r < 0.8 else "title")
        if parent.doc_number is None:
            style = "title"
        # cite a 印发 notice either by the notice or by the instrument it carries
        title = parent.title
        if parent.carries and rng.random() < 0.5:
            title = parent.carries[0]
        elif style == "title" and rng.random() < 0.15:
            title = _loose_variant(title, rng)
        elif style == "title" and "关于" in title and rng.random() < 0.3:
            # cited without the issuer, which is named outside the brackets: 省人社厅《关于…的通知》
            title = title[title.index("关于"):]
        rec["citations"].append(_citation(parts, tlen, cue=cue, relation=relation, number=parent.doc_number,
                                          title=title, issuer=parent.issuer, level=parent.level, style=style))

    def local_doc(level: str, issuer: str, region: str, code: str | None, subject: str, parents: list,
                  date: _dt.date) -> int:
        kind = LOCAL_KINDS[level]
        instrument = f"{_place(issuer)}关于{subject}的{kind}"
        wrapped = rng.random() < 0.35
        title = f"{issuer}关于印发《{instrument}》的通知" if wrapped else f"{issuer}关于{subject}的{kind}"
        number = numbers.take(code, date.year, rng) if code else None
        rec = {"path": "", "id": number, "title": title, "doc_number": number, "issuer": [issuer],
               "date": date.isoformat(), "level": level, "region": region,
               "carries": [instrument] if wrapped else [], "citations": []}
        parts: list[str] = []
        tlen = [len(title) + 2]
        for i, parent in enumerate(parents):
            rel, cue = ("IMPLEMENTS", rng.choice(IMPLEMENT_CUES)) if i == 0 or rng.random() < 0.5 \
                else ("BASED_ON", rng.choice(BASIS_CUES))
            cite(rec, parts, tlen, parent, rel, cue)
        if rng.random() < 0.25:
            law = rng.choice(LAWS)
            rec["citations"].append(_citation(parts, tlen, cue=rng.choice(BASIS_CUES), relation="BASED_ON",
                                              number=None, title=law, issuer=None, level="central",
                                              style="title"))
        if rng.random() < 0.05:
            # anonymised upstream reference as found in templates (xx 办函〔x〕529号)
            rec["citations"].append(_citation(parts, tlen, cue=rng.choice(IMPLEMENT_CUES), relation="IMPLEMENTS",
                                              number=f"xx办函〔x〕{rng.randint(100, 999)}号",
                                              title=None, issuer=None, level="unknown", anonymised=True,
                                              style="number"))
        if records and rng.random() < 0.1:
            other = records[rng.randrange(len(records))]
            rel, cue = ("REFERS_TO", "参照") if rng.random() < 0.5 else ("CITES", None)
            if other.date <= rec["date"]:
                cite(rec, parts, tlen, other, rel, cue)
        return add(rec), rec

    while not full():
        issuer, code = rng.choice(CENTRAL_ISSUERS)
        year = rng.randint(2008, 2021)
        c_date = _dt.date(year, 1, 1) + _dt.timedelta(days=rng.randint(0, 364))
        subject = topic()
        kind = rng.choice(["意见", "实施意见", "指导意见", "通知", "办法"])
        central = {"path": "", "id": None, "title": f"{issuer}关于{subject}的{kind}",
                   "doc_number": numbers.take(code, year, rng), "issuer": [issuer], "date": c_date.isoformat(),
                   "level": "central", "region": None, "carries": [], "citations": []}
        central["id"] = central["doc_number"]
        parts: list[str] = []
        tlen = [len(central["title"]) + 2]
        if records and rng.random() < 0.3:
            earlier = [r for r in records[-50:] if r.level == "central" and r.date <= central["date"]]
            if earlier:
                cite(central, parts, tlen, rng.choice(earlier), "BASED_ON", rng.choice(BASIS_CUES))
        c_idx = add(central)
        if rng.random() < 0.08:
            n_missing += 1
        else:
            yield central
        for prov, gov_code, office_code, cities in rng.sample(PROVINCES, rng.randint(1, 5)):
            if full():
                break
            p_issuer = rng.choice([f"{prov}人民政府", f"{prov}人民政府办公厅"])
            p_code = gov_code if p_issuer.endswith("政府") else office_code
            p_date = _date_after(c_date, rng, 20, 240)
            if rng.random() < 0.02:  # a dating error: adopted "before" the central document
                p_date = _date_after(c_date, rng, -60, -1)
            p_idx, rec = local_doc("provincial", p_issuer, prov, p_code, subject, [records[c_idx]], p_date)
            if rng.random() < 0.06:
                n_missing += 1
            else:
                yield rec
            for city in rng.sample(sorted(cities), rng.randint(0, len(cities))):
                if full():
                    break
                m_issuer = rng.choice([f"{city}人民政府", f"{city}人民政府办公室"])
                m_code = city[0] + ("政发" if m_issuer.endswith("政府") else "政办发")
                m_date = _date_after(p_date, rng, 10, 180)
                parents = [records[p_idx]] + ([records[c_idx]] if rng.random() < 0.4 else [])
                m_idx, rec = local_doc("municipal", m_issuer, prov, m_code, subject, parents, m_date)
                if rng.random() < 0.05:
                    n_missing += 1
                else:
                    yield rec
                for county in rng.sample(cities[city], rng.randint(0, len(cities[city]))):
                    if full():
                        break
                    k_issuer = rng.choice([f"{county}人民政府", f"{county}人民政府办公室"])
                    k_code = county[0] + ("政发" if k_issuer.endswith("政府") else "政办发")
                    k_date = _date_after(m_date, rng, 7, 150)
                    parents = [records[m_idx]] + ([records[p_idx]] if rng.random() < 0.3 else [])
                    k_idx, rec = local_doc("county", k_issuer, prov, k_code, subject, parents, k_date)
                    yield rec
                    for stem in rng.sample(TOWN_STEMS, rng.choice([0, 0, 1, 2])):
                        if full():
                            break
                        town = stem + rng.choice(TOWN_SUFFIXES)
                        t_issuer = f"{county}{town}人民政府" if not town.endswith("街道") \
                            else f"{county}{town}办事处"
                        t_code = town[0] + ("政发" if town.endswith(("镇", "乡")) else "街发") \
                            if rng.random() < 0.5 else None
                        t_date = _date_after(k_date, rng, 5, 120)
                        yield local_doc("township", t_issuer, prov, t_code, subject, [records[k_idx]], t_date)[1]
    # the missing documents stay cited (they become placeholders) but are not in the corpus


def synthetic_graph(n_docs: int, seed: int = 0):
    """`build_graph(synthetic_records(n_docs, seed))`: a MultiDiGraph of about `n_docs` documents."""
    from polgraph.graph.build import build_graph

    return build_graph(synthetic_records(n_docs, seed), quiet=True)


# --- diffusion: one central document adopted down the hierarchy, with the answer known by construction ---
# (province, {city, or None for a 直辖市's districts, or PROVINCE_DIRECT: [counties]}); cities and counties named
# as in data/divisions/
_LEVEL_ORDER = ("central", "provincial", "municipal", "county", "township")
PROVINCE_DIRECT = "(directly under the province)"  # counties with no prefecture above them: their own city unit
DIFFUSION_PROVINCES = [(p, cities) for p, _, _, cities in PROVINCES] + [
    ("重庆市", {None: ["万州区", "涪陵区", "綦江区", "城口县"]}),
    ("北京市", {None: ["朝阳区", "海淀区", "顺义区"]}),
    ("湖北省", {"襄阳市": ["南漳县", "谷城县", "保康县"], PROVINCE_DIRECT: ["仙桃市", "潜江市", "神农架林区"]}),
]


def diffusion_records(seed: int = 0, n_central: int = 3) -> tuple[list[dict], dict]:
    """Extraction records where `n_central` central documents are adopted by provinces, cities and
    counties, and the truth of `polgraph diffusion` for the first of them (its id is truth["ref"]).

    Every adopting document cites exactly one document above it (the central one, its province's or its
    city's), so its chain is known; some are undated, some cities and counties adopt before (or without) their
    province, some units adopt only through undated documents, and the other central documents are adopted
    too (noise the answer must not pick up). truth[unit][name] = {"date", "id", "via", "documents",
    "province"} for the units adopting the first document; the units not listed have not adopted it."""
    rng = random.Random(seed)
    numbers = _Numbers()
    records: list[dict] = []
    truth: dict = {"province": {}, "city": {}, "county": {}}

    def doc(issuer: str, level: str, region, subject: str, kind: str, date, code: str | None, parent):
        number = numbers.take(code, (date or _dt.date(2016, 1, 1)).year, rng) if code else None
        rec = {"path": f"synth/d{len(records) + 1:05d}.txt", "id": number,
               "title": f"{issuer}关于{subject}的{kind}", "doc_number": number, "issuer": [issuer],
               "date": date.isoformat() if date else None, "level": level, "region": region, "carries": [],
               "citations": []}
        if parent is not None:
            parts, tlen = [], [len(rec["title"]) + 2]
            rec["citations"].append(_citation(parts, tlen, cue=rng.choice(IMPLEMENT_CUES), relation="IMPLEMENTS",
                                              number=parent["doc_number"], title=parent["title"],
                                              issuer=parent["issuer"][0], level=parent["level"], style="both"))
        records.append(rec)
        return rec

    def record_truth(central_i: int, unit: str, name: str, province: str, rec: dict, via: list[str]):
        if central_i != 0:
            return
        t = truth[unit].setdefault(name, {"documents": 0, "province": province, "candidates": []})
        t["documents"] += 1
        t["candidates"].append((rec["date"] is None, rec["date"] or "", _LEVEL_ORDER.index(rec["level"]),
                                len(via), rec["id"], via))

    def dated(base, lo, hi):
        return None if rng.random() < 0.12 else base + _dt.timedelta(days=rng.randint(lo, hi))

    for ci in range(n_central):
        subject = rng.choice(VERBS) + DOMAINS[(seed * 7 + ci) % len(DOMAINS)] + AIMS[ci % len(AIMS)]
        issuer, code = CENTRAL_ISSUERS[ci % len(CENTRAL_ISSUERS)]
        c_date = _dt.date(2015 + ci, 1, 1) + _dt.timedelta(days=rng.randint(0, 200))
        central = doc(issuer, "central", None, subject, "意见", c_date, code, None)
        if ci == 0:
            truth["ref"] = central["id"]
            truth["ref_date"] = central["date"]
        for prov, cities in rng.sample(DIFFUSION_PROVINCES, rng.randint(4, len(DIFFUSION_PROVINCES) - 2)):
            p_rec = None
            if rng.random() < 0.85:  # else the province itself never writes one: its cities adopt directly
                p_rec = doc(f"{prov}人民政府办公厅", "provincial", prov, subject, "实施意见",
                            dated(c_date, 15, 200), prov[0] + "政办发", central)
                record_truth(ci, "province", prov, prov, p_rec, [])
                if None in cities:  # a 直辖市 is its own city unit
                    record_truth(ci, "city", prov, prov, p_rec, [])
            for city in rng.sample(sorted(cities, key=str), rng.randint(0, len(cities))):
                m_rec, m_via = None, []
                if city not in (None, PROVINCE_DIRECT):
                    parent = p_rec if p_rec is not None and rng.random() < 0.8 else central
                    m_via = [] if parent is central else [p_rec["id"]]
                    m_rec = doc(f"{city}人民政府", "municipal", prov, subject, "实施方案",
                                dated(c_date, 30, 400), city[0] + "政发", parent)
                    record_truth(ci, "province", prov, prov, m_rec, m_via)
                    record_truth(ci, "city", city, prov, m_rec, m_via)
                for county in rng.sample(cities[city], rng.randint(0, len(cities[city]))):
                    above = [(m_rec, m_via)] if m_rec is not None else []
                    if p_rec is not None:
                        above.append((p_rec, []))
                    parent, pvia = above[0] if above and rng.random() < 0.85 else (central, None)
                    via = [] if parent is central else pvia + [parent["id"]]
                    k_issuer = f"{prov if city is None else ''}{county}人民政府"  # 北京市朝阳区: 朝阳区 alone is ambiguous
                    k_rec = doc(k_issuer, "county", prov, subject, "实施细则",
                                dated(c_date, 40, 600), county[0] + "政发", parent)
                    record_truth(ci, "province", prov, prov, k_rec, via)
                    city_unit = {None: prov, PROVINCE_DIRECT: county}.get(city, city)
                    record_truth(ci, "city", city_unit, prov, k_rec, via)
                    record_truth(ci, "county", county, prov, k_rec, via)
    for unit in ("province", "city", "county"):
        for name, t in truth[unit].items():
            # the first adopter: the earliest date (undated last), then the higher level, the shorter chain, the id
            cands = t.pop("candidates")
            first = min(cands, key=lambda c: c[:5])
            t["id"], t["date"], t["via"] = first[4], first[1] or None, first[5]
            t["undated"] = sorted(c[4] for c in cands if c[0])
    return records, truth


if __name__ == "__main__":  # python bench/synth.py N [SEED] -> JSON Lines on stdout
    import json

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    s = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    for r in synthetic_records(n, s):
        sys.stdout.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
