"""Citations of one document: 文号 and 《title》 mentions merged, filtered, given a relation and evidence.

`extract_text` is the entry point (the pipeline calls it per document). The work is anchored on the
numbers (docnumber.find_docnumbers) and the 《》 spans (titles.find_titles); everything else looks only
at a bounded window around an anchor, so a text without anchors costs two C-level scans.

Mentions become citations by these rules (GUIDELINES "citations"):
  - 《X》（国办发〔2015〕33号） is one mention of one document; in 《A》、《B》(国发〔2012〕11号) the number
    belongs to B only; 33号、34号 are two documents;
  - a number that "issued" a title later in the same clause (法〔1998〕86号通知印发了《X》,
    京政发〔1985〕167号文件发布…的《X》) is X's number;
  - `标题 文号：沪科合〔2005〕第11号` list lines cite the title and the number together;
  - not cited: the document itself (own number, own title, what it carries, their 以下简称 abbreviations),
    its attachments (附件1《…》), forms, periodicals and speeches (data/title_kinds.tsv), titles to be
    drafted (研究制定《…》), abbreviations introduced by （以下简称《Y》） (they are mentions of X);
  - one citation per distinct document (same number, or same title without a conflicting number), in order
    of first mention; its relation is that of its first mention; every mention is kept in `mentions`.
"""
from __future__ import annotations

import bisect
import contextlib
import dataclasses
import functools
import operator
import re

from polgraph.extract.cues import (PARAGRAPH_END_BEFORE, RELATIONS, SENTENCE_END, _hard_break, _post_openers,
                                   _pre_regex, clause_and_stop, describes_history, find_list_cue, find_post_cue,
                                   find_pre_cue, intro_line_cue, sentence_end)
from polgraph.extract.docnumber import (NumberMatch, docnumber_key, find_docnumbers, normalize_docnumber,
                                        number_key, parse_docnumber)
from polgraph.extract.levels import level_of_cited_title
from polgraph.extract.lifecycle import _sentence as lifecycle_sentence
from polgraph.extract.lifecycle import extract_lifecycle
from polgraph.extract.lists import LIST_MARKER, MARKER_LAST, ends_line, intro_colon, item_line, may_be_item
from polgraph.extract.metadata import blank_after, extract_metadata
from polgraph.extract.organs import _ORGAN_END, _levels_api, looks_like_organ
from polgraph.extract.titles import find_titles, is_document_title, title_key
from polgraph.extract import textview
from polgraph.vocabulary import RELATION_TABLE

MAX_SENTENCE = 300
_NUMBER_AFTER_TITLE = re.compile(r"[ \t\u3000\n]{0,2}[（(]?[ \t\u3000]{0,2}$")
_VEHICLE_AFTER = re.compile(r"[ \t\u3000]*(?:号)?(?:文件|通知|文|令)?[ \t\u3000]*(?:发布|印发|颁布|公布)(?:了|的)?")
_LIST_LABEL = re.compile(r"(?:文号|发文字号|字号)[ \t\u3000]*[：:][ \t\u3000]*$")
_LIST_ITEM_HEAD = re.compile(f"^(?:{LIST_MARKER.pattern})?[ \t\u3000]*")
_CLAUSE_BREAK = re.compile(r"[，,；;。！？]|\n[ \t\u3000]*\n")
_FIELD_LABEL = re.compile(r"^[ \t\u3000]*(?:发文单位|发文机关|制定机关|发布机关|发布日期|成文日期|印发日期|施行日期|实施日期|"
                          r"有效期|状态|备注)[ \t\u3000]*[：:]")
