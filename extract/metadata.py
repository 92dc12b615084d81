"""The document's own metadata: title, 发文字号, issuer(s), date, level, carried instrument(s).

Where each field is read from, first hit wins (GUIDELINES "own"):
  title       【标题】; a markdown heading; the first heading line(s) of the text (joined while the title is
              unfinished, metadata label lines skipped, a `(国办发〔2015〕33号)` prefix removed); the
              attachment file name at the end (`…关于印发…的通知.pdf`); a self-introduction
              (`编制了《X》（以下简称…）`).
  doc_number  【字号】/发文字号：/文号： at a line start; the title prefix; a number alone on a header line; a
              number written right after the title. Never a number after a cue or after 》.
  issuer      【制定机关】; the signature block before the date (own_issuers); the title head before 关于/转发/印发/对;
              a masthead; a law's history header; a self-introduction; an order number; a report's opening. An organ
              written without its place (市工业和信息化局) takes the place the document names (levels.with_place).
  date        【公布日期】/成文日期：; the latest adoption date of a law's history header; the signature date (a
              notice's own, before a printing line's or a carried text's).
  level       the issuer; else the own number's 机关代字; else the title head or a place in it; else the body
              (extract/levels.py level_of_text: title words, law header, addressee line, 本办法由X负责解释,
              我县/本市/全省/我部 counted, a law-kind title without a place is national).
"""
from __future__ import annotations

import functools
import re

from polgraph.extract.cues import load_cues
from polgraph.extract.dates import _DATE_IN_LINE, _iso_date, parse_date
from polgraph.extract.organs import _ENTITY_RESIDUE, _ORGAN_END, _closed_up, _levels_api, looks_like_organ, split_issuers
from polgraph.extract.levels import abbreviated_unit, bare_organ_word, issuer_words, with_place
from polgraph.extract.lists import LIST_MARKER
from polgraph.extract.titles import (CARRY_END, CARRY_ENDS, CARRY_VERB, CARRY_VERBS, clean_title, find_titles, title_key,
                                     title_verdict)

HEADER_LINES = 16
HEADER_CHARS = 1200
SIGNATURE_HEAD = 8000
CARRY_CHARS = 8000  # a wrapper notice says what it carries before the carried text starts
SIGNATURE_TAIL = 3000

_LABEL_LINE = re.compile(
    r"^\s*[•·]?\s*(?:索引号|主题分类|发布机构|发文机关|成文日期|发布日期|公布日期|文号|发文字号|文件登记号|有效性|"
    r"日期|来源|浏览次数|字体|分享|打印|关闭|生效日期|施行日期|效力级别|时效性|信息来源|主题词|分类)\s*[：:]")
# Labelled metadata fields: `【字号】X` (pkulaw style) or `发文字号：X` at a line start (xxgk style).
_FIELD_LABELS = {
    "title": (("标题",), ()),
    "number": (("字号", "文号", "发文字号"), ("发文字号", "文号", "字号")),
    "issuer": (("制定机关", "发文机关", "发布机关"), ("发文机关", "制定机关")),
    "date": (("公布日期", "发布日期", "成文日期"), ("成文日期", "发文日期")),
}
_FIELD_VALUE = {"title": r"([^\n【•]{2,200})", "number": r"([^\n【•]{2,60})", "issuer": r"([^\n【•]{2,120})",
                "date": r"((?:19|20)\d\d)[.\-/年]\s*(\d{1,2})[.\-/月]\s*(\d{1,2})"}
_FIELD = {
    name: (re.compile("【(?:" + "|".join(bracketed) + ")】\\s*" + _FIELD_VALUE[name]),
           re.compile("(?:" + "|".join(labels) + ")[ \\t\\u3000]*[：:]\\s*" + _FIELD_VALUE[name]) if labels else None)
    for name, (bracketed, labels) in _FIELD_LABELS.items()
}


# A labelled field needs its label right before a colon: the characters written before the colons of the head
# tell, for all four fields at once, which regexes can match at all (most heads have no label).
_FIELD_LABEL_ENDS = {name: frozenset(label[-1] for label in labels) for name, (_, labels) in _FIELD_LABELS.items()}
_ANY_LABEL_END = frozenset().union(*_FIELD_LABEL_ENDS.values())
_head_marks: tuple = (None, False, frozenset())  # (text, "【" in head, label ends found before a colon in head)


def _field_marks(text: str) -> tuple[bool, frozenset]:
    """("【" in the head, the label-ending characters written right before a colon of the head), memoised for
    the last text (the four fields of a document ask in turn)."""
    global _head_marks
    marks = _head_marks
    if marks[0] is text:
        return marks[1], marks[2]
    limit = HEADER_CHARS * 2
    before = set()
    for colon in ("：", ":"):
        i = text.find(colon, 0, limit)
        while i >= 0:
            j = i - 1
            while j >= 0 and text[j] in " \t\u3000":
                j -= 1
            if j >= 0 and text[j] in _ANY_LABEL_END:
                before.add(text[j])
            i = text.find(colon, i + 1, limit)
    marks = (text, text.find("【", 0, limit) >= 0, frozenset(before))
    _head_marks = marks
    return marks[1], marks[2]


def _field(name: str, text: str):
    """The labelled metadata field `name` in the head of the text (【字号】…, 发文字号：…), or None."""
    marks = _head_marks
    if marks[0] is text:
        has_bracket, before_colon = marks[1], marks[2]
    else:
        has_bracket, before_colon = _field_marks(text)
    if not has_bracket and not before_colon:
        return None  # most heads: no 【, no label before a colon
    head = HEADER_CHARS * 2
    bracketed, labelled = _FIELD[name]
    if has_bracket:
        m = bracketed.search(text, 0, head)
        if m is not None:
            return m
    if labelled is None or before_colon.isdisjoint(_FIELD_LABEL_ENDS[name]):
        return None
    for m in labelled.finditer(text, 0, head):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not text[line_start:m.start()].strip(" \t\u3000•·"):
            return m
    return None


_FIELD_LINE = re.compile(r"^[•·\s]*【(?:标题|字号|文号|发文字号|制定机关|发文机关|发布机关|公布日期|发布日期|成文日期|施行日期|"
                         r"效力等级|时效性|主题分类)】")
