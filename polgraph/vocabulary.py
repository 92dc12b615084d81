"""The levels and relations of the citation graph, from their one source: data/levels.tsv and data/relations.tsv.

Every stage takes the names, their order, their Chinese names and their styles from here: extraction (cue
relations, levels), the graph (node and edge attributes), the CLI (choices), `render`/`annotate` (colours,
dashes, legends), Neo4j (labels, relationship types) and the Neo4j Browser style (cypher/polgraph.grass, written
by `browser_style`).

    >>> LEVELS[0], LEVELS[-1]
    ('central', 'unknown')
    >>> LEVEL_RANK["provincial"] < LEVEL_RANK["county"]
    True
    >>> RELATIONS[0], RELATIONS[-1]
    ('IMPLEMENTS', 'CITES')
    >>> level_info("county").zh, level_info("county").neo4j_label
    ('县级', 'County')
    >>> relation_info("FORWARDS").dashes
    [2, 4]
"""
from __future__ import annotations

from dataclasses import dataclass

from polgraph.data import table_rows

__all__ = ["Level", "Relation", "LEVEL_TABLE", "RELATION_TABLE", "LEVELS", "LEVEL_RANK", "RELATIONS",
           "level_info", "relation_info", "browser_style"]


@dataclass(frozen=True)
class Level:
    name: str               # central, provincial, municipal, county, township, unknown
    zh: str                 # 中央 (legends)
    zh_long: str            # 级别不明 (running text)
    neo4j_label: str        # Central
    colour: str             # render/annotate node colour
    browser_color: str      # Neo4j Browser node fill
    browser_border: str
    browser_diameter: str
    browser_text: str


@dataclass(frozen=True)
class Relation:
    name: str               # IMPLEMENTS ... CITES; also the edge key and the Neo4j relationship type
    zh: str                 # 贯彻落实
    by_cue: bool            # a cue phrase (data/cues.tsv) says it; else made otherwise (CITES, SUPERSEDES)
    post_decides: bool      # a cue right after the mention (《X》同时废止) decides over the verb before it
    adoption: bool          # citing this way adopts the cited document (diffusion)
    changes: bool           # citing this way repeals, amends or supersedes the cited document (checks)
    colour: str             # render/annotate edge colour
    dashes: list | bool     # render dash pattern, False = solid
    width: float            # render edge width
    browser_color: str      # Neo4j Browser relationship colour
    browser_shaft_width: str


def _rows(name: str, columns: int) -> list[list[str]]:
    rows = []
    for n, parts in table_rows(name):
        if len(parts) != columns or not all(parts):
            raise ValueError(f"data/{name} line {n}: expected {columns} tab-separated values")
        rows.append(parts)
    return rows


def _yes(text: str) -> bool:
    if text not in ("yes", "no"):
        raise ValueError(f"data/relations.tsv: expected yes or no, not {text!r}")
    return text == "yes"


def _dashes(text: str) -> list | bool:
    return False if text == "-" else [int(x) for x in text.split(",")]


LEVEL_TABLE: tuple[Level, ...] = tuple(Level(*row) for row in _rows("levels.tsv", 9))
RELATION_TABLE: tuple[Relation, ...] = tuple(
    Relation(name, zh, _yes(by_cue), _yes(post), _yes(adoption), _yes(changes), colour, _dashes(dashes),
             float(width), browser_color, shaft)
    for name, zh, by_cue, post, adoption, changes, colour, dashes, width, browser_color, shaft
    in _rows("relations.tsv", 11))

LEVELS: tuple[str, ...] = tuple(lv.name for lv in LEVEL_TABLE)
LEVEL_RANK: dict[str, int] = {lvl: i for i, lvl in enumerate(LEVELS)}  # smaller = higher in the hierarchy
RELATIONS: tuple[str, ...] = tuple(r.name for r in RELATION_TABLE)
_LEVEL_BY_NAME = {lv.name: lv for lv in LEVEL_TABLE}
_RELATION_BY_NAME = {r.name: r for r in RELATION_TABLE}


def level_info(level: str | None) -> Level:
    """The row of `level`; the unknown level's row for anything that is not a level.

    >>> level_info("municipal").colour
    '#2471a3'
    >>> level_info("nowhere").name
    'unknown'
    """
    return _LEVEL_BY_NAME.get(level) or _LEVEL_BY_NAME["unknown"]


def relation_info(relation: str | None) -> Relation:
    """The row of `relation`; CITES's row (the plain citation) for anything that is not a relation.

    >>> relation_info("REPEALS").zh
    '废止'
    >>> relation_info(None).name
    'CITES'
    """
    return _RELATION_BY_NAME.get(relation) or _RELATION_BY_NAME["CITES"]


# The parts of the Browser style that are not per level or relation: the defaults, the grey placeholder (first:
# Browser applies the first matching label's style, and a placeholder also carries a level label) and the
# caption of a bare Document.
_BROWSER_DEFAULTS = """node {
  diameter: 50px;
  color: #A5ABB6;
  border-color: #9AA1AC;
  border-width: 2px;
  text-color-internal: #FFFFFF;
  font-size: 10px;
}

relationship {
  color: #A5ABB6;
  shaft-width: 1px;
  font-size: 8px;
  padding: 3px;
  text-color-external: #000000;
  text-color-internal: #FFFFFF;
  caption: '<type>';
}

node.Placeholder {
  diameter: 35px;
  color: #D9D9D9;
  border-color: #8C8C8C;
  text-color-internal: #333333;
  caption: '{label}';
}
"""
_BROWSER_DOCUMENT = """node.Document {
  caption: '{label}';
}
"""


def browser_style() -> str:
    """The Neo4j Browser style sheet (GraSS) for the levels and relations: the text of cypher/polgraph.grass.

    >>> print(browser_style().split("relationship.CITES ")[1])
    {
      color: #BDC3C7;
      shaft-width: 1px;
    }
    <BLANKLINE>
    """
    blocks = [_BROWSER_DEFAULTS]
    for lv in LEVEL_TABLE:
        blocks.append(f"node.{lv.neo4j_label} {{\n  diameter: {lv.browser_diameter};\n  color: {lv.browser_color};\n"
                      f"  border-color: {lv.browser_border};\n  text-color-internal: {lv.browser_text};\n"
                      f"  caption: '{{label}}';\n}}\n")
    blocks.append(_BROWSER_DOCUMENT)
    for r in RELATION_TABLE:
        blocks.append(f"relationship.{r.name} {{\n  color: {r.browser_color};\n  shaft-width: {r.browser_shaft_width};\n}}\n")
    return "\n".join(blocks)