_ATTACHMENT = re.compile(r"附\s*件\s*[0-9０-９一二三四五六七八九十]{0,3}\s*[：:．.、]?\s*$")
_ALIAS_BEFORE = re.compile(r"以下简称[ \t\u3000]*$")
_ISSUER_CHARS = re.compile(r"[\u4e00-\u9fff、 \u3000Xx×]{2,40}$")  # 中共XX省委: anonymised names too
_ORGAN_HEADS = ("中共", "中央", "中纪委", "中组部", "中宣部", "中办", "国办", "国务院", "全国", "省", "市", "县", "区")
_ISSUER_LEAD = re.compile(r"^(?:[年月日号和及与并、的在由经以为对从将据现兹]|以来|其中|同时|先后|分别|特将)+")


_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


def _numbers(text: str) -> list:
    """find_docnumbers, but a 机关代字 never reaches back over a blank line (a heading above the number
    line is not part of it: `…的答复\n\n民函〔2021〕742号`)."""
    out = []
    for n in find_docnumbers(text):
        last = None
        if text.find("\n", n.start, n.end) >= 0:  # a blank line needs a line break
            for last in _BLANK_LINE.finditer(text[n.start:n.end]):
                pass
        if last is not None:
            start = n.start + last.end()
            number = parse_docnumber(text[start:n.end])
            if number is not None:
                n = NumberMatch(number, start, n.end)
        out.append(n)
    return out


# The last sentence stop of a window: `.*` runs to the window's end and backs off to it (a backward scan in C).
_LAST_SENTENCE_STOP = re.compile("(?s).*[" + re.escape("".join(sorted(SENTENCE_END))) + "\n]")
_SENTENCE_STOPS = frozenset(SENTENCE_END | {"\n"})  # the characters _LAST_SENTENCE_STOP stops at


def _sentence(text: str, start: int, end: int, after: int | None = None, back: int | None = None) -> str:
    """The sentence around text[start:end], line breaks removed; `after` is sentence_end(text, end) (with
    its longer default limit) when the caller has it; `back` is where the search for its start may begin
    (clause_and_stop(text, start)[1]: nothing after it up to `start` ends a sentence)."""
    lo = start - MAX_SENTENCE if start > MAX_SENTENCE else 0  # (no builtin calls in the per-mention path)
    i = start - 1 if back is None else back
    while True:
        if i < lo:
            i = lo - 1
            break
        if text[i] not in _SENTENCE_STOPS:  # else the regex would stop right here
            m = _LAST_SENTENCE_STOP.match(text, lo, i + 1)
            if m is None:
                i = lo - 1
                break
            i = m.end() - 1
        if text[i] != "\n" or i == 0 or text[i - 1] in PARAGRAPH_END_BEFORE or _hard_break(text, i):
            break
        i -= 1
    if after is None:
        stop = sentence_end(text, end, MAX_SENTENCE)
    else:  # the first stop within the shorter limit is the same one
        stop = after if after <= end + MAX_SENTENCE else end + MAX_SENTENCE  # after <= len(text)
    j = stop + 1 if stop < len(text) and text[stop] in SENTENCE_END else stop
    return text[i + 1:j].replace("\n", "").strip()


def _cited_issuer(text: str, start: int) -> str | None:
    """The organ written right before a 《title》: 山西省人力资源和社会保障厅《关于…》."""
    # What is kept below ends where the text before the title ends (less a line break, spaces and 、), and
    # looks_like_organ wants an organ's ending there: most titles follow 根据/的/和 and stop here.
    e = start - 1 if text[start - 1:start] == "\n" else start
    while e > 0 and text[e - 1] in "、 \u3000":
        e -= 1
    if e == 0 or text[e - 1] not in _ORGAN_END_LAST or not text.endswith(_ORGAN_END, 0, e):
        return None
    m = _ISSUER_CHARS.search(text, max(0, start - 40), start)
    if not m:
        return None
    cand = m.group(0)
    # cut after the cue that ends last: the first match in the reversed candidate
    cue = _pre_regex()[0].search(cand[::-1])
    cut = len(cand) - cue.start() if cue is not None else 0
    cand = _ISSUER_LEAD.sub("", cand[cut:].strip())
    cand = cand.strip("、 \u3000")
    if not cand or not looks_like_organ(cand.split("、")[-1]) or cand.endswith("的"):
        return None
    # accept a known organ, or a short form whose head is an organ's (中共XX省委, 中纪委、中组部, 省、市)
    if cand.startswith(_ORGAN_HEADS):
        return cand
    level_of_agency, level_of_issuer = _levels()
    if level_of_issuer is not None and level_of_issuer(cand)[0] != "unknown":
        return cand
    return None