_BRACKET_VALIDITY = re.compile(r"【(?:时效性|有效性|效力状态)】[ \t\u3000]*([^\s【•]{1,8})")
_NUMBER_PREFIX = re.compile(r"^\s*[（(]([^（()）\n]{3,40}号)[)）]\s*")
_FILE_EXTENSION = re.compile(r"\.(?:pdf|docx?|wps|ofd)[ \t\u3000]*$", re.M | re.I)
_SELF_INTRO = re.compile(r"(?:编制|制定|起草|修订|编写)了?《([^《》\n]{2,120})》[（(]以下简称")
_SELF_INTRO_LONGEST = 2 + 1 + 1 + 120 + 1 + 1 + 4
_INTRO_ORGAN = re.compile(r"([\u4e00-\u9fff]{2,24}?(?:部|委|局|院|厅|办|会|府|署|行|室))(?:组织)?$")
_ALIAS = re.compile(r"《([^《》\n]{2,150})》[（(]以下简称[“\"《]?([^）)”\"》\n]{1,30})[”\"》]?[）)]")
_ALIAS_TITLE = 150  # the longest title _ALIAS reads
_CARRY_IN_TITLE = re.compile(CARRY_VERB + "(.{2,150})" + CARRY_END)
# 现将《X》印发给你们; a decree (令) that promulgates a regulation: 现将修订后的《X》公布，自…起施行
_CARRY_IN_BODY = re.compile(
    r"现将(?:修订后的|修改后的|修正后的)?《([^《》\n]{2,150}(?:《[^《》\n]{1,100}》[^《》\n]{0,100})*)》"
    r"(?:[（(][^（()）]{0,40}[)）])?(?:等[^，。\n]{0,10})?"
    r"(?:(?:印发|批转|转发|发布|颁布)给|(?:予以)?(?:公布|发布|颁布)(?=[，,。；\s]))")
# a decree that publishes a revised regulation: 现公布修订后的《X》，自…起施行
_CARRY_PUBLISHED = re.compile(r"现(?:予以?)?(?:公布|发布|颁布)(?:修订后的|修改后的|修正后的)?《([^《》\n]{2,150})》(?=[，,。；\s])")
_CARRY_APPROVED = re.compile(r"《([^《》\n]{2,150})》(?:（以下简称[^）]{1,20}）)?(?:已经[^。\n]{0,60})?[，,]\s*现(?:予)?(?:以)?"
                             r"(?:印发|发布|颁布|公布|转发|批转)")
_RELAYED_ORGAN = re.compile(r"(?:转发|批转)(.{2,40}?)(?:关于|《|<)")
_TITLE_HEAD = re.compile(r"^(.{2,60}?)(?:关于|对“|对\"|转发|批转|印发)")
_TITLE_VERBS = ("关于", "转发", "批转", "印发")  # a title opening with one names no organ before it
_CLAUSE_MARK = re.compile(r"[，,。；;：:]")
_SENTENCE_MARK = re.compile(r"[，。；]")
_ANY_DATE = re.compile(
    r"(?:19|20|１９|２０)\d\d[^\S\n]*年[^\S\n]*\d{1,2}[^\S\n]*月[^\S\n]*\d{1,2}[^\S\n]*日"
    r"|[一二][〇○零OＯ0０一二三四五六七八九]{3}年(?:[一二三四五六七八九十]{1,3}|\d{1,2})月(?:[一二三四五六七八九十]{1,3}|\d{1,2})日")
_LINE_TAIL = re.compile(r"[^\S\n]*(印发|发布|印)?[^\S\n]*(?:\n|$)")
_DAY_AT_LINE_END = re.compile(r"日(?=[^\S\n]*(?:印发|发布|印)?[^\S\n]*(?:\n|$))")
_DATE_BEFORE = re.compile("(?:" + _ANY_DATE.pattern + ")$")
DATE_LONGEST = 48  # a date set with spaces between its parts (2017\u2002\u2002 年\u2002\u2002 11\u2002\u2002 月 …)


# ---------------------------------------------------------------------------------------------- lines

_LINE_RUN = re.compile(r"[^\n]+")


def _lines(text: str, limit_chars: int = HEADER_CHARS, limit_lines: int = HEADER_LINES):
    """(start, line) of the first non-empty lines of the head of the text."""
    out = []
    for m in _LINE_RUN.finditer(text, 0, limit_chars):  # the non-empty pieces of text[:limit_chars].split("\n")
        line = m.group()
        if line.strip():
            out.append((m.start(), line))
            if len(out) >= limit_lines:
                break
    if out and out[-1][0] + len(out[-1][1]) >= limit_chars:
        # the last line was cut by the limit: read it whole
        start = out[-1][0]
        end = text.find("\n", start)
        out[-1] = (start, text[start:end if end >= 0 else len(text)])
    return out


def _first_line(text: str, limit_chars: int = HEADER_CHARS):
    """_lines(text)[0] (or None), without splitting the whole head."""
    pos, n = 0, min(len(text), limit_chars)
    while pos <= n:
        end = text.find("\n", pos, n)
        if end < 0:
            end = n
        if end > pos and not text[pos:end].isspace():
            if end >= limit_chars:  # cut by the limit: read it whole, as _lines does
                end = text.find("\n", pos)
                end = end if end >= 0 else len(text)
            return pos, text[pos:end]
        pos = end + 1
    return None


def _blank_between(text: str, a: int, b: int) -> bool:
    return "\n\n" in text[a:b].replace(" ", "").replace("\u3000", "").replace("\t", "")


def _title_finished(title: str) -> bool:
    if title.count("《") > title.count("》") or title.count("〈") > title.count("〉"):
        return False  # 暂时调整实施《中华人民共和国药品管理法 / 实施条例》有关规定的决定: a bracket still open
    return title_verdict(title) == "cite" or title.endswith(("答复", "的复函", "的函", "对策", "对策建议", "论文"))


# A heading never opens like a sentence of the body does.
_SENTENCE_OPENERS = ("为贯彻", "为深入", "为认真", "为落实", "为进一步", "为了", "为加快", "为推进", "为加强", "根据", "按照",
                     "依据", "依照", "现将", "经研究", "各省", "各市", "各县", "各区")


_SECTION_HEADING = re.compile(r"^(?:第[一二三四五六七八九十百零〇\d]+[章节条编部分]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|"
                              r"\d+[.、．]|、|摘\s*要|目\s*录|前\s*言|序\s*言)")


def _plausible_title(line: str) -> bool:
    s = line.strip()
    if not (2 <= len(s) <= 120) or s.endswith(("：", ":", "。", "，", ",", "；")):
        return False
    if "。" in s[:-1] or s.count("，") + s.count(",") > 2:
        return False
    if len(s) > 60 and ("，" in s or "," in s):
        return False
    return not s.startswith(_SENTENCE_OPENERS) and not _SECTION_HEADING.match(s)


def own_title(text: str, numbers) -> tuple[str | None, int, int, str | None]:
    """(title, start, end, number_prefix_raw) of the document's own heading; start/end cover the
    heading text (the last line's end), or -1 when the title is not a heading of the text."""
    m = _field("title", text)
    if m:
        return m.group(1).strip(), m.start(1), m.end(1), None
    first = _first_line(text)
    if first is not None and first[1].lstrip().startswith("#"):
        start, line = first
        return line.strip().lstrip("#").strip() or None, start, start + len(line), None
    number_spans = {(n.start, n.end) for n in numbers}
    lines = _lines(text)
    i = 0
    while True:
        found = _heading_from(text, lines, i, numbers, number_spans)
        if found is None or found[0] != "organ":
            return found or (None, -1, -1, None)
        i = found[1]  # an organ's name alone (a site banner, a signature-like line): no heading, look further


