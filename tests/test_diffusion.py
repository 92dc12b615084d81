"""`polgraph diffusion`: the adoption table equals the truth of a synthetic corpus built with known adoptions,
for province, city and county units (adopters, first document, lag, chain, counts, not adopted, undated)."""
from __future__ import annotations

import csv
import datetime as dt
import doctest
import json
import sys

import pytest
from click.testing import CliRunner

from conftest import REPO
from polgraph.cli import cli
from polgraph.errors import PolgraphError
from polgraph.graph import diffusion as diffusion_module
from polgraph.graph.build import build_graph, number_key
from polgraph.graph.diffusion import (adoption_curve, diffusion, diffusion_panel, format_diffusion_csv,
                                      format_diffusion_text, province_neighbours, province_tiles)
from polgraph.graph.status import annotate_status, parse_as_of

sys.path.insert(0, str(REPO / "bench"))
from synth import diffusion_records  # noqa: E402

sys.path.remove(str(REPO / "bench"))

DIVISIONS = REPO / "data" / "divisions"


def _rows(name):
    with open(DIVISIONS / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


PROVINCE_CODE = {r["name"]: r["code"] for r in _rows("provinces.csv")}
PROVINCE_OF = {v: k for k, v in PROVINCE_CODE.items()}
CITIES = [r for r in _rows("cities.csv") if r["name"] != "市辖区" and "直辖" not in r["name"] and r["name"] != "县"]
CITY_OF_CODE = {r["code"]: r["name"] for r in CITIES}
AREAS = [r for r in _rows("areas.csv") if r["code"][4] != "7"]  # NBS zones (开发区, 管理区) are not divisions
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
PROVINCE_DIRECT_COUNTIES: dict[str, list[dict]] = {}  # 济源市, 仙桃市, 琼海市, 石河子市 …: no prefecture above them
for _r in AREAS:
    if _r["cityCode"] not in CITY_OF_CODE and PROVINCE_OF[_r["provinceCode"]] not in MUNICIPALITIES:
        PROVINCE_DIRECT_COUNTIES.setdefault(_r["name"], []).append(_r)


def _adcode(unit: str, name: str, province: str) -> str:
    if unit == "province":
        return PROVINCE_CODE[name] + "0000"
    if unit == "city" and name == province:  # a 直辖市, its own city unit
        return PROVINCE_CODE[name] + "0000"
    if unit == "city" and name in PROVINCE_DIRECT_COUNTIES:  # so is a county directly under its province
        return next(r["code"] for r in PROVINCE_DIRECT_COUNTIES[name] if PROVINCE_OF[r["provinceCode"]] == province)
    if unit == "city":
        return next(r["code"] for r in CITIES if r["name"] == name and PROVINCE_OF[r["provinceCode"]] == province) + "00"
    return next(r["code"] for r in AREAS if r["name"] == name and PROVINCE_OF[r["provinceCode"]] == province)


def _candidates(unit: str, truth: dict) -> set[str]:
    """The units that could have adopted, from the division tables (the issue's rule)."""
    if unit == "province":
        return set(PROVINCE_CODE)
    provinces = set(truth["province"])
    if unit == "city":  # the 直辖市 and the counties directly under a province are their own city unit
        return ({r["name"] for r in CITIES if PROVINCE_OF[r["provinceCode"]] in provinces}
                | {p for p in provinces if p in MUNICIPALITIES}
                | {n for n, rows in PROVINCE_DIRECT_COUNTIES.items()
                   if any(PROVINCE_OF[r["provinceCode"]] in provinces for r in rows)})
    cities = set(truth["city"])
    return {r["name"] for r in AREAS
            if (CITY_OF_CODE.get(r["cityCode"]) in cities)
            or (r["cityCode"] not in CITY_OF_CODE and PROVINCE_OF[r["provinceCode"]] in provinces)}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("unit", ["province", "city", "county"])
def test_synthetic_adoption_equals_the_truth(seed, unit):
    records, truth = diffusion_records(seed)
    G = build_graph(records, quiet=True)
    result = diffusion(G, truth["ref"], unit=unit)
    expected = truth[unit]
    assert {u["unit"] for u in result["units"]} == set(expected)
    for u in result["units"]:
        t = expected[u["unit"]]
        assert u["adcode"] == _adcode(unit, u["unit"], t["province"]), u["unit"]
        assert u["first"]["id"] == number_key(t["id"]), u["unit"]  # graph ids are the canonical 文号 keys
        assert u["first"]["date"] == t["date"], u["unit"]
        lag = (dt.date.fromisoformat(t["date"]) - dt.date.fromisoformat(truth["ref_date"])).days if t["date"] else None
        assert u["lag_days"] == lag, u["unit"]
        assert u["via"] == [number_key(i) for i in t["via"]], u["unit"]
        assert u["route"] == ("direct" if not t["via"] else "via")
        assert u["documents"] == t["documents"], u["unit"]
    assert {u["unit"] for u in result["not_adopted"]} == _candidates(unit, truth) - set(expected)
    assert sorted(d["id"] for d in result["undated"]) == sorted(number_key(i) for t in expected.values()
                                                                for i in t["undated"])
    for d in result["undated"]:
        assert d["id"] in {number_key(i) for i in expected[d["unit"]]["undated"]}
    lags = [u["lag_days"] for u in result["units"] if u["lag_days"] is not None]
    if lags:
        assert result["summary"]["lag_days"]["min"] == min(lags)
        assert result["summary"]["lag_days"]["max"] == max(lags)
    assert result["summary"]["units_total"] == len(result["units"]) + len(result["not_adopted"])


def test_the_truth_has_the_hard_cases():
    """Over the seeds the generator makes every case the truth test must see."""
    cases = set()
    for seed in range(6):
        _, truth = diffusion_records(seed)
        for unit in ("province", "city", "county"):
            for t in truth[unit].values():
                cases.add("via" if t["via"] else "direct")
                cases.add("undated only" if t["date"] is None else "dated")
                if t["undated"] and t["date"]:
                    cases.add("undated beside dated")
                if t["documents"] > 1:
                    cases.add("several documents")
        if "北京市" in truth["province"] or "重庆市" in truth["province"]:
            cases.add("municipality")
        if set(truth["city"]) & {"仙桃市", "潜江市", "神农架林区"}:
            cases.add("county directly under its province")
    assert cases == {"via", "direct", "undated only", "dated", "undated beside dated", "several documents",
                     "municipality", "county directly under its province"}


def versioned_law_records() -> tuple[list[dict], dict]:
    """A law in three versions (2002, 2013, 2021: same title, so versions of one document) and local rules that
    cite it by title, each resolving to the version in force on its own date; the truth: who adopted which."""
    from graph_support import cit, rec

    law = "中华人民共和国某某资源保护法"
    versions = [rec(f"law/{d}.txt", law, level="central", date=d, issuer=["全国人民代表大会常务委员会"])
                for d in ("2002-08-29", "2013-06-29", "2021-04-29")]
    adopters = {  # province: (issuer, date)
        "山西省": ("山西省人民代表大会常务委员会", "2005-03-01"),  # cites the 2002 text
        "四川省": ("四川省人民代表大会常务委员会", "2015-09-25"),  # the 2013 text
        "云南省": ("云南省人民代表大会常务委员会", "2022-05-27"),  # the 2021 text
        "甘肃省": ("甘肃省人民代表大会常务委员会", "2023-01-09"),  # the 2021 text
    }
    local = [rec(f"p/{p}.txt", f"{p}某某资源保护条例", level="provincial", date=d, issuer=[i], region=p,
                 citations=[cit(title=law, relation="BASED_ON", cue="根据", level="central")])
             for p, (i, d) in adopters.items()]
    return versions + local, {"law": law, "adopters": adopters}


def test_all_versions_counts_the_adopters_of_every_version():
    from polgraph.graph.resolve import title_id

    records, truth = versioned_law_records()
    G = build_graph(records, quiet=True)
    latest = title_id(truth["law"])
    only = diffusion(G, truth["law"])
    assert only["target"]["id"] == latest and [v["date"] for v in only["target"]["versions"]] == [
        "2002-08-29", "2013-06-29", "2021-04-29"]
    assert {u["unit"] for u in only["units"]} == {"云南省", "甘肃省"}  # the latest version's citers
    assert "all_versions" not in only
    every = diffusion(G, truth["law"], all_versions=True)
    assert every["all_versions"] is True
    assert {u["unit"] for u in every["units"]} == set(truth["adopters"])
    first = dt.date.fromisoformat("2002-08-29")  # the clock starts at the first version
    for u in every["units"]:
        assert u["lag_days"] == (dt.date.fromisoformat(truth["adopters"][u["unit"]][1]) - first).days, u["unit"]
        assert u["route"] == "direct" and u["via"] == []
    assert every["summary"]["units_total"] == 31
    text = format_diffusion_text(only)
    assert "the adopters of 2 other version(s) (2002-08-29, 2013-06-29) not counted" in text
    assert "every version counted: 2002-08-29, 2013-06-29, 2021-04-29; lags from 2002-08-29" in \
        format_diffusion_text(every)
    panel = diffusion_panel(every)
    assert panel[0]["period"] == "2002" and {r["unit"] for r in panel if r["adopted"]} == set(truth["adopters"])


def test_cli_all_versions(tmp_path):
    records, truth = versioned_law_records()
    corpus = tmp_path / "records.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    runner = CliRunner()
    base = ["diffusion", str(corpus), truth["law"], "--format", "json", "-q"]
    only, every = runner.invoke(cli, base), runner.invoke(cli, base + ["--all-versions"])
    assert only.exit_code == 0 and every.exit_code == 0, (only.output, every.output)
    assert json.loads(only.output)["summary"]["units_adopted"] == 2
    assert json.loads(every.output)["summary"]["units_adopted"] == 4
    hint = CliRunner().invoke(cli, base[:-1])
    assert "3 versions of this document in the graph; --all-versions counts" in hint.stderr


def test_docstring_example_runs():
    assert doctest.testmod(diffusion_module).failed == 0


def test_within_a_province_keeps_its_cities_only():
    records, truth = diffusion_records(2)
    G = build_graph(records, quiet=True)
    province = sorted(p for p in truth["province"] if p not in ("北京市", "重庆市"))[0]
    result = diffusion(G, truth["ref"], unit="city", within=province)
    assert {u["unit"] for u in result["units"]} == {c for c, t in truth["city"].items() if t["province"] == province}
    assert all(u["province"] == province for u in result["units"] + result["not_adopted"])
    with pytest.raises(PolgraphError, match="not a province or city"):
        diffusion(G, truth["ref"], unit="city", within="火星省")


def test_relations_limit_the_adoption():
    records, truth = diffusion_records(0)
    G = build_graph(records, quiet=True)
    assert diffusion(G, truth["ref"], relations=["CITES"])["units"] == []
    with pytest.raises(PolgraphError, match="unknown relation"):
        diffusion(G, truth["ref"], relations=["IMPLEMENTS", "X'] DETACH DELETE"])


def test_panel_rows_run_until_adoption():
    records, truth = diffusion_records(3)
    G = build_graph(records, quiet=True)
    result = diffusion(G, truth["ref"])
    rows = diffusion_panel(result, "year")
    start = int(truth["ref_date"][:4])
    end = max([start] + [int(t["date"][:4]) for t in truth["province"].values() if t["date"]])
    by_unit: dict[str, list[dict]] = {}
    for r in rows:
        by_unit.setdefault(r["unit"], []).append(r)
    for name, t in truth["province"].items():
        if t["date"] is None:
            assert name not in by_unit  # when it adopted is unknown
            continue
        years = [int(r["period"]) for r in by_unit[name]]
        assert years == list(range(start, max(start, int(t["date"][:4])) + 1))
        assert [r["adopted"] for r in by_unit[name]] == [0] * (len(years) - 1) + [1]
        assert by_unit[name][-1]["level"] == G.nodes[number_key(t["id"])]["level"]
    for u in result["not_adopted"]:
        assert [int(r["period"]) for r in by_unit[u["unit"]]] == list(range(start, end + 1))
        assert all(r["adopted"] == 0 for r in by_unit[u["unit"]])
    # neighbour share: the neighbours with a dated adoption in an earlier year
    adopted_year = {n: int(t["date"][:4]) for n, t in truth["province"].items() if t["date"]}
    for r in rows:
        near = province_neighbours()[r["unit"]]
        want = sum(1 for x in near if x in adopted_year and max(start, adopted_year[x]) < int(r["period"])) / len(near)
        assert float(r["neighbour_share"]) == pytest.approx(want, abs=1e-4)
    months = diffusion_panel(result, "month")
    assert all(len(r["period"]) == 7 for r in months) and len(months) >= len(rows)


def test_adjacency_and_tiles_tables():
    near = province_neighbours()
    assert len(near) == 31 and all(near[p] for p in near)
    assert all(p in near[q] for p in near for q in near[p])  # symmetric
    assert "湖北省" in near["河南省"] and "海南省" in near["广东省"] and "新疆维吾尔自治区" not in near["内蒙古自治区"]
    tiles = province_tiles()
    assert len(tiles) == 31 and len({(r, c) for r, c, _ in tiles.values()}) == 31


def test_curve_is_cumulative_share():
    records, truth = diffusion_records(4)
    result = diffusion(build_graph(records, quiet=True), truth["ref"])
    curve = adoption_curve(result)
    assert [y for _, y in curve] == sorted(y for _, y in curve)
    assert curve[-1][1] == pytest.approx(result["summary"]["units_dated"] / 31, abs=1e-4)


def test_cli_json_csv_and_files(tmp_path):
    records, truth = diffusion_records(5)
    src = tmp_path / "c.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    runner = CliRunner()
    r = runner.invoke(cli, ["diffusion", str(src), truth["ref"], "--format", "json", "-q",
                            "--panel", str(tmp_path / "p.csv")])
    assert r.exit_code == 0, r.output
    got = json.loads(r.output)
    G = build_graph(records, quiet=True)
    annotate_status(G, parse_as_of(None))
    assert got == json.loads(json.dumps(diffusion(G, truth["ref"])))
    assert (tmp_path / "p.csv").read_text(encoding="utf-8").startswith("unit,adcode,period,adopted,level,neighbour_share\n")
    r2 = runner.invoke(cli, ["diffusion", str(src), truth["ref"], "--format", "csv", "-q"])
    assert r2.output == format_diffusion_csv(got)
    assert len(r2.output.splitlines()) == 1 + 31
    r3 = runner.invoke(cli, ["diffusion", str(src), "国发〔1999〕999号", "-q"])
    assert r3.exit_code == 5 and "no document matches" in r3.output
    r4 = runner.invoke(cli, ["diffusion", str(src), truth["ref"], "-q", "--within", "火星"])
    assert r4.exit_code == 2 and r4.output.count("\n") == 1


def test_plot_writes_the_curve(tmp_path):
    pytest.importorskip("matplotlib")
    records, truth = diffusion_records(1)
    result = diffusion(build_graph(records, quiet=True), truth["ref"])
    from polgraph.graph.diffusion import plot_adoption_curve

    for name in ("c.svg", "c2.svg"):
        plot_adoption_curve(result, str(tmp_path / name))
    assert (tmp_path / "c.svg").read_bytes() == (tmp_path / "c2.svg").read_bytes()  # same input, same bytes
    plot_adoption_curve(result, str(tmp_path / "c.png"))
    assert (tmp_path / "c.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(PolgraphError, match=r"\.png or \.svg"):
        plot_adoption_curve(result, str(tmp_path / "c.gif"))


def test_plot_without_matplotlib_names_the_install(tmp_path, monkeypatch):
    records, truth = diffusion_records(1)
    result = diffusion(build_graph(records, quiet=True), truth["ref"])
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    with pytest.raises(PolgraphError) as e:
        diffusion_module.plot_adoption_curve(result, str(tmp_path / "c.png"))
    assert str(e.value) == "drawing the adoption curve needs matplotlib: pip install 'polgraph[plot]'"
    assert not (tmp_path / "c.png").exists()


def test_the_cli_names_the_plot_option_when_matplotlib_is_missing(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from polgraph.cli import cli
    from polgraph.graph.io import save_graph

    records, truth = diffusion_records(1)
    save_graph(build_graph(records, quiet=True), tmp_path / "g.json")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = CliRunner().invoke(cli, ["diffusion", str(tmp_path / "g.json"), truth["ref"], "--plot",
                                      str(tmp_path / "c.png")])
    assert result.exit_code == 2
    assert "polgraph: --plot needs matplotlib: pip install 'polgraph[plot]'" in result.output


def test_render_focus_links_to_the_adoption_page(tmp_path):
    corpus = REPO / "data" / "diffusion_sample"
    out = tmp_path / "focus.html"
    r = CliRunner().invoke(cli, ["render", str(corpus), "-o", str(out), "--focus", "国办发[2019]58号", "-q"])
    assert r.exit_code == 0, r.output
    page = tmp_path / "focus.diffusion.html"
    assert '<a id="diffusion-link" href="focus.diffusion.html">' in out.read_text(encoding="utf-8")
    from polgraph.graph.diffusion import diffusion_html

    assert page.read_text(encoding="utf-8") == diffusion_html(diffusion(build_graph([str(corpus)], quiet=True),
                                                                        "国办发〔2019〕58号"))
    plain = tmp_path / "all.html"
    assert CliRunner().invoke(cli, ["render", str(corpus), "-o", str(plain), "-q"]).exit_code == 0
    assert "diffusion-link" not in plain.read_text(encoding="utf-8")
    assert not (tmp_path / "all.diffusion.html").exists()


def test_divisions_of_issuer_with_adcodes():
    from polgraph.extract.levels import divisions_of_issuer

    def codes(name):
        found = divisions_of_issuer(name)
        return found and {k: (v.name, v.adcode) for k, v in found.items()}

    assert codes("三台县人民政府办公室") == {"province": ("四川省", "510000"), "city": ("绵阳市", "510700"),
                                     "county": ("三台县", "510722")}
    assert codes("北京市朝阳区人民政府") == {"province": ("北京市", "110000"), "county": ("朝阳区", "110105")}
    assert codes("济源市人民政府") == {"province": ("河南省", "410000"), "county": ("济源市", "419001")}  # 省直辖
    assert codes("中共四川省委办公厅") == {"province": ("四川省", "510000")}
    assert codes("国家税务总局山西省税务局") == {"province": ("山西省", "140000")}
    assert codes("莱芜市人民政府") == {"province": ("山东省", "370000"), "city": ("莱芜市", None)}  # a former city
    assert codes("安泽县城关镇人民政府")["county"] == ("安泽县", "141026")  # a township belongs to its county
    assert codes("国务院办公厅") is None and codes("朝阳区人民政府") is None  # central; 朝阳区 of which city?


def _opinion_and_a_repealed_adoption(tmp_path):
    """A State Council opinion; 四川 implements it in 2016 and repeals its own opinion in 2021 with a new one that
    no longer cites the State Council's; 山西 implements it in 2017 and keeps it."""
    docs = {
        "central.txt": "国务院关于推进某某改革的指导意见\n国发〔2015〕9号\n\n各省、自治区、直辖市人民政府：\n"
                       "现就推进某某改革提出以下意见。\n\n国务院\n2015年3月2日\n",
        "sichuan.txt": "四川省人民政府关于推进某某改革的实施意见\n川府发〔2016〕4号\n\n各市（州）人民政府：\n"
                       "为贯彻落实《国务院关于推进某某改革的指导意见》（国发〔2015〕9号）精神，提出如下实施意见。\n\n"
                       "四川省人民政府\n2016年1月20日\n",
        "sichuan_new.txt": "四川省人民政府关于深化某某工作的意见\n川府发〔2021〕12号\n\n各市（州）人民政府：\n"
                           "本意见自2021年7月1日起施行，《四川省人民政府关于推进某某改革的实施意见》（川府发〔2016〕4号）"
                           "同时废止。\n\n四川省人民政府\n2021年6月10日\n",
        "shanxi.txt": "山西省人民政府关于推进某某改革的实施意见\n晋政发〔2017〕8号\n\n各市人民政府：\n"
                      "为贯彻落实《国务院关于推进某某改革的指导意见》（国发〔2015〕9号）精神，提出如下实施意见。\n\n"
                      "山西省人民政府\n2017年2月8日\n",
    }
    for name, text in docs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_status_of_adopting_documents_and_in_force_only(tmp_path):
    corpus = _opinion_and_a_repealed_adoption(tmp_path)
    runner = CliRunner()
    before = runner.invoke(cli, ["diffusion", str(corpus), "国发〔2015〕9号", "--as-of", "2020-01-01", "-q",
                                 "--format", "json"])
    assert before.exit_code == 0, before.output
    got = json.loads(before.output)
    assert [(u["unit"], u["first"]["status"]) for u in got["units"]] == [("四川省", "in_force"), ("山西省", "in_force")]
    after = runner.invoke(cli, ["diffusion", str(corpus), "国发〔2015〕9号", "--as-of", "2022-01-01", "-q"])
    assert after.exit_code == 0, after.output
    assert "川府发〔2016〕4号  四川省人民政府关于推进某某改革的实施意见  [provincial]  [repealed 2021-07-01 by 川府发〔2021〕12号]" \
        in after.output
    only = runner.invoke(cli, ["diffusion", str(corpus), "国发〔2015〕9号", "--as-of", "2022-01-01", "-q",
                               "--in-force-only", "--format", "csv"])
    rows = list(csv.DictReader(only.output.splitlines()))
    assert [(r["unit"], r["status"]) for r in rows if r["adopted"] == "1"] == [("山西省", "in_force")]
    assert "四川省" in {r["unit"] for r in rows if r["adopted"] == "0"}
    # before the repeal took effect, 四川 still counts with --in-force-only
    early = runner.invoke(cli, ["diffusion", str(corpus), "国发〔2015〕9号", "--as-of", "2021-06-30", "-q",
                                "--in-force-only", "--format", "json"])
    assert [u["unit"] for u in json.loads(early.output)["units"]] == ["四川省", "山西省"]


def test_output_paths_are_checked_before_any_work(tmp_path):
    corpus = REPO / "data" / "diffusion_sample"
    runner = CliRunner()
    for option in ("--panel", "--html", "--plot"):
        r = runner.invoke(cli, ["diffusion", str(corpus), "国办发[2019]58号", "-q", option,
                                str(tmp_path / "missing" / "out.csv")])
        assert r.exit_code != 0 and "does not exist" in r.output and len(r.output.strip().splitlines()) == 1, r.output
    inside = runner.invoke(cli, ["diffusion", str(corpus), "国办发[2019]58号", "-q", "--panel",
                                 str(corpus / "01_central.txt")])
    assert inside.exit_code != 0 and "input" in inside.output
    assert (corpus / "01_central.txt").read_text(encoding="utf-8").startswith("国务院办公厅")


def test_lags_count_from_the_first_version_a_consolidated_text_stands_for():
    """The corpus holds a law only as its 2013 consolidated text, which kept its first version's clause (1988):
    provinces that adopted it in 1995 and 2015 did so 7 and 27 years after it took effect, not -18 and +2. With an
    earlier version in the graph, the latest text's clock is its own date again; --all-versions starts at the
    oldest text's first version."""
    from graph_support import cit, rec

    law = "中华人民共和国某某资源保护法"
    consolidated = rec("law/2013.txt", law, level="central", date="2013-06-29", issuer=["全国人民代表大会常务委员会"],
                       effective_on="1988-01-01", original_version=True)
    adopters = {"山西省": "1995-03-01", "四川省": "2015-09-25"}
    local = [rec(f"p/{p}.txt", f"{p}某某资源保护条例", level="provincial", date=d, issuer=[p + "人民代表大会常务委员会"],
                 region=p, citations=[cit(title=law, relation="BASED_ON", cue="根据", level="central")])
             for p, d in adopters.items()]
    result = diffusion(build_graph([consolidated] + local, quiet=True), law)
    assert result["target"]["first_date"] == "1988-01-01"
    first = dt.date.fromisoformat("1988-01-01")
    assert {u["unit"]: u["lag_days"] for u in result["units"]} == {
        p: (dt.date.fromisoformat(d) - first).days for p, d in adopters.items()}
    assert "dated 2013-06-29, first version in force 1988-01-01 (lags count from it)" in format_diffusion_text(result)

    newer = rec("law/2021.txt", law, level="central", date="2021-04-29", issuer=["全国人民代表大会常务委员会"])
    late = rec("p/云南省.txt", "云南省某某资源保护条例", level="provincial", date="2022-05-27", issuer=["云南省人民代表大会常务委员会"],
               region="云南省", citations=[cit(title=law, relation="BASED_ON", cue="根据", level="central")])
    G = build_graph([consolidated, newer, late] + local, quiet=True)
    only = diffusion(G, law)  # the 2021 text: its own clock
    assert [(u["unit"], u["lag_days"]) for u in only["units"]] == [
        ("云南省", (dt.date(2022, 5, 27) - dt.date(2021, 4, 29)).days)]
    assert "first version in force" not in format_diffusion_text(only)
    every = diffusion(G, law, all_versions=True)
    assert {u["unit"]: u["lag_days"] for u in every["units"]} == {
        p: (dt.date.fromisoformat(d) - first).days for p, d in {**adopters, "云南省": "2022-05-27"}.items()}
    assert "(the oldest text's first version in force 1988-01-01); lags from 1988-01-01" in format_diffusion_text(every)
