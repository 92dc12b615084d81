"""The reading layer: encodings, HTML, JSON Lines, folders, and the reasons given for unusable files."""
from __future__ import annotations

import json
import os
import random

import pytest

from polgraph.errors import InputError
from polgraph.extract.read import (Document, UndecodableError, decode_bytes, html_to_text, iter_documents,
                                   list_input_files, read_documents, read_file)

SAMPLE_FILE = "00008.txt"


@pytest.fixture(scope="module")
def sample_text(sample_dir) -> str:
    return (sample_dir / SAMPLE_FILE).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------- encodings

def test_utf8_is_read_as_is(sample_text):
    assert decode_bytes(sample_text.encode("utf-8")) == (sample_text, "utf-8")


def test_utf8_bom_is_dropped(sample_text):
    assert decode_bytes(b"\xef\xbb\xbf" + sample_text.encode("utf-8")) == (sample_text, "utf-8-sig")


def test_gb18030_is_detected_whatever_the_extension(tmp_path, sample_text):
    for name in ("gb.txt", "gb.md", "gb.data"):
        p = tmp_path / name
        p.write_bytes(sample_text.encode("gb18030"))
        [doc] = read_file(p)
        assert doc.text == sample_text
        assert doc.encoding == "gb18030"
        assert doc.path == str(p)


def test_gbk_and_gb2312_text_is_read():
    text = "国务院办公厅关于全面推开县级公立医院综合改革的实施意见（国办发〔2015〕33号）\n各省、自治区、直辖市人民政府："
    for codec in ("gbk", "gb2312"):
        assert decode_bytes(text.encode(codec)) == (text, "gb18030")


def test_utf16_with_bom_is_read(sample_text):
    data = b"\xff\xfe" + sample_text.encode("utf-16-le")
    assert decode_bytes(data) == (sample_text, "utf-16")


# A document of our own in traditional characters, as Hong Kong, Macao and Taiwan offices publish them in Big5.
TRADITIONAL = ("雲南省人民政府關於加強城市供水安全管理工作的通知\n雲政發〔2021〕20號\n"
               "各州、市人民政府，省直各委、辦、廳、局：\n為進一步保障城市供水安全，根據《城市供水條例》，"
               "現就有關事項通知如下。\n一、各地要建立健全供水安全責任制度，明確職責分工。\n"
               "雲南省人民政府\n2021年3月1日\n")


def test_big5_text_is_detected():
    assert decode_bytes(TRADITIONAL.encode("big5")) == (TRADITIONAL, "big5")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(sample_text, codec):
    assert decode_bytes(sample_text.encode(codec)) == (sample_text, "utf-16")
    assert decode_bytes(TRADITIONAL.encode(codec)) == (TRADITIONAL, "utf-16")


def test_newlines_are_normalised(sample_text):
    crlf = sample_text.replace("\n", "\r\n").encode("gb18030")
    assert decode_bytes(crlf)[0] == sample_text
    assert decode_bytes(b"a\rb\r\nc")[0] == "a\nb\nc"


def test_every_corpus_file_round_trips_through_gb18030(corpora):
    files = sorted(corpora.glob("*/*.txt"))
    rng = random.Random(7)
    for f in rng.sample(files, 150) + sorted(corpora.glob("seed/*.txt")):
        text = f.read_text(encoding="utf-8")
        assert decode_bytes(text.encode("gb18030")) == (text, "gb18030"), f


def test_nul_bytes_mean_binary():
    with pytest.raises(UndecodableError, match="binary"):
        decode_bytes("关于印发".encode("utf-8") + b"\x00\x01\x02")


def test_control_characters_mean_binary():
    with pytest.raises(UndecodableError, match="binary"):
        decode_bytes(bytes(range(1, 32)) * 20 + "通知".encode("utf-8"))


def test_random_bytes_are_refused():
    rng = random.Random(1)
    for _ in range(200):
        data = bytes(rng.randrange(1, 256) for _ in range(2000))
        with pytest.raises(UndecodableError):
            decode_bytes(data)


def test_random_gbk_byte_pairs_are_not_mistaken_for_chinese():
    """Bytes that decode as GBK ideographs but whose characters are not the common ones are noise."""
    rng = random.Random(2)
    for _ in range(100):
        data = bytes(rng.choice((rng.randrange(0x81, 0xFF), rng.randrange(0x40, 0x7F))) for _ in range(400))
        with pytest.raises(UndecodableError, match="not text in UTF-8 or GB18030"):
            decode_bytes(data)