# a page number of a PDF or Word rendering (- 1 -, —2—, 第1页 共3页, 1/5): never the heading
_PAGE_NUMBER = re.compile(r"(?:[-—–－]\s*)?\d{1,4}(?:\s*[-—–－])?|第\s*\d{1,4}\s*页(?:\s*[/，,、]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4}")


def _organ_only(s: str) -> bool:
    """Is the line nothing but organ names (泗洪县人民政府; 中共遂川县委办公室　遂川县人民政府办公室)?"""
    if not s.endswith(_ORGAN_END):  # the last name would end as an organ's does: most lines stop here
        return False
    parts = [p for p in _ORGAN_LIST_SEPARATOR.split(s) if p]
    return bool(parts) and all(looks_like_organ(p) for p in parts)


_ORGAN_LIST_SEPARATOR = re.compile(r"[\s\u3000、]+")


def _masthead_block_end(lines, i: int) -> int | None:
    """The index of the masthead word line (文件) that closes a masthead written over lines -- organ names, one a
    line, then 文件 alone -- when line `i` opens one; else None."""
    if not _organ_only(lines[i][1].strip()):
        return None  # the common case: a heading or a body line, not an organ's name
    words = _masthead_words()
    for k in range(i + 1, min(i + MASTHEAD_LINES + 1, len(lines))):
        s = _unspaced(lines[k][1].strip())
        if s in words:
            return k
        if not _organ_only(lines[k][1].strip()):
            return None
    return None


@functools.lru_cache(maxsize=1)
def _masthead_words() -> frozenset[str]:
    return frozenset(w for w, _ in issuer_words("masthead"))


def _heading_from(text: str, lines, i: int, numbers, number_spans):
    """own_title from line `i` on; ("organ", next line index) when the heading found is an organ's name alone."""
    while i < len(lines):
        start, line = lines[i]
        s = line.strip()
        if s.startswith("#"):
            return s.lstrip("#").strip() or None, start, start + len(line), None
        if _LABEL_LINE.match(s) or s.startswith("<!--") or _is_number_line(text, start, line, number_spans):
            i += 1
            continue
        if s.startswith(("文章属性", "扫一扫")) or _FIELD_LINE.match(s) or _is_masthead(s) or _PAGE_NUMBER.fullmatch(s) \
                or "报" in s and _is_gazette_issue(s):
            i += 1
            continue
        if "|" in s or "｜" in s:  # a navigation bar or a table row rendered as text: never a heading
            i += 1
            continue
        closing = _masthead_block_end(lines, i)
        if closing is not None:  # 中共遂川县委办公室⏎遂川县人民政府办公室⏎文件
            i = closing + 1
            continue
        break
    if i >= len(lines):
        return None
    start, line = lines[i]
    s = line.strip()
    prefix = None
    pm = _NUMBER_PREFIX.match(s)
    if pm and any(n.start >= start and n.end <= start + len(line) for n in numbers):
        prefix = pm.group(1)
        s = s[pm.end():]
    if s.startswith("《") and s.endswith("》") and len(find_titles(s)) == 1:
        s = s[1:-1]  # a heading written as one 《…》
    if not _plausible_title(s):
        return None, -1, -1, prefix
    title, end = _unspaced(s), start + len(line)
    joined, jend = title, end
    j = i + 1
    # a heading wrapped over lines (国务院关于印发 / 《国务院工作规则》的通知): join the lines that go on
    # like a heading does, and keep the longest join that ends as a title does -- a line can end like a title
    # and still go on (…执法全过程记录制度 / 重大执法决定法制审核制度的指导意见)
    while j < len(lines) and len(joined) < 120 and j <= i + 3:
        nstart, nline = lines[j]
        ns = _unspaced(nline.strip())
        if (_blank_between(text, jend, nstart) or len(ns) > 40 or not _plausible_title(ns)
                or _CLAUSE_MARK.search(ns)
                or _is_number_line(text, nstart, nline, number_spans) or _LABEL_LINE.match(ns)):
            break
        joined += ns
        jend = nstart + len(nline)
        j += 1
        if _title_finished(joined):
            title, end = joined, jend
    if _organ_only(title) and not _title_finished(title):
        return ("organ", i + 1)
    return clean_title(title), start, end, prefix


_ISSUE = re.compile(r"[（(]?[ \t\u3000]*(?:(?:19|20)\d\d[ \t\u3000]*年)?[ \t\u3000]*第?[ \t\u3000]*[0-9０-９一二三四五六七八九十]{1,4}"
                    r"[ \t\u3000]*[号期][ \t\u3000]*(?:[（(][^（()）]{1,20}[)）])?[)）]?")


def _is_gazette_issue(line: str) -> bool:
    """Is the line a periodical's issue line (中华人民共和国国务院公报 2021年第20号; data/issuer_words.tsv role
    gazette), which a gazette's page prints above the document's title?"""
    for word, _ in issuer_words("gazette"):
        k = line.find(word)
        if k >= 2 and _ISSUE.fullmatch(line[k + len(word):].strip(" \t\u3000")):
            return True
    return False


def _is_masthead(line: str) -> bool:
    """Is the line a red-header masthead (青岛市人民政府文件, 中共某某市委 某某市人民政府 文件; data/issuer_words.tsv
    role masthead), which stands above the title and is none?"""
    return bool(_masthead_organs(line))


def _may_end_as_masthead(line: str) -> bool:
    """A necessary condition of _masthead_organs: closing a line up only moves its white space and drops HTML
    entity residue (ASCII), so a masthead line ends, but for those, with a masthead word's last character."""
    s = line.rstrip()
    if not s:
        return False
    last = s[-1]
    if last.isascii() and (last.isalpha() or last == ";"):
        return True  # an entity's residue may close the line
    return any(not word[-1:] or word[-1].isspace() or word[-1] == last for word, _ in issuer_words("masthead"))


def _masthead_organs(line: str) -> list[str]:
    words = issuer_words("masthead")
    if not _may_end_as_masthead(line):
        return []
    name = " ".join(_closed_up(line))
    for word, _ in words:
        if name.endswith(word) and len(name) > len(word) + 1:
            return split_issuers(name[:-len(word)])
    return []


MASTHEAD_LINES = 3


def _masthead_issuers(text: str) -> list[str]:
    """The organs of a masthead among the first lines of the text."""
    # the lines read end at the latest with the line HEADER_CHARS falls in (_lines reads a cut line whole)
    bound = text.find("\n", HEADER_CHARS)
    bound = len(text) if bound < 0 else bound
    if all(word[-1:] and not word[-1].isspace() and text.find(word[-1], 0, bound) < 0
           for word, _ in issuer_words("masthead")):
        return []
    for _, line in _lines(text, HEADER_CHARS, MASTHEAD_LINES):
        organs = _masthead_organs(line.strip())
        if organs:
            return organs
    return []