_ORGAN_END_LAST = frozenset(e[-1] for e in _ORGAN_END)  # one lookup rules out most texts before a title
_ISSUER_BEFORE = _ORGAN_END_LAST | frozenset("\n、 \u3000")  # what _cited_issuer can find before a title
_RELATION_SET = frozenset(RELATIONS)
_POST_DECIDES = frozenset(r.name for r in RELATION_TABLE if r.post_decides)  # data/relations.tsv
_BY_SPAN = operator.attrgetter("start", "end")


class _Mention:
    __slots__ = ("start", "end", "cue_at", "post_at", "title", "number", "skip", "listed")

    def __init__(self, start, end, cue_at, post_at, title=None, number=None):
        self.start, self.end = start, end          # the cited span
        self.cue_at, self.post_at = cue_at, post_at  # where the cue search looks back from / ahead from
        self.title, self.number = title, number    # str | None, NumberMatch | None
        self.skip = False
        # an item of a list introduced by a line such as 现对以下规范性文件宣布失效：-- True, or the offset
        # of that line's colon when known
        self.listed = False


def _mentions(text: str, numbers, titles) -> list[tuple]:
    """Number and title anchors paired into mentions, in text order, each as a tuple
    (start, end, cue_at, post_at, title, number, listed) -- the fields of _Mention."""
    if not numbers:
        # most documents: the titles, in text order and apart, none of them a list item (tested inline: this
        # loop sees every title of a title-heavy corpus)
        for _, start, end in titles:
            if start and text[start - 1] in MARKER_LAST and ends_line(text, end):  # may_be_item, inlined
                break
        else:
            return [(start, end, start, end, title, None, False) for title, start, end in titles]
    used = set()
    out = []
    ni = 0
    for t in titles:
        # the number written right after the title: 《X》（国办发〔2015〕33号） or 《X》国发〔2012〕11号
        while ni < len(numbers) and numbers[ni].start < t.end:
            ni += 1
        if ni and ni - 1 not in used and t.start < numbers[ni - 1].start and t.end - numbers[ni - 1].end <= 3:
            # or inside it, at its end: 《新一代人工智能发展规划（国发〔2017〕35号）》 -- one document, the title without it
            inner = _NUMBER_ENDS_TITLE.search(t.title)
            if inner is not None:
                used.add(ni - 1)
                out.append(_Mention(t.start, t.end, t.start, t.end, t.title[:inner.start()].rstrip(), numbers[ni - 1]))
                continue
        number = None
        if ni < len(numbers) and numbers[ni].start - t.end <= 4 and ni not in used:
            gap = text[t.end:numbers[ni].start]
            if _NUMBER_AFTER_TITLE.match(gap):
                number = numbers[ni]
                used.add(ni)
        end = t.end
        if number is not None:
            end = number.end
            if end < len(text) and text[end] in "）)":
                end += 1
        out.append(_Mention(t.start, end, t.start, t.end, t.title, number))
    titles_by_start = list(out)
    # A title mention whose start moves to a number's also gets that number: the ones still without a number
    # are at their title's start, so they can be looked up by it.
    title_starts = [m.start for m in titles_by_start]
    title_at = dict(zip(title_starts, titles_by_start))
    # a number that issued a title later in its clause: 法〔1998〕86号通知印发了《X》
    for i, n in enumerate(numbers):
        if i in used:
            continue
        if _VEHICLE_AFTER.match(text, n.end):
            for m in titles_by_start[bisect.bisect_right(title_starts, n.end):]:
                if m.start <= n.end or m.number is not None:
                    continue
                between = text[n.end:m.start]
                if len(between) > 160 or _CLAUSE_BREAK.search(between):
                    break
                m.number = n
                m.start = n.start
                used.add(i)
                break
    # list lines: `1.上海市…管理办法（试行） 文号：沪科合〔2005〕第11号`, or the title a line or two above
    # the 文号： line (with 发文单位： lines between)
    for i, n in enumerate(numbers):
        if i in used:
            continue
        j = n.start - 1
        while j >= 0 and text[j] in " \t\u3000":
            j -= 1
        if j < 0 or text[j] not in "：:":
            continue  # no 文号： label right before the number
        line_start = text.rfind("\n", 0, n.start) + 1
        before = text[line_start:n.start]
        lm = _LIST_LABEL.search(before)
        if not lm:
            continue
        head_start, head = line_start, before[:lm.start()]
        up = line_start
        for _ in range(3):
            if head.strip(" \t\u3000，,；;"):
                break
            if up <= 0:
                break
            prev_start = text.rfind("\n", 0, up - 1) + 1
            line = text[prev_start:up - 1]
            if _FIELD_LABEL.match(line):
                up = prev_start
                continue
            head_start, head, up = prev_start, line, prev_start
        item = _LIST_ITEM_HEAD.match(head)
        offset = item.end()
        head = head[offset:]
        title = head.strip(" \t\u3000，,；;")
        if 4 <= len(title) <= 120 and "《" not in title and "。" not in title and not _FIELD_LABEL.match(title):
            t_start = head_start + offset + head.find(title)
            out.append(_Mention(t_start, n.end, t_start, n.end, title, n))
            out[-1].listed = True
            used.add(i)
    _list_lines(text, numbers, used, out)
    # a number written right before its title: 国务院令第638号《国务院关于废止和修改部分行政法规的决定》
    for i, n in enumerate(numbers):
        if i in used:
            continue
        for at in (n.end, n.end + 1):
            m = title_at.get(at)
            if m is not None and m.number is None and not text[n.end:m.start].strip(" \u3000"):
                m.number, m.start = n, n.start
                used.add(i)
                break
    for i, n in enumerate(numbers):
        if i not in used:
            out.append(_Mention(n.start, n.end, n.start, n.end, None, n))
    out.sort(key=_BY_SPAN)
    return [(m.start, m.end, m.cue_at, m.post_at, m.title, m.number, m.listed) for m in out]


