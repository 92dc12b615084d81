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

The record produced per document (the JSON Lines schema of `polgraph extract`) is `polgraph.models.Record`, with its
`Citation`s, their `Mention`s and the lifecycle clauses; the stages build it as plain dicts of that shape and
`pipeline.record_to_json` writes them in the model's key order.

`text[start:end]` is the cited span in the decoded text (the number and/or the 《title》).
"""