def test_latin1_text_is_refused_not_garbled():
    with pytest.raises(UndecodableError):
        decode_bytes("Résumé de la décision du Conseil d'État, été 2015, à noter. ".encode("latin-1") * 10)


# ------------------------------------------------------------------------------------------- files

def test_empty_and_blank_files_are_refused_with_their_name(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\u3000\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_file(empty)
    assert e.value.path == str(empty) and "empty" in e.value.reason
    assert str(e.value).startswith(str(empty) + ": ")
    with pytest.raises(InputError, match="empty"):
        read_file(blank)


def test_binary_file_is_refused_with_its_name(tmp_path):
    png = tmp_path / "figure.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError) as e:
        read_file(png)
    assert e.value.path == str(png) and "binary" in e.value.reason


def test_a_directory_named_as_a_file_is_refused(tmp_path):
    with pytest.raises(InputError, match="directory"):
        read_file(tmp_path)


# ------------------------------------------------------------------------------------------- HTML

HTML_PAGE = """<!DOCTYPE html>
<html><head><meta charset="gbk"><title>不应出现的标题</title>
<style>p { color: red }</style><script>var x = "《不可见》";</script></head>
<body>
<div class="nav">首页 &gt; 政策文件</div>
<h1>关于印发《某某县实施方案》的通知</h1>
<p>各乡镇人民政府：</p>
<p>为贯彻落实《国务院办公厅关于全面推开县级公立医院综合改革的实施意见》（国办发〔2015〕33号）&nbsp;精神，
现将有关事项通知如下。</p>
<table><tr><td>附件</td><td>名单</td></tr></table>
<!-- 注释《也不可见》 -->
<noscript>请启用脚本</noscript>
<p>第一条<br>第二条<br/>第三条 A&amp;B</p>
</body></html>"""


def test_html_gives_visible_text_only():
    text = html_to_text(HTML_PAGE)
    assert "不应出现" not in text and "不可见" not in text and "color" not in text and "也不可见" not in text
    assert "请启用脚本" not in text
    assert "首页" not in text  # the breadcrumb is site chrome (data/portal_chrome.tsv)
    assert "关于印发《某某县实施方案》的通知" in text.split("\n")
    # A line break in the HTML source is white space, not a break in the sentence; &nbsp; is a space.
    assert "为贯彻落实《国务院办公厅关于全面推开县级公立医院综合改革的实施意见》（国办发〔2015〕33号） 精神， 现将有关事项通知如下。" in text
    assert "第一条\n第二条\n第三条 A&B" in text
    assert "\n\n" not in text and text == text.strip()


def test_html_blocks_make_one_line_break_and_br_br_a_blank_line():
    assert html_to_text("<p>甲</p>\n\n<p>乙</p><div><div>丙</div></div><table><tr><td>丁</td></tr></table>") == \
        "甲\n乙\n丙\n丁"
    assert html_to_text("甲<br>乙<br/><br>丙<p>丁<br></p>戊") == "甲\n乙\n\n丙\n丁\n戊"
    assert html_to_text("<pre>  a\n   b</pre>") == "a\nb"  # line breaks of <pre> kept, indentation not
    assert html_to_text("\x00甲\x00<p>乙\x00") == "甲\n乙"


def test_html_file_in_gbk_is_read(tmp_path):
    p = tmp_path / "page.htm"
    p.write_bytes(HTML_PAGE.encode("gbk"))
    [doc] = read_file(p)
    assert doc.encoding == "gb18030"
    assert doc.text == html_to_text(HTML_PAGE)


def test_html_is_recognised_by_content_when_named_otherwise(tmp_path):
    p = tmp_path / "page.txt"
    p.write_text(HTML_PAGE, encoding="utf-8")
    [doc] = read_file(p)
    assert "<p>" not in doc.text and "关于印发《某某县实施方案》的通知" in doc.text


def test_html_without_visible_text_is_refused(tmp_path):
    p = tmp_path / "blank.html"
    p.write_text("<html><head><title>x</title></head><body><script>1</script></body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="no visible text"):
        read_file(p)


# ------------------------------------------------------------------------------------------- JSON Lines

def _jsonl(tmp_path, lines) -> str:
    p = tmp_path / "docs.jsonl"
    p.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                 encoding="utf-8")
    return str(p)


def test_jsonl_documents_with_overrides_and_bad_lines(tmp_path):
    path = _jsonl(tmp_path, [
        {"id": "a", "text": "第一份文件", "title": "标题A", "doc_number": "国发〔2012〕11号",
         "issuer": "国务院", "date": "2012-03-01", "other": 1},
        "",
        "{not json",
        [1, 2],
        {"id": "b"},
        {"text": "   "},
        {"text": "第二份文件", "issuer": ["国务院办公厅", "财政部"], "id": 7},
        {"text": "坏", "title": 5},
        '{"text": "\\ud800 surrogate"}',
        {"text": "第三份\r\n文件", "title": None},
    ])
    items = read_documents(path)
    docs = [x for x in items if isinstance(x, Document)]
    errors = [x for x in items if isinstance(x, InputError)]
    assert [d.path for d in docs] == [f"{path}#1", f"{path}#7", f"{path}#10"]
    assert all(d.source == path for d in docs)
    assert docs[0].overrides == {"id": "a", "title": "标题A", "doc_number": "国发〔2012〕11号",
                                 "issuer": ["国务院"], "date": "2012-03-01"}
    assert docs[1].overrides == {"id": "7", "issuer": ["国务院办公厅", "财政部"]}
    assert docs[2].overrides == {} and docs[2].text == "第三份\n文件"
    assert [e.path for e in errors] == [f"{path}:{n}" for n in (3, 4, 5, 6, 8, 9)]
    reasons = [e.reason for e in errors]
    assert "not valid JSON" in reasons[0] and "object" in reasons[1] and "text" in reasons[2]
    assert "empty" in reasons[3] and "title" in reasons[4] and "surrogate" in reasons[5]
    # read_file keeps the good documents only
    assert [d.path for d in read_file(path)] == [d.path for d in docs]


def test_extraction_output_is_refused_as_a_whole(tmp_path):
    p = tmp_path / "out.jsonl"
    p.write_text('{"path": "a.txt", "title": null, "citations": []}\n' * 3, encoding="utf-8")
    with pytest.raises(InputError, match="extraction records"):
        read_documents(str(p))


def test_jsonl_of_blank_lines_is_refused(tmp_path):
    p = tmp_path / "blank.jsonl"
    p.write_text("\n\n  \n", encoding="utf-8")
    with pytest.raises(InputError, match="empty|no documents"):
        read_file(p)


# ------------------------------------------------------------------------------------------- folders

def _tree(tmp_path):
    root = tmp_path / "corpus"
    for rel, content in {
        "b.txt": "乙", "a.txt": "甲", "README.md": "# about this corpus", "MANIFEST.tsv": "file\ttitle",
        "notes.xlsx": "x", ".hidden.txt": "隐", ".git/x.txt": "隐", "sub/c.md": "丙", "sub/d.html": "<p>丁</p>",
        "sub/deeper/e.txt": "戊", "a.b/f.txt": "己", "sub/readme.txt": "说明",
    }.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content, encoding="utf-8")
    return root