_NUMBER_ENDS_TITLE = re.compile(r"[ \t\u3000]*[（(][^（()）《》]{2,40}?[号號][ \t\u3000]*[)）]$")
_TITLE_BEFORE_BRACKET = re.compile(r"([^《》〈〉，。；;,：:\n]{4,120}?)[ \t\u3000]*[(（][ \t\u3000]*$")


def _list_lines(text: str, numbers, used: set, out: list) -> None:
    """Citations that are whole lines of a list introduced by a line ending in a colon get `listed`, so that
    the list's cue decides their relation (现决定废止下列文件： → REPEALS). An unbracketed title before the
    bracketed number of such a line (`1.国务院办公厅关于…的通知（国办发〔2005〕12号）`) is cited with it
    (GUIDELINES: titles in lists)."""
    known: dict[int, int | None] = {}
    for m in out:
        if not m.listed and m.title is not None and may_be_item(text, m.start, m.end):
            item = item_line(text, m.start, m.end)
            if item is not None and not text[item[1]:m.start].strip():
                intro = intro_colon(text, item[0], known)
                if intro is not None:
                    m.listed = intro
    for i, n in enumerate(numbers):
        if i in used:
            continue
        item = item_line(text, n.start, n.end)
        if item is None:
            continue
        line_start, head_start = item
        head = text[head_start:n.start]
        title = None
        if head.strip():
            tm = _TITLE_BEFORE_BRACKET.fullmatch(head)
            if tm is None or not is_document_title(tm.group(1).strip()):
                continue
            title = tm.group(1).strip()
        intro = intro_colon(text, line_start, known)
        if intro is None:
            continue
        end = n.end + 1 if n.end < len(text) and text[n.end] in "）)" else n.end
        t_start = head_start + head.find(title) if title else n.start
        mention = _Mention(t_start, end, t_start, end, title, n)
        mention.listed = intro
        out.append(mention)
        used.add(i)


