"""The record `polgraph extract` writes for each document, as typed classes: the one statement of its schema.

A `Record` holds the document's own metadata, its `Citation`s (each with every `Mention` of the cited document) and
its lifecycle clauses (`Effective`, `Expiry`, `Repeal`: extract/lifecycle.py). The JSON Lines form is derived from
the classes: keys in field order, then any extra keys sorted (a portal page's `index_number`, `topic`,
`repeal_date`, `validity`), non-ASCII kept as is; the same record always gives the same bytes.

Extraction itself builds plain dicts of this shape (its hot path, benchmarked by bench/extract_throughput.py);
`record_json` writes such a dict with the key order taken from these classes, and `Record.from_dict` /
`Record.from_json` give the typed form of one.

>>> m = Mention(start=4, end=18, sentence="为贯彻落实《国务院关于深化改革的意见》精神", cue="为贯彻落实", relation="IMPLEMENTS")
>>> c = Citation(doc_number=None, doc_number_raw=None, title="国务院关于深化改革的意见", cited_level="central",
...              relation="IMPLEMENTS", cue="为贯彻落实", start=4, end=18, sentence=m.sentence, mentions=[m])
>>> r = Record(path="a.txt", title="山西省实施方案", level="provincial", region="山西省", citations=[c])
>>> line = r.to_json()
>>> line  # doctest: +ELLIPSIS
'{"path": "a.txt", "id": null, "title": "山西省实施方案", "doc_number": null, "issuer": [], ..."mentions": [{"start": 4, ...}]}], "effective": null, "expires": null, "repeals": []}'
>>> Record.from_json(line) == r
True
"""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

# The separators of a record line: json.dumps's defaults, spelled out since they are part of the output's bytes.
_SEPARATORS = (", ", ": ")


def _keys(cls) -> tuple[str, ...]:
    """The JSON keys of `cls` in output order: its fields, but not the catch-all `extra`."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name != "extra")


@dataclass(slots=True)
class Mention:
    """One place in the text where a cited document is named: `text[start:end]`, its sentence and cue."""

    start: int
    end: int
    sentence: str
    cue: str | None
    relation: str


@dataclass(slots=True)
class Citation:
    """A cited document, once per document however often it is named (in order of first mention).

    `doc_number` is the normalised 文号 (`doc_number_raw` as written), `relation` and `cue` those of the first
    mention that decides; `start`/`end`/`sentence` are the first mention's; `anonymised` marks numbers like
    `xx办函〔x〕529号`.
    """

    doc_number: str | None = None
    doc_number_raw: str | None = None
    title: str | None = None
    cited_issuer: str | None = None
    cited_level: str = "unknown"
    relation: str = "CITES"
    cue: str | None = None
    start: int = 0
    end: int = 0
    sentence: str = ""
    anonymised: bool = False
    mentions: list[Mention] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> "Citation":
        known = {k: d[k] for k in CITATION_KEYS if k in d and k != "mentions"}
        mentions = [Mention(**m) for m in d.get("mentions") or ()]
        return cls(**known, mentions=mentions, extra={k: v for k, v in d.items() if k not in CITATION_KEYS})

    def to_dict(self) -> dict:
        out = {k: getattr(self, k) for k in CITATION_KEYS}
        out["mentions"] = [dataclasses.asdict(m) for m in self.mentions]
        return _with_extra(out, self.extra)


@dataclass(slots=True)
class Effective:
    """When the document takes effect by its own clause; `phrase` says which kind of clause (README)."""

    date: str | None
    phrase: str
    original_version: bool
    sentence: str
    start: int
    end: int


@dataclass(slots=True)
class Expiry:
    """The last day in force by the document's own term (有效期)."""

    date: str | None
    phrase: str
    sentence: str
    start: int
    end: int


@dataclass(slots=True)
class Repeal:
    """A REPEALS citation that takes effect with the document (《X》同时废止), dated by its effective date."""

    title: str | None
    doc_number: str | None
    date: str | None
    sentence: str | None
    start: int | None
    end: int | None


@dataclass(slots=True)
class Record:
    """One document's own metadata, citations and lifecycle: a line of `polgraph extract` output.

    `sources` says where each own field came from (header, meta, page_title, heading, text, input); `extra` holds
    the fields a portal page may add (index_number, topic, repeal_date, validity), written after the others, sorted.
    """

    path: str | None = None
    id: str | None = None
    title: str | None = None
    doc_number: str | None = None
    issuer: list[str] = field(default_factory=list)
    date: str | None = None
    level: str = "unknown"
    region: str | None = None
    carries: list[str] = field(default_factory=list)
    sources: dict = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)
    effective: Effective | None = None
    expires: Expiry | None = None
    repeals: list[Repeal] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> "Record":
        """The typed form of a record dict (as extraction builds it or a JSON line gives it)."""
        known = {k: d[k] for k in RECORD_KEYS if k in d}
        known["citations"] = [Citation.from_dict(c) for c in d.get("citations") or ()]
        if known.get("effective") is not None:
            known["effective"] = Effective(**known["effective"])
        if known.get("expires") is not None:
            known["expires"] = Expiry(**known["expires"])
        known["repeals"] = [Repeal(**x) for x in d.get("repeals") or ()]
        return cls(**known, extra={k: v for k, v in d.items() if k not in RECORD_KEYS})

    def to_dict(self) -> dict:
        """The record as the dict extraction builds: schema fields in order, then `extra`'s keys sorted."""
        out = {k: getattr(self, k) for k in RECORD_KEYS}
        out["citations"] = [c.to_dict() for c in self.citations]
        for key in ("effective", "expires"):
            if out[key] is not None:
                out[key] = dataclasses.asdict(out[key])
        out["repeals"] = [dataclasses.asdict(x) for x in self.repeals]
        return _with_extra(out, self.extra)

    @classmethod
    def from_json(cls, line: str) -> "Record":
        return cls.from_dict(json.loads(line))

    def to_json(self) -> str:
        """One JSON line (no newline), the bytes `polgraph extract` writes for this record."""
        return record_json(self.to_dict())


RECORD_KEYS = _keys(Record)
CITATION_KEYS = _keys(Citation)
MENTION_KEYS = _keys(Mention)
EFFECTIVE_KEYS = _keys(Effective)
EXPIRY_KEYS = _keys(Expiry)
REPEAL_KEYS = _keys(Repeal)


def _with_extra(out: dict, extra: dict) -> dict:
    for k in sorted(extra):
        out[k] = extra[k]
    return out


def _ordered(d: dict, keys: tuple) -> dict:
    out = {k: d[k] for k in keys if k in d}
    for k in sorted(k for k in d if k not in out):
        out[k] = d[k]
    return out


def record_json(record: dict) -> str:
    """One JSON line for a record dict: the keys of `Record` and `Citation` in field order, any others sorted after
    them, non-ASCII kept as is. The same record always gives the same bytes.

    >>> record_json({"citations": [], "title": "关于X的通知", "path": "a.txt", "topic": "财政"})
    '{"path": "a.txt", "title": "关于X的通知", "citations": [], "topic": "财政"}'
    """
    rec = _ordered(record, RECORD_KEYS)
    if isinstance(rec.get("citations"), list):
        rec["citations"] = [_ordered(c, CITATION_KEYS) if isinstance(c, dict) else c for c in rec["citations"]]
    return json.dumps(rec, ensure_ascii=False, separators=_SEPARATORS)
