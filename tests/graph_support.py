"""Hand-made extraction records for the graph tests, as the dicts the graph stage reads (built by
tests/factories.py from polgraph/models.py)."""
from __future__ import annotations

from factories import citation, record


def cit(number=None, title=None, relation="IMPLEMENTS", cue="为贯彻落实", issuer=None, level="unknown",
        anonymised=False, start=0) -> dict:
    return citation(number, title, relation, cue, issuer, level, anonymised, start).to_dict()


def rec(path, title=None, number=None, level="unknown", date=None, issuer=(), region=None, carries=(),
        citations=(), **lifecycle) -> dict:
    return record(path, title, number, level, date, issuer, region, carries, citations, **lifecycle).to_dict()


STATE = "国务院关于印发“十二五”期间深化医药卫生体制改革规划暨实施方案的通知"
STATE_CARRIED = "“十二五”期间深化医药卫生体制改革规划暨实施方案"
OFFICE = "国务院办公厅关于全面推开县级公立医院综合改革的实施意见"
PROV = "山西省人民政府关于印发山西省全面推开县级公立医院综合改革实施方案的通知"
PROV_CARRIED = "山西省全面推开县级公立医院综合改革实施方案"
CITY = "临汾市全面推开县级公立医院综合改革实施方案"
COUNTY = "安泽县深化县级公立医院人事制度改革意见"


def chain_records() -> list[dict]:
    """central (国发) ← central (国办发) ← provincial (印发 notice) ← municipal ← county, plus a gap."""
    return [
        rec("c/state.txt", STATE, "国发〔2012〕11号", "central", "2012-03-14", ["国务院"], carries=[STATE_CARRIED]),
        rec("c/office.txt", OFFICE, "国办发〔2015〕33号", "central", "2015-05-08", ["国务院办公厅"], citations=[
            cit("国发〔2012〕11号", STATE, issuer="国务院", level="central"),
            cit(None, "中共中央国务院关于深化医药卫生体制改革的意见", level="central", start=80),
        ]),
        rec("p/shanxi.txt", PROV, "晋政发〔2015〕20号", "provincial", "2015-08-01", ["山西省人民政府"], "山西省",
            carries=[PROV_CARRIED], citations=[cit("国办发〔2015〕33号", OFFICE, level="central")]),
        rec("m/linfen.txt", CITY, "临政发〔2015〕9号", "municipal", "2015-11-20", ["临汾市人民政府"], "山西省",
            citations=[cit(None, PROV_CARRIED, level="provincial"),
                       cit("国办发〔2015〕33号", None, level="central", start=60)]),
        rec("k/anze.txt", COUNTY, "安政办发〔2016〕3号", "county", "2016-02-01", ["安泽县人民政府办公室"], "山西省",
            citations=[cit("临政发〔2015〕9号", CITY, level="municipal"),
                       cit("晋人社厅〔2012〕106号", "关于印发山西省深化县级公立医院人事制度改革意见的通知",
                           cue="根据", relation="BASED_ON", issuer="山西省人力资源和社会保障厅",
                           level="provincial", start=90)]),
    ]