_CO_NUMBER_GAP = re.compile(r"[ \t\u3000]*[、和及][ \t\u3000]*")
_PUBLISHED_AFTER = re.compile(r"[ \t\u3000]*(?:修订)?(?:公布|发布|颁布|印发)")


def _co_issuer_numbers(text: str, numbers, own_match) -> list:
    """The numbers that joint issuers gave the document itself, listed after its own number in the phrase that
    published it (`国家教育委员会令第8号、国家体育运动委员会令第11号发布`): the document, not a citation."""
    if own_match is None or _CO_NUMBER_GAP.match(text, own_match.end) is None:
        return []
    after = next((k + 1 for k, x in enumerate(numbers) if x is own_match), len(numbers))
    out, prev = [], own_match
    for n in numbers[after:]:
        gap = _CO_NUMBER_GAP.match(text, prev.end, n.start)
        if gap is None or gap.end() != n.start:
            break
        out.append(n)
        prev = n
    return out if out and _PUBLISHED_AFTER.match(text, prev.end) else []


def _relation(text: str, clause: str, post_at: int, start: int, listed: bool, post_stop: int | None = None):
    """(relation, cue text) of a mention (its _Mention fields; `clause` is clause_before(text, cue_at)), or
    (None, cue) when the title is still to be drafted. `post_stop` is sentence_end(text, post_at) when the
    caller has it."""
    # a history clause matters only to a dated cue (根据2021年…), and a date needs 年; both verdicts are
    # memoised by clause, so the mention is read only when they differ
    pre = find_pre_cue(clause, False)
    if "年" in clause:
        pre_in_history = find_pre_cue(clause, True)
        if pre_in_history is not pre and describes_history(text, post_at):
            pre = pre_in_history
    e = post_at
    if e < len(text) and not text[e].isspace() and text[e] not in _post_openers():
        post, adjacent = None, False  # find_post_cue's first test, without the call
    else:
        post, adjacent = find_post_cue(text, e, post_stop)
    if post is not None and adjacent and post.relation in _POST_DECIDES:
        return post.relation, post.phrase
    if pre is not None:
        if pre.relation == "FUTURE":
            return None, pre.phrase
        if pre.relation in _RELATION_SET:
            return pre.relation, pre.phrase
        return "CITES", pre.phrase
    if post is not None and post.relation in _RELATION_SET:
        return post.relation, post.phrase
    if listed:
        # `listed` is True (an item of a list whose intro line is to be found) or the offset of its colon
        cue = find_list_cue(text, start) if listed is True else intro_line_cue(text, listed)
        if cue is not None and cue.relation in RELATIONS:
            return cue.relation, cue.phrase
    return "CITES", None


@functools.lru_cache(maxsize=1)
def _levels():
    level_of_agency, level_of_issuer = _levels_api()[:2]  # memoised
    return level_of_agency, level_of_issuer


def _cited_level(number, issuer, title, levels) -> str:
    level_of_agency, level_of_issuer = levels
    if level_of_agency is None:
        return "unknown"
    if number is not None and not number.number.anonymised:
        lvl, _ = level_of_agency(number.number.agency)
        if lvl != "unknown":
            return lvl
    for name in (issuer, (title or "").split("关于")[0] if title and "关于" in title else None):
        if name:
            lvl, _ = level_of_issuer(name)
            if lvl != "unknown":
                return lvl
    return level_of_cited_title(title)[0] if title else "unknown"


