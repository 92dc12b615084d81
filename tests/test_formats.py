"""The binary formats: PDF, DOCX, DOC/WPS, OFD detected from their bytes; layout undone (wrapped lines joined,
running headers and page numbers dropped); bad files skipped each with its own reason; every command reads them."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from formats_support import html_rendering, write_docx, write_ofd, write_pdf
from polgraph.cli import cli
from polgraph.errors import EXIT_PARTIAL, InputError
from polgraph.extract.find import extract_text
from polgraph.extract.read import read_file
from polgraph.extract.readers.layout import Line, pages_to_text
from polgraph.extract.readers.ofd import _advances

REPO = Path(__file__).resolve().parent.parent
POLGRAPH = REPO / ".venv" / "bin" / "polgraph"
FIXTURES = Path(__file__).parent / "fixtures" / "formats"

# A notice of our own: a title on two centred lines, its number, a body whose citations wrap across lines.
CITED = [f"国发〔2015〕{n}号" for n in range(1, 41)]
NOTICE = ("某省人民政府关于进一步做好城乡供水\n安全保障工作的通知\n某政发〔2021〕7号\n各市、县人民政府，省政府各部门：\n"
          + "".join(f"根据《国务院关于加强第{n}项城乡供水安全工作的通知》（{c}），" for n, c in enumerate(CITED, 1))
          + "现就有关事项通知如下。\n一、各地要建立健全供水安全责任制度。\n某省人民政府\n2021年3月1日")


def _cited_numbers(text: str) -> set[str]:
    return {c["doc_number"] for c in extract_text(text, "x")["citations"]}


# ------------------------------------------------------------------------------------------------ layout

def _line(text, x0, y, size=10.0, right=None):
    return Line(text, x0, right if right is not None else x0 + size * len(text), y, size)


def test_wrapped_lines_join_until_a_paragraph_starts():
    # margins 50..250 (20 characters of 10); paragraphs indented by two characters
    page = [_line("通知标题", 130, 40),                                    # centred
            _line("各市人民政府：", 50, 60),
            _line("根据《国务院关于某某工作的通知》（国发〔", 70, 80, right=250),  # full: continues
            _line("2015〕33号）要求，现通知如下。", 50, 100),
            _line("一、抓好落实工作。", 70, 120)]
    assert pages_to_text([page], [300]) == ("通知标题\n各市人民政府：\n"
                                            "根据《国务院关于某某工作的通知》（国发〔2015〕33号）要求，现通知如下。\n"
                                            "一、抓好落实工作。")


@pytest.mark.parametrize("number", ["— {} —", "-{}-", "第{}页", "第 {} 页 共 3 页", "{}", "{}/3"])
def test_page_numbers_and_running_headers_are_dropped_and_pages_join(number):
    pages = []
    for n in range(1, 4):
        pages.append([_line("某市人民政府公报 2021年第3期", 60, 20),   # running header, top band
                      _line("甲" * 18 + f"第{n}段", 70, 60, right=250),
                      _line("乙" * 20, 50, 80, right=250),             # ends the page at the margin
                      _line(number.format(n), 140, 290)])
    text = pages_to_text(pages, [300] * 3)
    assert "公报" not in text and "页" not in text and "/" not in text and "—" not in text
    assert text.split("\n") == ["甲" * 18 + f"第{n}段" + "乙" * 20 for n in range(1, 4)][:1] + \
        ["甲" * 18 + f"第{n}段" + "乙" * 20 for n in range(2, 4)], text


def test_a_number_broken_across_a_page_break_is_whole():
    pages = [[_line("根据《国务院关于某某工作的通知》（国发", 70, 250, right=250), _line("— 1 —", 140, 290)],
             [_line("〔2015〕33号），现通知如下。", 50, 30), _line("— 2 —", 140, 290)]]
    assert pages_to_text(pages, [300, 300]) == "根据《国务院关于某某工作的通知》（国发〔2015〕33号），现通知如下。"


def test_a_vertical_gap_is_a_blank_line():
    page = [_line("第一章 总则", 110, 40), _line("第一条 为了规范管理。", 70, 80), _line("第二条 适用范围。", 70, 100)]
    assert pages_to_text([page], [300]) == "第一章 总则\n\n第一条 为了规范管理。\n第二条 适用范围。"


def test_ofd_deltax_repeats():
    assert _advances("g 3 5.5 2.75 g 2 1") == [5.5, 5.5, 5.5, 2.75, 1.0, 1.0]


# ------------------------------------------------------------------------------------------------ PDF

@pytest.mark.browser
@pytest.mark.parametrize("footer", ['"— " counter(page) " —"', '"-" counter(page) "-"',
                                    '"第" counter(page) "页"'])
def test_pdf_text_is_the_document_without_its_page_furniture(tmp_path, footer, monkeypatch):
    import formats_support

    css = formats_support.PAGE_CSS.replace('content: "— " counter(page) " —"', f"content: {footer}")
    css = css.replace("@bottom-center", '@top-center { content: "某省人民政府公报"; font-size: 10pt; } @bottom-center')
    monkeypatch.setattr(formats_support, "PAGE_CSS", css)
    long_notice = NOTICE.replace("现就有关", "".join(f"{'各地要认真贯彻落实。' * 12}\n" for _ in range(8)) + "现就有关")
    pdf = write_pdf(long_notice, tmp_path / "notice.pdf")
    [doc] = read_file(pdf)
    assert doc.encoding == "pdf"
    import pypdfium2
    assert len(pypdfium2.PdfDocument(str(pdf))) >= 2  # the test crosses page breaks
    assert "公报" not in doc.text and "页" not in doc.text.replace("页面", "")
    assert doc.text.split("\n")[:4] == NOTICE.split("\n")[:4]
    assert doc.text.split("\n")[-2:] == ["某省人民政府", "2021年3月1日"]
    assert _cited_numbers(doc.text) >= set(CITED)
    rec = extract_text(doc.text, doc.path)
    assert rec["doc_number"] == "某政发〔2021〕7号"
    assert rec["title"] == "某省人民政府关于进一步做好城乡供水安全保障工作的通知"


@pytest.mark.parametrize("name", ["govcn-statecouncil-2019_00047", "seed_00004", "xvshiting-smart-policy_00032"])
def test_libreoffice_pdf_reads_as_its_text(name, corpora):
    """A second producer (scripts/make_format_fixtures.py): LibreOffice draws quotation marks and ○ after the
    rest of their line and wraps a number short of the margin (自然资规〔 | 2022〕1号）)."""
    [doc] = read_file(FIXTURES / "lo-pdf" / f"{name}.pdf")
    original = (corpora / name.replace("_", "/", 1)).with_suffix(".txt").read_text(encoding="utf-8")

    def lines(text):
        return [x for x in text.replace(" ", "").replace("\u3000", "").split("\n") if x]

    assert lines(doc.text) == lines(original)


# ------------------------------------------------------------------------------------------------ DOCX

def _docx_with_table_and_text_box(path: Path) -> Path:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("某市人民政府关于印发某某办法的通知")
    table = document.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "文号", (0, 1): "某政发〔2021〕9号", (1, 0): "发文机关", (1, 1): "某市人民政府"}.items():
        table.cell(r, c).text = value
    anchor = document.add_paragraph("正文第一段。")
    box = ("<w:r xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main' "
           "xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006' "
           "xmlns:wps='http://schemas.microsoft.com/office/word/2010/wordprocessingShape' "
           "xmlns:v='urn:schemas-microsoft-com:vml'><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing>"
           "<wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框里的话</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
           "</w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框里的话"
           "</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    anchor._p.append(parse_xml(box))
    document.add_paragraph("某市人民政府")
    document.sections[0].header.paragraphs[0].text = "页眉不是正文"
    document.save(str(path))
    return path


def test_docx_reads_paragraphs_tables_and_text_boxes_in_order(tmp_path):
    [doc] = read_file(_docx_with_table_and_text_box(tmp_path / "x.docx"))
    assert doc.encoding == "docx"
    assert doc.text.split("\n") == ["某市人民政府关于印发某某办法的通知", "文号", "某政发〔2021〕9号", "发文机关",
                                    "某市人民政府", "正文第一段。", "文本框里的话", "某市人民政府"]


def test_format_is_read_from_the_bytes_not_the_extension(tmp_path):
    p = write_docx(NOTICE, tmp_path / "notice.txt")
    [doc] = read_file(p)
    assert doc.encoding == "docx" and doc.text == NOTICE
    o = write_ofd(NOTICE, tmp_path / "notice.bin")
    assert read_file(o)[0].encoding == "ofd"


# ------------------------------------------------------------------------------------------------ OFD

def test_ofd_text_in_reading_order(tmp_path, corpora):
    text = (corpora / "govcn-statecouncil-2019" / "00047.txt").read_text(encoding="utf-8")
    [doc] = read_file(write_ofd(text, tmp_path / "x.ofd"))
    assert doc.encoding == "ofd"
    expected = [line for line in text.strip("\n").split("\n")]
    got = doc.text.split("\n")
    # blank lines at a page break cannot be seen; every other line is whole and in order
    assert [x for x in got if x] == [x for x in expected if x]
    assert len(got) >= len(expected) - 5


# ------------------------------------------------------------------------------------------------ DOC / WPS

def test_doc_read_by_antiword(corpora):
    if not shutil.which("antiword"):
        pytest.skip("antiword not installed")
    [doc] = read_file(FIXTURES / "dev-doc" / "seed" / "00004.doc")
    assert doc.encoding == "doc"
    assert doc.text == (corpora / "seed" / "00004.txt").read_text(encoding="utf-8").strip("\n")


def test_doc_without_antiword_or_catdoc_names_the_package(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(InputError, match="install the Debian package antiword"):
        read_file(FIXTURES / "dev-doc" / "seed" / "00004.doc")


# ------------------------------------------------------------------------------------------------ bad files

def _scanned_pdf(path: Path) -> Path:
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(Image.new("RGB", (300, 100), (120, 120, 120))))
    image.set_matrix(pdfium.PdfMatrix().scale(400, 130).translate(80, 600))
    page.insert_obj(image)
    page.gen_content()
    pdf.save(str(path))
    return path


def _zip_bomb(path: Path) -> Path:
    """A DOCX whose document.xml inflates to 300 MB of zeros (about 300 KB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                f.write(chunk)
    return path


def _lying_zip(path: Path) -> Path:
    """An OFD whose Content.xml says it inflates to 100 bytes but holds 2 MB."""
    write_ofd(NOTICE, path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        infos = zf.infolist()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out, zipfile.ZipFile(io.BytesIO(bytes(data))) as src:
        for info in infos:
            payload = src.read(info.filename)
            if info.filename.endswith("Content.xml"):
                payload = payload + b"<!--" + b" " * (2 << 20) + b"-->"
            out.writestr(info.filename, payload)
    data = bytearray(buf.getvalue())
    size = (2 << 20) + len(b"<!---->")
    # patch the uncompressed size of the bloated member in its local header and in the central directory
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        for info in zf.infolist():
            if info.file_size >= size:
                real = info.file_size.to_bytes(4, "little")
                data = data.replace(real, (100).to_bytes(4, "little"))
    path.write_bytes(bytes(data))
    return path


def test_bad_files_are_skipped_each_with_its_reason_and_the_run_goes_on(tmp_path, sample_dir):
    good = shutil.copy(sample_dir / "00004.txt", tmp_path / "good.txt")
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(write_docx(NOTICE, tmp_path / "whole.docx").read_bytes()[:-200])
    (tmp_path / "whole.docx").unlink()
    not_a_doc = tmp_path / "archive.zip"
    with zipfile.ZipFile(not_a_doc, "w") as zf:
        zf.writestr("a.txt", "x")
    bad = {
        _scanned_pdf(tmp_path / "scan.pdf"): "scanned PDF without a text layer",
        shutil.copy(FIXTURES / "encrypted.pdf", tmp_path / "encrypted.pdf"): "encrypted PDF",
        truncated: "corrupt zip archive",
        _zip_bomb(tmp_path / "bomb.docx"): "zip bomb",
        _lying_zip(tmp_path / "lying.ofd"): "corrupt zip archive",
        not_a_doc: "neither DOCX nor OFD",
    }
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([POLGRAPH, "extract", *map(str, bad), str(good), "-o", out, "-q"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == EXIT_PARTIAL, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    for path, reason in bad.items():
        [line] = [x for x in lines if x.strip().startswith(f"{path}:")]
        assert reason in line, line
    [rec] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rec["doc_number"] == "国办发〔2015〕33号"


# ------------------------------------------------------------------------------------------------ commands

@pytest.fixture(scope="module")
def format_corpus(tmp_path_factory, sample_dir):
    """The sample's State Council opinion as text, and documents citing it as DOCX, OFD and DOC."""
    root = tmp_path_factory.mktemp("formats")
    shutil.copy(sample_dir / "00004.txt", root / "00004.txt")
    citing = (f"某县人民政府关于贯彻落实县级公立医院综合改革的通知\n某政发〔2016〕{{}}号\n各乡镇人民政府：\n"
              f"为贯彻落实《国务院办公厅关于全面推开县级公立医院综合改革的实施意见》（国办发〔2015〕33号），"
              f"现提出以下意见。\n某县人民政府\n2016年1月5日")
    write_docx(citing.format(1), root / "a.docx")
    write_ofd(citing.format(2), root / "b.ofd")
    return root, citing


def test_build_reads_every_format(format_corpus, tmp_path):
    root, _ = format_corpus
    graph = tmp_path / "g.json"
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(graph), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    data = json.loads(graph.read_text(encoding="utf-8"))
    numbers = {n.get("doc_number") for n in data["nodes"]}
    assert {"某政发〔2016〕1号", "某政发〔2016〕2号", "国办发〔2015〕33号"} <= numbers
    target = next(n["id"] for n in data["nodes"] if n.get("doc_number") == "国办发〔2015〕33号")
    citing = {e["source"] for e in data["edges"] if e["target"] == target}
    assert {n["id"] for n in data["nodes"] if str(n.get("doc_number", "")).startswith("某政发")} <= citing


def test_render_reads_every_format(format_corpus, tmp_path):
    root, _ = format_corpus
    out = tmp_path / "g.html"
    result = CliRunner().invoke(cli, ["render", str(root), "-o", str(out), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "某政发〔2016〕1号" in page and "某政发〔2016〕2号" in page


@pytest.mark.browser
@pytest.mark.parametrize("fmt", ["pdf", "docx", "ofd"])
def test_annotate_shows_the_extracted_text_with_its_citations(format_corpus, tmp_path, fmt):
    from test_annotate import parse

    root, citing = format_corpus
    doc = tmp_path / f"c.{fmt}"
    {"pdf": write_pdf, "docx": write_docx, "ofd": write_ofd}[fmt](citing.format(3), doc)
    out = tmp_path / "c.html"
    result = CliRunner().invoke(cli, ["annotate", str(doc), "-o", str(out), "--graph", str(root), "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    page = parse(out)
    assert "国办发〔2015〕33号" in "".join(page.marked.values())
    body = out.read_text(encoding="utf-8")
    assert "现提出以下意见" in body and "%PDF" not in body and "PK\x03\x04" not in body
