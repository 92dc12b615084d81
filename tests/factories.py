"""Test factories for the record model (polgraph/models.py): a whole, consistent object from the few fields a test
is about (as eyecite's tests build their citations). `graph_support.rec`/`cit` give the dict form the graph stage
reads."""
from __future__ import annotations

from polgraph.models import Citation, Effective, Expiry, Mention, Record


def mention(start=0, span="《X》", cue="为贯彻落实", relation="IMPLEMENTS") -> Mention:
    """The mention of `span` right after its cue, starting at `start` (the cue's offset)."""
    begin = start + len(cue or "")
    return Mention(start=begin, end=begin + len(span), sentence=f"{cue or ''}{span}精神。", cue=cue, relation=relation)


def citation(number=None, title=None, relation="IMPLEMENTS", cue="为贯彻落实", issuer=None, level="unknown",
             anonymised=False, start=0) -> Citation:
    """A document cited once, by 《title》 and/or （number） after `cue`."""
    span = (f"《{title}》" if title else "") + (f"（{number}）" if number else "")
    first = mention(start, span, cue, relation)
    return Citation(doc_number=number, doc_number_raw=number, title=title, cited_issuer=issuer, cited_level=level,
                    relation=relation, cue=cue, start=first.start, end=first.end, sentence=first.sentence,
                    anonymised=anonymised, mentions=[first])


def effective(date, phrase="on_date", original_version=False) -> Effective:
    return Effective(date=date, phrase=phrase, original_version=original_version, sentence="", start=0, end=0)


def expiry(date, phrase="until") -> Expiry:
    return Expiry(date=date, phrase=phrase, sentence="", start=0, end=0)


def record(path, title=None, number=None, level="unknown", date=None, issuer=(), region=None, carries=(),
           citations=(), effective_on=None, expires_on=None, original_version=False, **fields) -> Record:
    """A document's record; citations as Citation objects or their dicts; `effective_on`/`expires_on` dates give
    its lifecycle clauses."""
    return Record(path=path, title=title, doc_number=number, issuer=list(issuer), date=date, level=level,
                  region=region, carries=list(carries),
                  citations=[c if isinstance(c, Citation) else Citation.from_dict(c) for c in citations],
                  effective=effective(effective_on, original_version=original_version) if effective_on else None,
                  expires=expiry(expires_on) if expires_on else None, **fields)