def find_citations(text: str, numbers, titles, own: dict) -> list[dict]:
    """The citations of `text` (see the module docstring); `own` is extract_metadata's result."""
    if not numbers and not titles:
        return []  # nothing is mentioned
    own_number = own.get("doc_number")
    own_key = number_key(own_number)
    own_keys = own.get("own_keys") or set()
    own_match = own.get("own_number_match")
    t_start, t_end = own.get("title_span") or (-1, -1)
    aliases: dict[str, str] = {}   # abbreviation key -> key of the full title
    groups: list[dict] = []
    by_number: dict[str, dict] = {}
    by_title: dict[str, dict] = {}
    levels = _levels()

    # the mention loop runs ≈ 7 µs per mention: the names it calls are bound locally
    _title_key, _is_document_title, _sentence_end, _rel, _sent, _clause_and_stop = (
        title_key, is_document_title, sentence_end, _relation, _sentence, clause_and_stop)
    co_numbers = _co_issuer_numbers(text, numbers, own_match)
    for start, end, cue_at, post_at, title, number, listed in _mentions(text, numbers, titles):
        tkey = _title_key(title) if title else None
        if number is not None:
            norm = number.number.normalized
            nkey = number.number.key  # one document, however written
            if number is own_match or number in co_numbers:
                continue
            if own_number is not None and nkey == own_key and (tkey is None or tkey in own_keys):
                continue
        else:
            norm = nkey = None
        if t_start >= 0 and t_start <= start and end <= t_end:
            continue  # inside the document's own heading
        if tkey is not None:
            before = text[start - 12 if start > 12 else 0:start]
            if "以下简称" in before and _ALIAS_BEFORE.search(before):
                # （以下简称《Y》）: Y abbreviates the title just before it
                prev = text.rfind("》", 0, start)
                if prev >= 0:
                    full = next((x for x in reversed(titles) if x.end == prev + 1), None)
                    if full is not None:
                        aliases[tkey] = _title_key(full.title)
                continue
            if aliases:
                tkey = aliases.get(tkey, tkey)
            if tkey in own_keys and (norm is None or nkey == own_key):
                continue
            if number is None:
                if "附" in before and _ATTACHMENT.search(before):
                    continue
                if not _is_document_title(title) and tkey not in by_title:
                    continue
        post_stop = _sentence_end(text, post_at)
        clause, back = _clause_and_stop(text, cue_at)
        relation, cue = _rel(text, clause, post_at, start, listed, post_stop)
        if relation is None:
            continue  # to be drafted
        sentence = _sent(text, start, end, post_stop if post_at == end else None, back if cue_at == start else None)
        mention = {"start": start, "end": end, "sentence": sentence, "cue": cue, "relation": relation}
        group = None
        if norm is not None:
            group = by_number.get(nkey)
        if group is None and tkey is not None:
            g = by_title.get(tkey)
            if g is not None and (norm is None or g["doc_number"] is None or docnumber_key(g["doc_number"]) == nkey):
                group = g
        if group is None or group["cited_issuer"] is None:
            # _cited_issuer's first test, without the call: an organ's last character (or a line break or 、
            # before it) right before the title
            issuer = (_cited_issuer(text, start) if title is not None and start and text[start - 1] in _ISSUER_BEFORE
                      else None)
        if group is None:
            group = {"doc_number": norm, "doc_number_raw": number.number.raw if number else None,
                     "title": title,
                     "cited_issuer": issuer, "cited_level": "unknown", "relation": relation, "cue": cue,
                     "start": start, "end": end, "sentence": sentence,
                     "anonymised": bool(number and number.number.anonymised), "mentions": [mention]}
            groups.append(group)
        else:
            if group["doc_number"] is None and norm is not None:
                group["doc_number"], group["doc_number_raw"] = norm, number.number.raw
                group["anonymised"] = bool(number.number.anonymised)
            if group["title"] is None and title is not None:
                group["title"] = title
            if group["cited_issuer"] is None and issuer:
                group["cited_issuer"] = issuer
            group["mentions"].append(mention)
        if norm is not None:
            by_number.setdefault(nkey, group)
        if tkey is not None:
            by_title.setdefault(tkey, group)
    first_number = None  # normalised number -> its first NumberMatch, built when a group needs it
    for g in groups:
        number = None
        if g["doc_number"] is not None:
            if first_number is None:
                first_number = {}
                for n in numbers:
                    first_number.setdefault(n.number.normalized, n)
            number = first_number.get(g["doc_number"])
        g["cited_level"] = _cited_level(number, g["cited_issuer"], g["title"], levels)
    return groups


