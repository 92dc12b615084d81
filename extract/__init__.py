"""Extraction: read documents, find their own metadata and every citation.

Stages (one module each):
  read.py        files/dirs -> Document(path, text, overrides, header) ; encodings, HTML (lxml), JSON Lines
  docnumber.py   parse and normalise 发文字号 (DocNumber), find them in text
  titles.py      find 《title》 spans (nested, across hard line breaks)
  cues.py        cue phrase -> relation (data/cues.tsv)
  lists.py       lists of documents under an intro line (现决定废止下列文件：): their item lines
  levels.py      机关代字 / issuer name -> level and region (data/issuer_codes.tsv, data/divisions/)
  portal.py      portal pages: the metadata block (data/portal_labels.tsv) and site chrome (data/portal_chrome.tsv)
  metadata.py    the document's own title, number, issuer(s), date, level, carried instrument(s), their sources
  find.py        citations: numbers and titles merged, relation, evidence, offsets
  lifecycle.py   the document's own effective and expiry dates, repeals on its effective date
  textview.py    traditional or noisy text: a simplified, de-noised view and its offset map back
  pipeline.py    extract_paths() / write_jsonl(): many files, --jobs, skip list

The record produced per document (the JSON Lines schema of `polgraph extract`)::

  {"path": str, "id": str|None, "title": str|None, "doc_number": str|None (normalised),
   "issuer": [str], "date": "YYYY-MM-DD"|None, "level": "central|provincial|municipal|county|township|unknown",
   "region": str|None (province name, e.g. "山西省"), "carries": [str],
   "sources": {"title"|"doc_number"|"issuer"|"date": "header|meta|page_title|heading|text|input"|None},
   ["index_number", "topic", "repeal_date": str, when a portal page gives them]
   "citations": [{"doc_number": str|None (normalised), "doc_number_raw": str|None, "title": str|None,
                  "cited_issuer": str|None, "cited_level": str, "relation": str, "cue": str|None,
                  "start": int, "end": int, "sentence": str, "anonymised": bool}],
   "effective": {"date", "phrase", "original_version", "sentence", "start", "end"}|None,
   "expires": {"date", "phrase", "sentence", "start", "end"}|None,
   "repeals": [{"title", "doc_number", "date", "sentence", "start", "end"}]}   (lifecycle.py)

`text[start:end]` is the cited span in the decoded text (the number and/or the 《title》).
"""