_LETTER_SPACED = re.compile(r"[^\s](?:[ \t\u3000]+[^\s])+")


def _unspaced(line: str) -> str:
    """A heading line set with a space between its characters (几 个 问 题 的 通 知) without the spaces."""
    if _LETTER_SPACED.fullmatch(line) and all(len(w) == 1 for w in line.split()):
        return "".join(line.split())
    return line


def _cites_before(head: str) -> bool:
    """Does `head`, what stands before the first number on a short line ending in 号, show that the line cites
    a document (`4.关于…的通知（国发〔2004〕28号）`: a list marker, a title's 关于 or 《》, a title's kind word,
    a cue such as 根据)?
    Then it is not the line of the document's own number."""
    core = head.rstrip(" \t\u3000(（")
    return (LIST_MARKER.match(head) is not None or "关于" in head or "《" in head or "》" in head
            or bool(core) and title_verdict(core) == "cite"
            or any(cue.phrase in head for cue in load_cues()[0]))  # 根据国发〔2015〕33号


# the signer an upward document (请示, 报告) prints beside its number: 冀政呈〔2021〕5号      签发人：王某某
_SIGNER = re.compile(r"[ \t\u3000]*签发人[ \t\u3000]*[：:][ \t\u3000]*[\u4e00-\u9fff·]{0,12}(?:[ \t\u3000]+[\u4e00-\u9fff·]{2,4}(?=[ \t\u3000]|$))*[ \t\u3000]*")


def _is_number_line(text, start, line, number_spans) -> bool:
    if "签发人" in line:
        line = _SIGNER.sub(lambda m: " " * len(m.group(0)), line)  # offsets kept
    s = line.strip(" \t\u3000()（）[]【】")
    if not s:
        return False
    lo = start + line.find(s)
    if (lo, lo + len(s)) in number_spans:  # number_spans: a set of (start, end)
        return True
    if len(s) > 30 or not s.endswith("号"):
        return False
    first = min((a for a, b in number_spans if lo <= a and b <= lo + len(s)), default=None)
    return first is not None and not _cites_before(text[start:first])


_HISTORY_LINE = re.compile(r"[ \t\u3000]*(?:19|20|１９|２０)[0-9０-９]{2}年[0-9０-９]{1,2}月[0-9０-９]{1,2}日")
# 公布 right after the number, or after a joint issuer's number (国家教育委员会令第8号、国家体育运动委员会令第11号发布:
# the lead organ's number is the document's) or 修订 (公安部令第127号修订发布)
_PUBLISHED = re.compile(r"[ \t\u3000]*(?:、[^\n，。；]{2,30}?第[0-9０-９]{1,6}号)?(?:修订)?(?:公布|发布|颁布)")


def own_number(text: str, numbers, title: str | None, title_start: int, title_end: int, prefix: str | None):
    """The NumberMatch that is the document's own 发文字号, or None."""
    if not numbers:
        return None  # every way below picks one of the numbers
    labelled = None
    m = _field("number", text)
    if m:
        labelled = next((n for n in numbers if m.start(1) <= n.start < m.end(1)), None)
    # a number heading the text (`沪科〔2014〕12号` above the title) comes before a labelled list line below it
    head_end = min(len(text), max(HEADER_CHARS, title_end + 200))
    if labelled is not None:
        head_end = min(head_end, labelled.start)
    number_spans = {(n.start, n.end) for n in numbers}
    for n in numbers:
        if n.start >= head_end:
            break
        if prefix is not None and title_start >= 0 and title_start <= n.start < title_start + len(prefix) + 4:
            return n
        line_start = text.rfind("\n", 0, n.start) + 1
        line_end = text.find("\n", n.end)
        line_end = len(text) if line_end < 0 else line_end
        if _is_number_line(text, line_start, text[line_start:line_end], number_spans):
            return n
        if title and title_end >= 0:
            # the title written again right before the number: `…的实施意见国办发〔2015〕33号各省…`
            before = text[max(0, n.start - len(title) - 2):n.start]
            if title_key(before.strip()[-len(title):]) == title_key(title) and not before.rstrip().endswith("》"):
                return n
    if labelled is None:
        # a law's history header: `2001年12月22日 中华人民共和国国务院令第338号公布` is its own vehicle
        info_end = text.find("<!-- INFO END -->", 0, 6000)
        for n in numbers:
            if info_end < 0 or n.start > info_end:
                break
            line_start = text.rfind("\n", 0, n.start) + 1
            if (_HISTORY_LINE.match(text, line_start) and _PUBLISHED.match(text, n.end)
                    and "修改" not in text[line_start:n.start] and "修正" not in text[line_start:n.start]):
                return n
    return labelled


def _placed(issuers: list[str], text: str, title: str | None, n) -> list[str]:
    """`issuers` with the place the document names as its own before each abbreviated organ (with_place); the own
    number `n`'s 机关代字 names a province first."""
    agency = n.number.agency if n is not None and not n.number.anonymised else None
    return [with_place(x, text, title, agency) if _abbreviated_unit(x) is not None else x for x in issuers]


def _signature_dates(text: str):
    """(organ text before the date on its line, ISO date, printed?, line start) of each line that ends with a
    date (`国务院\n二〇〇四年六月二十六日`, `青岛市工业和信息化局办公室   2020年9月22日印发`)."""
    # a signature closes the notice near the start or the document at its end
    regions = [(0, min(len(text), SIGNATURE_HEAD))]
    if len(text) > SIGNATURE_HEAD:
        regions.append((max(SIGNATURE_HEAD, len(text) - SIGNATURE_TAIL), len(text)))
    for day in (d for a, b in regions for d in _DAY_AT_LINE_END.finditer(text, a, b)):
        m = _DATE_BEFORE.search(text, max(0, day.start() - DATE_LONGEST), day.end())
        if m is None:
            continue
        tail = _LINE_TAIL.match(text, m.end())
        if tail is None:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        organ = _ENTITY_RESIDUE.sub("", text[line_start:m.start()]).strip()  # web pages pad a signature with spaces
        if len(organ) > 60 or _CLAUSE_MARK.search(organ):
            continue
        date = parse_date(m.group(0))
        if date:
            yield organ, date, bool(tail.group(1)), line_start


def _signature(text: str):
    """(issuers, date, position) of the signature block: organ line(s) right before a date line, or the organ
    written before the date on its line. The first block that names an organ wins; a printing line
    (`X办公室 2020年9月22日印发`, the 版记) names the organ X, but the date of a signature line standing alone
    before it (the seal covers the organ) is the document's own (成文) date."""
    found = []
    for organ, date, printed, line_start in _signature_dates(text):
        issuers = []
        if organ:
            if printed and organ.endswith("办公室") and len(organ) > 5:
                organ = organ[:-3]
            issuers = split_issuers(organ) or ([organ] if looks_like_organ(organ) else [])
        else:
            issuers = _signature_block(text, line_start)
        if issuers:
            if printed:
                signed = [d for i, d, p, _ in found if not p]
                date = signed[-1] if signed else date
            return issuers, date, line_start
        found.append((issuers, date, printed, line_start))
    return found[-1][:2] + found[-1][3:] if found else ([], None, -1)