def test_folders_recurse_in_sorted_order_and_keep_documents_only(tmp_path):
    root = _tree(tmp_path)
    files = list_input_files([str(root)])
    rel = [os.path.relpath(f, root) for f in files]
    assert rel == ["a.b/f.txt", "a.txt", "b.txt", "sub/c.md", "sub/d.html", "sub/deeper/e.txt"]
    assert [d.text for d in iter_documents([str(root)])] == ["己", "甲", "乙", "丙", "丁", "戊"]


def test_named_files_are_read_whatever_their_extension_and_once(tmp_path):
    root = _tree(tmp_path)
    readme, manifest = str(root / "README.md"), str(root / "MANIFEST.tsv")
    files = list_input_files([readme, manifest, str(root), str(root / "b.txt")])
    assert files[:2] == [readme, manifest]
    assert len(files) == 8 and files.count(str(root / "b.txt")) == 1


def test_iter_documents_yields_errors_in_place_and_goes_on(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "1.txt").write_text("第一", encoding="utf-8")
    (root / "2.txt").write_bytes(b"")
    (root / "3.txt").write_bytes(b"\x00\x01binary")
    (root / "4.txt").write_text("第四", encoding="utf-8")
    items = list(iter_documents([str(root), str(tmp_path / "missing.txt")]))
    kinds = [(type(x).__name__, os.path.basename(x.path)) for x in items]
    assert kinds == [("Document", "1.txt"), ("InputError", "2.txt"), ("InputError", "3.txt"),
                     ("Document", "4.txt"), ("InputError", "missing.txt")]
    assert "no such file" in items[-1].reason


def test_sample_folder_is_read_in_order(sample_dir):
    docs = list(iter_documents([str(sample_dir)]))
    assert [os.path.basename(d.path) for d in docs] == [f"{i:05d}.txt" for i in range(1, 10)]
    assert all(isinstance(d, Document) and d.encoding == "utf-8" and d.text.strip() for d in docs)