def extract_text(text: str, path: str | None = None, overrides: dict | None = None,
                 header: list | None = None) -> dict:
    """The extraction record of one document (schema: extract/__init__.py).

    `overrides` (from .jsonl input: id, title, doc_number, issuer, date) replace the extracted own fields;
    an overriding doc_number is also never reported as a citation. `header` is what an HTML page's metadata
    block says (Document.header).

    >>> record = extract_text("山西省人民政府关于贯彻落实深化改革意见的实施方案\\n晋政发〔2014〕9号\\n\\n"
    ...                       "为贯彻落实《国务院关于深化改革的意见》（国发〔2014〕5号），制定本方案。\\n\\n"
    ...                       "山西省人民政府\\n2014年6月1日\\n", "plan.txt")
    >>> record["doc_number"], record["issuer"], record["date"], record["level"], record["region"]
    ('晋政发〔2014〕9号', ['山西省人民政府'], '2014-06-01', 'provincial', '山西省')
    >>> [(c["relation"], c["cue"], c["doc_number"], c["title"]) for c in record["citations"]]
    [('IMPLEMENTS', '为贯彻落实', '国发〔2014〕5号', '国务院关于深化改革的意见')]
    """
    return extract_texts([(text, path, overrides, header)])[0]


def extract_texts(documents) -> list[dict]:
    """extract_text of each (text, path, overrides[, header]) in `documents`, in order.

    The stages run over all the documents in turn -- every number, then every title, then the own metadata,
    then the citations -- rather than one document at a time: each stage's code and tables stay in the CPU's
    caches, ≈ 5% less time over a corpus. A stage that fails names the document (RuntimeError).
    """
    docs = [("" if d[0] is None else d[0] if isinstance(d[0], str) else str(d[0]), d[1], d[2] or {},
             d[3] if len(d) > 3 else None) for d in documents]
    # a traditional or noisy document is read through its simplified, de-noised view (textview.py); the
    # tests for it look at what the stages find, so a plain document costs nothing more
    texts = [d[0] for d in docs]
    views: list = [None] * len(docs)

    def read_through_view(i: int) -> bool:
        view = textview.build_view(docs[i][0])
        if view is None:
            return False
        views[i], texts[i] = view, view.text
        numbers[i], titles[i] = _numbers(view.text), find_titles(view.text)
        return True

    def header_of(i: int):
        header = docs[i][3]
        if header and views[i] is not None:  # a traditional page's values, simplified (portal.Pair)
            header = [dataclasses.replace(p, value=[textview.simplified(v) for v in p.value]
                                          if isinstance(p.value, list) else textview.simplified(p.value)
                                          if isinstance(p.value, str) else p.value) for p in header]
        return header

    with _naming_the_document(docs) as current:
        numbers = []
        for i, text in enumerate(texts):
            current[0] = i
            numbers.append(_numbers(text))
        titles = []
        for i, text in enumerate(texts):
            current[0] = i
            titles.append(find_titles(text))
        for i, text in enumerate(texts):
            if textview.needs_view(text, numbers[i], titles[i]):
                current[0] = i
                read_through_view(i)
        owns = []
        for i, (_, _, overrides, _) in enumerate(docs):
            current[0] = i
            own = extract_metadata(texts[i], numbers[i], header_of(i))
            if views[i] is None and textview.fields_need_view(texts[i], own) and read_through_view(i):
                own = extract_metadata(texts[i], numbers[i], header_of(i))
            for key in ("title", "doc_number", "issuer", "date"):
                if overrides.get(key):
                    own["sources"][key] = "input"
            if overrides.get("doc_number"):
                number = textview.simplified(str(overrides["doc_number"]))
                own["doc_number"] = normalize_docnumber(number) or number
            if overrides.get("title"):
                own["title"] = textview.simplified(str(overrides["title"]))
                own["own_keys"] = set(own["own_keys"]) | {title_key(own["title"])}
            owns.append(own)
        records = []
        for i, (_, path, overrides, _) in enumerate(docs):
            current[0] = i
            own = owns[i]
            if own.get("document_end") is not None:  # a page's appended links (portal.document_end)
                texts[i] = blank_after(texts[i], own["document_end"])
                numbers[i] = [n for n in numbers[i] if n.end <= own["document_end"]]
                titles[i] = [t for t in titles[i] if t.end <= own["document_end"]]
            citations = find_citations(texts[i], numbers[i], titles[i], own)
            issuer = overrides.get("issuer", own["issuer"])
            if isinstance(issuer, str):
                issuer = [p for p in re.split(r"[、,，;；\s]+", textview.simplified(issuer)) if p]
            date = overrides.get("date", own["date"])
            lifecycle = extract_lifecycle(texts[i], date, citations)
            title, carries = own["title"], own["carries"]
            if views[i] is not None:
                _to_original(views[i], numbers[i], citations, lifecycle)
                title, carries = textview.clean_spaces(title), [textview.clean_spaces(c) for c in carries]
            records.append({
                "path": path,
                "id": overrides.get("id"),
                "title": title,
                "doc_number": own["doc_number"],
                "issuer": list(issuer or []),
                "date": date,
                "level": own["level"],
                "region": own["region"],
                "carries": carries,
                "sources": own["sources"],
                **own["extra"],
                "citations": citations,
                "effective": lifecycle["effective"],
                "expires": lifecycle["expires"],
                "repeals": lifecycle["repeals"],
            })
    return records