SIGNATURE_BLOCK_LINES = 10  # joint documents sign with one organ a line
SIGNATURE_BLOCK_CHARS = 400


def _signature_block(text: str, line_start: int) -> list[str]:
    """The organs on the lines right above a date line (letter-spaced names closed up, run-together names
    split). A line that names no level of its own (国际合作局 under 国家自然科学基金委员会, 办公厅) is a unit of
    the organ above it; 财政部 under 国家数据局 is an organ of its own."""
    lines = text[max(0, line_start - SIGNATURE_BLOCK_CHARS):line_start].rstrip().split("\n")[-SIGNATURE_BLOCK_LINES:]
    block = []
    blank = False
    for ln in reversed(lines):
        if not ln.strip() and block and not blank:
            blank = True  # web pages part the organs of a joint signature with a blank line
            continue
        names = _closed_up(ln)
        if names and all(looks_like_organ(x) and len(x) <= 30 for x in names):
            block.insert(0, names)
            blank = False
        else:
            break
    level_of_issuer = _levels_api()[1]
    issuers: list[str] = []
    for names in block:
        for name in names:
            if issuers and len(names) == 1 and level_of_issuer(name)[0] == "unknown" and not _stands_alone(name):
                issuers[-1] += name
            else:
                issuers.extend(split_issuers(name) or [name])
    return issuers


# levels.abbreviated_unit of a name, memoised (a pure function of the name): with_place returns a name it gives
# None for as it is, so only the others are placed
_abbreviated_unit = functools.lru_cache(maxsize=4096)(abbreviated_unit)


def _stands_alone(name: str) -> bool:
    """Is an organ that names no place or listed organ still an organ of its own (市财政局, 中共某某委员会), not a
    unit of the organ above it?"""
    return abbreviated_unit(name) is not None or name.startswith(("中共", "中国共产党"))


def own_issuers(text: str, title: str | None, n, intro_issuer: str | None = None) -> tuple[list[str], str | None]:
    """(issuers, signature date) inferred from the text, first hit wins: the signature block (the title head's
    organ instead where the signature closes a relayed text or only abbreviates the organ the title names in
    full; a notice that closes sealed before the text it carries dates the document); the title head before
    关于/转发/印发; a red-header masthead (青岛市人民政府文件); a law's history header; the organ that compiled the text
    (X组织编制了《本指南》（以下简称…）); a decree's own order number; the author a report names in its opening
    (X通过…进行了调研)."""
    sig_issuers, sig_date, sig_at = _signature(text)
    head = _TITLE_HEAD.match(title) if title and not title.startswith(_TITLE_VERBS) else None
    heads = split_issuers(head.group(1)) if head else []
    notice_end = _unsigned_notice_end(text, sig_at) if sig_issuers else None
    if notice_end is not None:
        # 现将《X》印发给你们。⏎2019年1月20日⏎X …⏎市发展改革委⏎2019年1月10日: the notice closed, sealed, before
        # the text it carries; the signature found closes the carried (or relayed) text
        sig_date = notice_end
        relayed = bool(title and _RELAYED_ORGAN.search(title))
        sig_issuers = heads if heads or relayed else sig_issuers
    issuers = sig_issuers
    if issuers and heads:
        if title and _RELAYED_ORGAN.search(title) and not any(h in i or i in h for h in heads for i in issuers):
            # 国务院办公厅转发国家教委关于…请示的通知: a signature other than the organ heading the title closes
            # the relayed text; the notice's issuer is the organ heading its title
            issuers = heads
        elif all(abbreviated_unit(i) for i in issuers) and not any(abbreviated_unit(h) for h in heads):
            issuers = heads  # signed 省府办公厅 under the title 广东省人民政府办公厅关于…
    if not issuers:
        issuers = heads
    if not issuers:
        issuers = _masthead_issuers(text)
    if not issuers:
        issuers = _history_issuer(text)
    if not issuers and intro_issuer and looks_like_organ(intro_issuer):
        issuers = [intro_issuer]
    if not issuers and n is not None:
        issuers = _order_issuers(text, n)
    if not issuers:
        issuers = _report_author(text)
    return issuers, sig_date


WRAPPER_LINES = 10
WRAPPER_CHARS = 1500
_CARRY_VERB_ANY = re.compile("|".join(CARRY_VERBS))


def _wrapper_heading(text: str, title: str | None, title_end: int):
    """(title, start, end) of the 印发 notice's heading below a heading that is the instrument it carries
    (`X办法` … `关于印发X办法的通知`): a page titled after the carried text still holds the notice, whose title is
    the document's (GUIDELINES: the wrapper notice's title). None when the heading is no such instrument or no
    such notice heading follows before the body."""
    if title is None or title_end < 0 or title.endswith(CARRY_ENDS) \
            or _CARRY_VERB_ANY.search(text, title_end, title_end + WRAPPER_CHARS) is None:
        return None  # most documents: no carrying verb right below the heading
    key, pos, seen = title_key(title), title_end, 0
    while seen < WRAPPER_LINES and pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        start, s = pos, text[pos:end].strip()
        pos = end + 1
        if not s:
            continue
        seen += 1
        if "。" in s or s.endswith(("：", ":")) or _SECTION_HEADING.match(s):
            return None
        if not s.endswith(CARRY_ENDS) or not _plausible_title(s):
            continue
        m = _CARRY_IN_TITLE.search(s)
        if m is not None and title_key(m.group(1)) == key:
            return clean_title(s), start + text[start:end].index(s[0]), end
    return None


BYLINE_LINES = 8  # a law site prints its download bar and the title again between the heading and the byline
_DATED_BYLINE = re.compile(r"^(?P<date>" + _ANY_DATE.pattern + r")[ \t\u3000]*[,，、]?[ \t\u3000]*(?P<organ>\S.*)$")


def _byline(text: str, titles: tuple, title_end: int) -> tuple[list[str], str | None]:
    """(organs, date) of the byline a page prints under the document's heading before its body -- a line that is
    an organ's name alone (`交通部`, `江西省吉安市人民政府办公室`), and/or a date and the organ (`1999年7月13日，国家海洋局`):
    law sites put the issuing organ there and sign nowhere. Lines that repeat the title are passed over; the
    first body line (a sentence, the addressee line, 第一条) ends the search. ([], None) when there is none.
    `titles`: the document's title and the heading it was found under (a carried instrument's), either None."""
    keys = {title_key(t) for t in titles if t}
    if not keys or title_end < 0 or text.find("<!-- INFO END -->", 0, 6000) >= 0:
        return [], None  # a law's history header names its organs on its own terms (_history_issuer)
    pos, seen = title_end, 0
    organs, date = [], None
    while seen < BYLINE_LINES and pos < len(text) and not (organs and date):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        s = text[pos:end].strip()
        pos = end + 1
        if not s:
            continue
        seen += 1
        if "。" in s or s.endswith(("：", ":")) or len(s) > 60 or _SECTION_HEADING.match(s):
            break
        if title_key(s) in keys:
            continue
        m = _DATED_BYLINE.match(s) if date is None else None
        if m is not None and _organ_only(m.group("organ").strip()):
            date = parse_date(m.group("date"))
            s = m.group("organ").strip()
        if not organs and _organ_only(s):
            organs = [p for p in _ORGAN_LIST_SEPARATOR.split(s) if p]
    return organs, date if organs else None


