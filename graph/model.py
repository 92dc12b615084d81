"""What a node and an edge of the polgraph graph hold (the contract every later stage reads).

The graph is a ``networkx.MultiDiGraph``; edges go **citing -> cited** (a county plan IMPLEMENTS a
provincial opinion), the edge key is the relation, so there is one edge per (source, target, relation).

Node id: the canonical key of the 文号 (DocNumber.key: ``国办发〔2015〕33号``; 国令第707号 and 中华人民共和国国务院令第707号
are both ``国务院令第707号``) when known, else ``"t:" + sha1(normalised title)[:16]``.

Node attributes (scalars or lists of str only, so GraphML/GEXF export needs only list flattening):
  label       short display text: 文号 if any, else the title
  title       str | None      the document's title (the wrapper notice's title for a 印发 notice)
  aliases     [str]           other titles it is known by: carried instruments, titles cited for it
  doc_number  str | None      the 文号 as written (GUIDELINES form) by the document or its first citer
  issuer      [str]
  date        str | None      ISO date
  year        int | None
  level       one of LEVELS
  region      str | None      province name when known
  in_corpus   bool            False for a placeholder (cited, but not in the corpus)
  path        str | None      source file of an in-corpus document
  carries     [str]
  effective   str | None      ISO date it takes effect by its own text (extract `effective`; None when that clause
                              is a first version's)
  first_date  str | None      the day its first version took effect, when the text is a later version's that kept
                              the first version's clause (a consolidated law: extract `effective` with
                              `original_version`); the document has existed since then (lags, cites_later)
  expires     str | None      the last day in force by its own term (有效期)
  validity    str | None      what its portal page's 有效性/时效性 says, as a status word (in_force, amended,
                              repealed, expired, not_yet_effective; extract `validity`)
  void_on     str | None      the first day out of force by its portal page (废止日期/失效日期; extract `repeal_date`)

Edge attributes:
  relation    one of RELATIONS (also the edge key)
  method      how the target was resolved: number | title | alias | fuzzy | placeholder; version for
              SUPERSEDES (a newer version of the same document -> the one before it: graph/versions.py)
  score       float, 100.0 except for fuzzy matches
  mentions    [ {path, sentence, start, end, cue, doc_number, title, cited_issuer} ] every mention, in text order
  flags       [str]           e.g. "upward" (IMPLEMENTS from a higher to a lower level), "cites_later",
                              "number_title_conflict"

Graph attributes (G.graph): skipped [[path, reason]], conflicts [...], created_by "polgraph".
"""
from __future__ import annotations

from polgraph.vocabulary import LEVEL_RANK, LEVELS, RELATIONS  # noqa: F401  (data/levels.tsv, data/relations.tsv)

METHODS = ("number", "title", "alias", "fuzzy", "placeholder", "version")