def _to_original(view, numbers, citations: list[dict], lifecycle: dict) -> None:
    """Citations and lifecycle clauses found on a document's view, their offsets and sentences moved onto the
    original text; each number's `doc_number_raw` as the original writes it (the normalised fields stay
    simplified and clean)."""
    original = view.original
    for key in ("effective", "expires"):
        clause = lifecycle[key]
        if clause is not None:
            s, e = view.to_original(clause["start"], clause["end"])
            clause["start"], clause["end"] = s, e
            clause["sentence"] = (original[s:e] if clause.get("phrase") == "field"
                                  else lifecycle_sentence(original, s, e))
    for repeal in lifecycle["repeals"]:
        s, e = view.to_original(repeal["start"], repeal["end"])
        repeal["start"], repeal["end"], repeal["sentence"] = s, e, _sentence(original, s, e)
    raw_as_written = {}
    for n in numbers:
        s, e = view.to_original(n.start, n.end)
        raw_as_written.setdefault(n.number.raw, original[s:e])
    for c in citations:
        for mention in c["mentions"]:
            s, e = view.to_original(mention["start"], mention["end"])
            mention["start"], mention["end"], mention["sentence"] = s, e, _sentence(original, s, e)
        first = c["mentions"][0]
        c["start"], c["end"], c["sentence"] = first["start"], first["end"], first["sentence"]
        if c["doc_number_raw"] is not None:
            c["doc_number_raw"] = raw_as_written.get(c["doc_number_raw"], c["doc_number_raw"])


@contextlib.contextmanager
def _naming_the_document(docs):
    """Yield a one-item list the stages set to the index of the document they work on; an exception from a
    stage of a batch becomes a RuntimeError naming that document (a bug: the document reproduces it)."""
    current = [0]
    try:
        yield current
    except Exception as e:
        path = docs[current[0]][1]
        if len(docs) == 1 and path is None:
            raise  # extract_text(text): the caller knows which text
        raise RuntimeError(f"extracting {path or f'document {current[0] + 1}'} failed: {type(e).__name__}: {e}") from e