def _unsigned_notice_end(text: str, signature_at: int) -> str | None:
    """The date of a 印发/转发 notice's own closing line when it stands alone (the seal covers the organ) after the
    notice says what it carries (现将…印发, 现转发) and before the signature at `signature_at`, else None."""
    hint = _CARRY_HINT.search(text, 0, CARRY_CHARS)
    if hint is None or signature_at <= hint.end():
        return None
    for organ, date, printed, line_start in _signature_dates(text):
        if line_start >= signature_at:
            return None
        if line_start > hint.end() and not organ and not printed and not _signature_block(text, line_start):
            return date
    return None


REPORT_OPENING = 1500  # a report says who made the study in its opening paragraphs
_STUDY = re.compile(r"(?:进行|开展|组织|作|做)了?[^，,。；;\n]{0,10}?(?:调研|调查|课题研究)")  # 进行了一次全面调研
_STUDY_SUBJECT = re.compile(r"(?:^|(?<=[，,。；;：:\n]))[ \t\u3000]*(?:近日|近期|日前|今年以来|近年来)?[，,]?"
                            r"([^，,。；;：:\n“”《》]{2,50}?)(?:全体学员|全体成员|一行|组成调研组|成立课题组)?"
                            r"(?=[，,]|通过|就|对|深入|赴|围绕|采取|组织|在|于)")
_STUDY_AUTHOR_BAD = re.compile(r"[，。；：“”的\s]")  # an organ name holds no clause, 的 or space


def _report_author(text: str) -> list[str]:
    """The organ or group a report names in its opening as the one that made its study:
    `驻马店市委编办通过网络问卷调查…进行了一次全面调研` -> 驻马店市委编办; `中共XX省委党校…第五课题组全体学员，在XX区
    就…进行了专题调研` -> the 课题组 (its name may hold a year: 20XX年第三期)."""
    for sm in _STUDY.finditer(text, 0, REPORT_OPENING):
        sentence_start = max(text.rfind("。", 0, sm.start()), text.rfind("\n", 0, sm.start())) + 1
        for m in _STUDY_SUBJECT.finditer(text, sentence_start, sm.start()):
            organ = m.group(1).strip()
            if organ.endswith(_ORGAN_END) and 3 <= len(organ) <= 50 and not _STUDY_AUTHOR_BAD.search(organ):
                return [organ]
    return []


def _history_date(text: str) -> str | None:
    """The latest adoption/amendment date of a law's history header (lines before `<!-- INFO END -->`)."""
    end = text.find("<!-- INFO END -->", 0, 6000)
    if end < 0:
        return None
    pos = text.find("\n", 0, end) + 1  # the first line is the title
    if pos == 0:
        return None
    # lines that only say when the law took effect are not read: dates are read (findall, no match objects)
    # from the stretches between them -- a date never spans a line
    findall = _DATE_IN_LINE.findall
    dates = []
    read_from = pos
    i = text.find("施行", pos, end)
    while i >= 0:
        line_end = text.find("\n", i, end)
        line_end = end if line_end < 0 else line_end
        line_start = text.rfind("\n", 0, i) + 1
        line = text[line_start:line_end]
        if "通过" not in line and "修正" not in line and "修订" not in line:
            dates += findall(text, read_from, line_start)
            read_from = line_end
        i = text.find("施行", line_end, end)
    dates += findall(text, read_from, end)
    latest = None  # (year, month, day): ordered as the ISO strings are
    for y, mo, d in dates:
        date = (int(y), int(mo), int(d))
        if (latest is None or date > latest) and 1 <= date[1] <= 12 and 1 <= date[2] <= 31 \
                and 1900 <= date[0] <= 2100:  # what _iso_date accepts
            latest = date
    return _iso_date(*latest) if latest else None


_TERM = re.compile(r"第?[一二三四五六七八九十]{1,4}届")  # 北京市第十一届人民代表大会常务委员会, 市十四届人大常委会
_HISTORY_DATE = re.compile(r"[^\S\n]*(?:19|20)\d\d年\d{1,2}月\d{1,2}日[^\S\n]*")
# the organs of a history line, before the act: `…常务委员会第三十六次会议通过`, `国务院、中央军委发布`, `公安部公布`
_HISTORY_ACT = re.compile(r"经?([\u4e00-\u9fff、]{2,60}?)(?:第[^\n]{1,12}?次(?:(?:常务)?(?:会议|全体会议))?|令第|(?:审议)?通过|发布|"
                          r"公布|颁布|批准)")


_HISTORY_ORDER = re.compile(r"([\u4e00-\u9fff、]{2,60}?)令第[^\n号]{1,8}号")


def _without_state_prefix(organ: str) -> str:
    """中华人民共和国国务院 -> 国务院, as a decree's own order number names it (中华人民共和国国务院令第706号: 国务院)."""
    for prefix, _ in issuer_words("stateprefix"):
        if organ.startswith(prefix) and len(organ) > len(prefix) + 1:
            return organ[len(prefix):]
    return organ


def _without_council(organ: str) -> str:
    for council, _ in issuer_words("council"):
        if organ.endswith(council) and len(organ) > len(council) + 1:
            return organ[:-len(council)]
    return organ


def _history_issuer(text: str) -> list[str]:
    """The adopting or issuing organ(s) of a law's history header, from its first dated line that names an organ
    before its act and is no approval by a higher body (山东省…常务委员会第一次会议批准, 国务院批准): `2002年9月6日
    北京市第十一届人民代表大会常务委员会第三十六次会议通过` -> 北京市人民代表大会常务委员会; `国务院、中央军委发布` ->
    both; `1986年12月3日 国务院批准` / `1986年12月25日 公安部公布` -> 公安部."""
    end = text.find("<!-- INFO END -->", 0, 6000)
    if end < 0:
        return []
    pos = text.find("\n", 0, end) + 1  # the first line is the title
    while 0 < pos < end:
        line_end = text.find("\n", pos, end)
        line_end = end if line_end < 0 else line_end
        d = _HISTORY_DATE.match(text, pos, line_end)
        if d is not None:
            rest = _TERM.sub("", text[d.end():line_end])
            m = _HISTORY_ACT.match(rest)
            organs = []
            if m is not None and "批准" not in rest:
                if m.group(0).endswith("令第"):  # 国家教育委员会令第8号、国家体育运动委员会令第11号发布: each order's organ
                    organs = [o for x in _HISTORY_ORDER.findall(rest) for o in split_issuers(x)]
                else:
                    organs = split_issuers(m.group(1))
            if organs:
                # a court's or procuratorate's committee adopts for it (最高人民检察院检察委员会 -> 最高人民检察院)
                return [_without_council(_without_state_prefix(o)) for o in organs]
        pos = line_end + 1
    return []


_CARRY_HINT = re.compile("现(?:将|予|以|印发|转发|批转|发布|颁布|公布)")


def _filename_title(text: str) -> str | None:
    """The title in an attachment file name near the end: `…关于印发…的通知.PDF`."""
    tail_start = max(0, len(text) - 3000)
    for m in _FILE_EXTENSION.finditer(text, tail_start):
        line = text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip()
        if 6 <= len(line) <= 120 and ("关于" in line or _title_finished(line)) and not _SENTENCE_MARK.search(line):
            return clean_title(line)
    return None


def _carries(text: str, title: str | None, numbers) -> list[str]:
    """What a 印发/转发/批转 notice carries: 《X》 named in its body (现将《X》印发给你们, 《X》已经…同意，现予印发),
    else the X of its title (关于印发X的通知, …转发Y关于X的通知)."""
    out = []
    relayed = False  # the body relays a numbered document
    if _CARRY_HINT.search(text, 0, CARRY_CHARS) is not None:
        for rx in (_CARRY_IN_BODY, _CARRY_APPROVED, _CARRY_PUBLISHED):
            for m in rx.finditer(text, 0, CARRY_CHARS):
                x = clean_title(m.group(1))
                if "转发" in m.group(0) and any(m.start() <= n.start < m.end() for n in numbers):
                    relayed = True
                    continue  # a numbered document relayed: a FORWARDS citation, not carried
                if title_key(x) not in {title_key(c) for c in out}:
                    out.append(x)
    # …转发省政府办公厅关于X的通知 over a body that relays 《…》（冀政办字〔2021〕15号）: the title names that
    # numbered document, which is cited (FORWARDS), not carried
    if title and title.endswith(CARRY_ENDS) and not (relayed and "转发" in title):
        m = _CARRY_IN_TITLE.search(title)
        if m:
            x = clean_title(m.group(1).strip())
            # 关于印发《A》和《B》的通知 carries A and B
            inner = [t.title for t in find_titles(x)] if x.count("《") > 1 or not x.startswith("《") else []
            if x.startswith("《") and x.endswith("》") and x.count("《") == 1:
                inner = [x[1:-1]]
            for y in reversed(inner or [x]):
                if not out or not inner and title_key(y) in {title_key(c) for c in out} or inner:
                    out = [y] + [c for c in out if title_key(c) != title_key(y)]
    return out


def _order_heading(title: str | None, n) -> bool:
    """Whether `title` is no title but a decree's heading, its organ and 令 with or without the number
    (中华人民共和国国务院令, 湖北省人民政府令第282号), over a text whose own number is that order's."""
    if n is None or getattr(n.number, "kind", None) != "order":
        return False
    t = _SPACE_RUN.sub("", title or "")
    if not t:
        return True
    head = t[:t.find("令") + 1]
    agency = n.number.agency  # without its state prefix: 国务院令 for 中华人民共和国国务院令
    return bool(head) and (agency.endswith(head) or head.endswith(agency)) and _ORDER_REST.fullmatch(t[len(head):]) is not None


_SPACE_RUN = re.compile(r"\s+")
_ORDER_REST = re.compile(r"(?:[（(〔]?\d{4}[）)〕]?年?)?(?:第?[0-9０-９一二三四五六七八九十百零〇]{1,6}号)?")
_ORDER_KINDS = {"order": "令", "announcement": "公告"}
_JOINT_ORDER = re.compile(r"[ \t\u3000]*[、和][ \t\u3000]*([^\s、，。；]{2,30}?)令第[0-9０-９]{1,6}号")


def _order_issuers(text: str, n) -> list[str]:
    """The organs that issued an order or announcement by their own number: 湖北省人民政府令第282号 -> 湖北省人民政府,
    国家教育委员会令第8号、国家体育运动委员会令第11号发布 -> both (a decree names no other issuer)."""
    word = _ORDER_KINDS.get(getattr(n.number, "kind", None))
    agency = n.number.agency or ""
    if word is None or not agency.endswith(word):
        return []
    organ = agency[:-len(word)]
    if not looks_like_organ(organ) or bare_organ_word(organ):
        return []  # 政府令〔2012〕第9号: the byline or signature names the organ
    out, at = [organ], n.end
    while True:
        m = _JOINT_ORDER.match(text, at)
        if m is None or not looks_like_organ(m.group(1)):
            return out
        out.append(m.group(1))
        at = m.end()


_EDITION = re.compile(r"[ \t\u3000]*[（(][ \t\u3000]*(?:[0-9０-９]{4}[^（()）]{0,10}|[^（()）]{0,10}(?:版|征求意见稿|送审稿))"
                      r"[ \t\u3000]*[)）]$")


def _without_edition(title: str) -> str:
    """The title without the edition, period or draft status that ends it: 建材行业智能制造标准体系建设指南（2021 版）
    （征求意见稿） -> 建材行业智能制造标准体系建设指南."""
    while True:
        m = _EDITION.search(title)
        if m is None:
            return title
        title = title[:m.start()]


def _level(issuers, number, title, text, levels):
    level_of_agency, level_of_issuer, find_place = levels[:3]
    for name in issuers:
        lvl, region = level_of_issuer(name)
        if lvl != "unknown":
            return lvl, region
    if number is not None and getattr(number.number, "agency", None) and not number.number.anonymised:
        lvl, region = level_of_agency(number.number.agency)
        if lvl != "unknown":
            return lvl, region
    if title:
        head = _TITLE_HEAD.match(title)
        lvl, region = level_of_issuer(head.group(1)) if head else ("unknown", None)
        if lvl == "unknown":
            lvl, region = find_place(title[:30]) or ("unknown", None)
        if lvl != "unknown":
            return lvl, region
    from polgraph.extract.levels import level_of_text  # imported late: levels loads its tables on first use
    # the title's own words, a law header, the addressee line, 本办法由X负责解释, 我省/全市/我部 (extract/levels.py)
    return level_of_text(text, title)


def _word_positions(text: str, word: str, key: int) -> list[int]:
    """Every position of `word` in `text`, found through its character `word[key]` (CPython finds one
    character far faster than a word; pick one that is rare in the text)."""
    out = []
    ch = word[key]
    i = text.find(ch, key)
    while i >= 0:
        if text.startswith(word, i - key):
            out.append(i - key)
        i = text.find(ch, i + 1)
    return out


def _self_intro(text: str, alias_at: list[int]):
    """_SELF_INTRO.search(text, 0, 5000), given the positions of 以下简称: a match ends with a 以下简称 and is
    at most _SELF_INTRO_LONGEST long, and one that ends at an earlier 以下简称 starts earlier, so the windows
    before each 以下简称 are searched in turn."""
    for at in alias_at:
        if at > 5000 - 4:
            break
        m = _SELF_INTRO.search(text, max(0, at + 4 - _SELF_INTRO_LONGEST), at + 4)
        if m is not None:
            return m
    return None


def _aliases(text: str, alias_at: list[int]):
    """_ALIAS.finditer(text), given the positions of 以下简称: a match holds one right after its 》（, and
    starts at the nearest 《 before that 》 (a title holds no 《》) at most _ALIAS_TITLE characters back."""
    done = 0
    for at in alias_at:
        if at < 2 or text[at - 2] != "》" or text[at - 1] not in "（(":
            continue
        start = text.rfind("《", max(0, at - 3 - _ALIAS_TITLE), at - 2)
        if start < done:
            continue
        m = _ALIAS.match(text, start)
        if m is not None:
            yield m
            done = m.end()


def extract_metadata(text: str, numbers, header: list | None = None) -> dict:
    """Own metadata of `text`; `numbers` are its NumberMatch list in text order; `header` the pairs an HTML
    page's metadata block gave (Document.header).

    Returns the record's own fields plus `sources` (where each own field came from), `extra` (index_number,
    topic, repeal_date of a portal page), `own_number_match` (the NumberMatch or None), `own_keys` (title keys
    of the document itself, what it carries and their abbreviations) and `title_span`.
    A portal page's metadata block (extract/portal.py) is read first: its rank-1 values replace what the text
    gives, its lines and the site chrome are never the title.
    """
    from polgraph.extract import portal

    page = portal.read_page(text, header)
    end = portal.document_end(text, _body_start(text, page)) if page.pairs or page.masked else None
    if end is not None:  # previous/next and related links after the document: none of it is the document's
        text = blank_after(text, end)
    title, t_start, t_end, prefix = own_title(text, numbers)
    if page.masked and (title is None or t_start >= 0 and page.is_masked(t_start, t_end)):
        title, t_start, t_end, prefix = own_title(page.masked_text(text), numbers)
    heading = (title, t_end)  # where a byline would follow (_byline)
    wrapper = _wrapper_heading(text, title, t_end)
    if wrapper is not None:  # the span runs from the instrument's heading: neither heading cites
        title, t_end = wrapper[0], wrapper[2]
    heading_number = None
    if title and t_start >= 0:
        split = portal.number_and_title(text[t_start:t_end].strip())
        if split is not None:  # 鲁政发〔2014〕20号《山东省人民政府关于…的实施意见》
            heading_number, title = split
    alias_at = _word_positions(text, "以下简称", 3)  # for the self-introduction and the abbreviations
    intro = _self_intro(text, alias_at)
    intro_issuer = None
    if intro:
        if title is None:
            title = clean_title(intro.group(1))
        om = _INTRO_ORGAN.search(text, max(0, intro.start() - 30), intro.start())
        intro_issuer = om.group(1) if om else None
    n = own_number(text, numbers, title, t_start, t_end, prefix)
    if heading_number is not None:
        n = portal.number_match(numbers, heading_number, n)
    title_source = "heading" if t_start >= 0 and title else "text" if title else None
    if title is None:
        title = _filename_title(text)
        title_source = "text" if title else None
    issuers = []
    fm = _field("issuer", text)
    if fm:
        issuers = split_issuers(fm.group(1)) or [fm.group(1).strip()]
    inferred, sig_date = own_issuers(text, title, n, intro_issuer)
    byline_date = None
    if not issuers and not inferred:
        inferred, byline_date = _byline(text, (title, heading[0]), heading[1] if t_end < 0 else min(t_end, heading[1]))
    issuers = _placed(issuers or inferred, text, title, n)

    date = None
    dm = _field("date", text)
    if dm:
        date = parse_date(".".join(dm.groups()))
    date = date or _history_date(text) or sig_date or byline_date

    sources = {"title": title_source, "doc_number": ("heading" if heading_number else "text") if n else None,
               "issuer": "text" if issuers else None, "date": "text" if date else None}
    merged = portal.merge(page, text, numbers, {"title": title, "title_span": (t_start, t_end), "number": n,
                                                "issuer": issuers, "date": date, "sources": sources}, _levels_api())
    title, (t_start, t_end), n = merged["title"], merged["title_span"], merged["number"]
    issuers, date = merged["issuer"], merged["date"]
    if sources["issuer"] != "text":  # the page's 来源：县水利局 is abbreviated as a signature can be
        issuers = _placed(issuers, text, title, n)

    if "validity" not in merged["extra"] and _field_marks(text)[0]:
        vm = _BRACKET_VALIDITY.search(text, 0, HEADER_CHARS * 2)  # a law database's 【时效性】现行有效
        validity = portal.field_value("validity", vm.group(1)) if vm else None
        if validity is not None:
            merged["extra"] = {**merged["extra"], "validity": validity}

    carries = _carries(text, title, numbers)
    if carries and _order_heading(title, n):
        # a decree publishes the regulation it carries, and is known by its title (portals list it so,
        # citations name it so): 国务院令第706号 is 《专利代理条例》
        title = carries[0]
    own_keys = {k for k in (title_key(title), *(title_key(c) for c in carries)) if k}
    # the same titles without their edition or draft status (（2021 版）, （征求意见稿）): a guide that says
    # 适时修订《国家智能制造标准体系建设指南》 names itself -- but not without （试行） or （二）, which tell apart
    # documents of their own (人民检察院刑事诉讼规则（试行） repeals 《人民检察院刑事诉讼规则》)
    own_keys |= {title_key(core) for t in (title, *carries) if t and t[-1] in "）)"
                 and len(core := _without_edition(t)) >= 4 and core != t}
    if intro:
        own_keys.add(title_key(intro.group(1)))
    for m in _aliases(text, alias_at):
        if title_key(m.group(1)) in own_keys:
            own_keys.add(title_key(m.group(2)))

    level, region = _level(issuers, n, title, text, _levels_api())
    return {
        "title": title,
        "doc_number": n.number.normalized if n is not None else None,
        "issuer": issuers,
        "date": date,
        "level": level,
        "region": region,
        "carries": carries,
        "sources": sources,
        "extra": merged["extra"],
        "own_number_match": n,
        "own_keys": own_keys,
        "title_span": (t_start, t_end),
        "document_end": end,
    }


def _body_start(text: str, page) -> int:
    """Where a page's document body has begun at the latest: its first sentence after the metadata block."""
    after = max((b for _, b in page.masked), default=0)
    k = text.find("。", after)
    return len(text) if k < 0 else k


def blank_after(text: str, end: int) -> str:
    """`text` with everything from `end` on blanked (line breaks kept: offsets and lines stay valid)."""
    return text[:end] + _NOT_BREAK.sub(" ", text[end:])


_NOT_BREAK = re.compile(r"[^\n]")
