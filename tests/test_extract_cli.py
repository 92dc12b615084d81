"""`polgraph extract` end to end: encodings, HTML, JSON Lines, skipped files and exit codes, --jobs, determinism."""
from __future__ import annotations

import html
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from polgraph.cli import cli
from polgraph.errors import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from polgraph.extract.pipeline import _run_parallel, extract_documents, extract_paths, record_to_json
from polgraph.extract.read import iter_documents

REPO = Path(__file__).resolve().parent.parent
POLGRAPH = REPO / ".venv" / "bin" / "polgraph"


def run(*args):
    return CliRunner().invoke(cli, ["extract", *map(str, args)], catch_exceptions=False)


def records(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines()]


def without_path(rec: dict) -> dict:
    return {k: v for k, v in rec.items() if k != "path"}


@pytest.fixture(scope="module")
def sample_record(sample_dir) -> dict:
    result = run(sample_dir / "00008.txt", "-q")
    assert result.exit_code == EXIT_OK, result.stderr
    [rec] = records(result)
    return rec


def test_sample_record_has_the_schema(sample_record, sample_dir):
    assert sample_record["path"] == str(sample_dir / "00008.txt")
    for key in ("id", "title", "doc_number", "issuer", "date", "level", "carries", "citations"):
        assert key in sample_record
    assert sample_record["citations"], "the 普洱 notice cites the 云南 opinion"


# utf-16-le/-be: no byte-order mark (issue 11: it was refused as "binary (contains NUL bytes)")
@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_other_encodings_extract_identically(tmp_path, sample_dir, sample_record, encoding):
    text = (sample_dir / "00008.txt").read_text(encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_bytes(text.encode(encoding))
    result = run(copy, "-q")
    assert result.exit_code == EXIT_OK, result.stderr
    [rec] = records(result)
    assert rec["path"] == str(copy)
    assert without_path(rec) == without_path(sample_record)


def test_crlf_file_extracts_identically(tmp_path, sample_dir, sample_record):
    text = (sample_dir / "00008.txt").read_text(encoding="utf-8")
    copy = tmp_path / "crlf.txt"
    copy.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    [rec] = records(run(copy, "-q"))
    assert without_path(rec) == without_path(sample_record)


def _cited(rec):
    return [(c["doc_number"], c["title"], c["relation"]) for c in rec["citations"]]


def test_html_file_gives_its_visible_text(tmp_path, sample_dir):
    """The sample as a web page (lines as <br>, a hidden head and script) extracts exactly like the text."""
    src = sample_dir / "00009.txt"
    text = src.read_text(encoding="utf-8")
    body = "<br>\n".join(html.escape(line) for line in text.split("\n"))
    page = (f"<!DOCTYPE html><html><head><title>《不应被引用的标题》</title>"
            f"<script>document.write('根据《脚本里的管理办法》（国发〔1999〕99号）');</script>"
            f"<style>.x{{}}</style></head><body><div class=\"content\">{body}</div></body></html>")
    p = tmp_path / "page.html"
    p.write_bytes(page.encode("gb18030"))
    [doc] = list(iter_documents([str(p)]))
    assert doc.text == "\n".join(line.strip(" \t") for line in text.strip("\n").split("\n"))
    result = run(p, "-q")
    assert result.exit_code == EXIT_OK, result.stderr
    [rec] = records(result)
    [plain] = records(run(src, "-q"))
    assert rec["citations"] and _cited(rec) == _cited(plain)
    blob = json.dumps(rec, ensure_ascii=False)
    assert "1999" not in blob and "脚本里" not in blob and "不应被引用" not in blob


def _gbk_ok(s: str) -> bool:
    try:
        s.encode("gbk")
        return True
    except UnicodeEncodeError:
        return False


def test_jsonl_with_overrides_and_a_bad_line(tmp_path, sample_dir, sample_record):
    text = (sample_dir / "00008.txt").read_text(encoding="utf-8")
    p = tmp_path / "docs.jsonl"
    lines = [
        json.dumps({"id": "doc-1", "text": text, "title": "覆盖的标题", "doc_number": "国发〔2099〕1号",
                    "issuer": "测试机关", "date": "2099-01-02"}, ensure_ascii=False),
        "{broken",
        json.dumps({"text": text}, ensure_ascii=False),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(p)
    assert result.exit_code == EXIT_PARTIAL
    first, second = records(result)
    assert first["path"] == f"{p}#1" and second["path"] == f"{p}#3"
    assert first["id"] == "doc-1" and second["id"] is None
    assert first["title"] == "覆盖的标题"
    assert first["doc_number"] == "国发〔2099〕1号"
    assert first["issuer"] == ["测试机关"]
    assert first["date"] == "2099-01-02"
    assert _cited(first) == _cited(sample_record)
    assert without_path(second) == without_path(sample_record)
    assert f"{p}:2: not valid JSON" in result.stderr


def test_binary_and_empty_files_are_skipped_and_named(tmp_path, sample_dir, sample_record):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a_good.txt").write_bytes((sample_dir / "00008.txt").read_bytes())
    (corpus / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (corpus / "c_empty.txt").write_bytes(b"")
    (corpus / "d_blank.md").write_text("\n  \n", encoding="utf-8")
    result = run(corpus)
    assert result.exit_code == EXIT_PARTIAL
    [rec] = records(result)
    assert without_path(rec) == without_path(sample_record)
    err = result.stderr.splitlines()
    assert "skipped 3 file(s)" in result.stderr
    assert any(str(corpus / "b_binary.txt") in line and "binary" in line for line in err)
    assert any(str(corpus / "c_empty.txt") in line and "empty" in line for line in err)
    assert any(str(corpus / "d_blank.md") in line and "empty" in line for line in err)
    assert "Traceback" not in result.stderr


def test_a_nonexistent_path_is_a_usage_error(tmp_path, sample_dir):
    result = run(sample_dir / "00001.txt", tmp_path / "nope.txt")
    assert result.exit_code == EXIT_USAGE
    assert "nope.txt" in result.stderr and "does not exist" in result.stderr
    assert result.stdout == ""


def test_output_file_equals_stdout(tmp_path, sample_dir):
    out = tmp_path / "out.jsonl"
    to_file = run(sample_dir, "-q", "-o", out)
    assert to_file.exit_code == EXIT_OK and to_file.stdout == ""
    assert out.read_text(encoding="utf-8") == run(sample_dir, "-q").stdout
    assert len(out.read_text(encoding="utf-8").splitlines()) == 9


def test_summary_on_stderr_unless_quiet(sample_dir):
    loud, quiet = run(sample_dir), run(sample_dir, "--quiet")
    assert "9 document(s)" in loud.stderr and quiet.stderr == ""
    assert loud.stdout == quiet.stdout


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory, sample_dir, corpora) -> list[str]:
    """The sample, a real corpus, and a folder with a GB18030 file, an HTML page, a JSON Lines file and
    unusable files -- so that --jobs splits work across every kind of input."""
    d = tmp_path_factory.mktemp("mixed")
    text = (sample_dir / "00004.txt").read_text(encoding="utf-8")
    (d / "gb.txt").write_bytes(text.encode("gb18030"))
    (d / "page.html").write_text(f"<p>{html.escape(text)}</p>", encoding="utf-8")
    (d / "docs.jsonl").write_text(json.dumps({"id": "j", "text": text}, ensure_ascii=False) + "\n{x\n",
                                  encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    return [str(sample_dir), str(corpora / "govcn-statecouncil-2019"), str(d)]


def test_jobs_2_output_is_byte_identical_to_jobs_1(mixed_corpus):
    one = run(*mixed_corpus, "--jobs", "1")
    two = run(*mixed_corpus, "--jobs", "2")
    assert one.exit_code == two.exit_code == EXIT_PARTIAL
    assert one.stdout.encode("utf-8") == two.stdout.encode("utf-8")
    assert one.stderr == two.stderr
    assert len(one.stdout.splitlines()) == 9 + 60 + 3


def test_cli_lines_are_the_records_of_extract_paths(mixed_corpus):
    """`polgraph extract` serialises in the workers (write_jsonl); the library API returns the records: the
    two must agree line for line, skips included."""
    import io

    from polgraph.extract.pipeline import write_jsonl

    recs, skipped = extract_paths(mixed_corpus, jobs=2, quiet=True)
    out = io.StringIO()
    n_docs, n_cit, skipped_lines = write_jsonl(mixed_corpus, out, jobs=2, quiet=True)
    assert out.getvalue() == "".join(record_to_json(r) + "\n" for r in recs)
    assert (n_docs, n_cit, skipped_lines) == (len(recs), sum(len(r["citations"]) for r in recs), skipped)


def test_jobs_work_with_the_spawn_start_method(mixed_corpus):
    single = extract_paths(mixed_corpus[:1], jobs=1, quiet=True)
    spawned = extract_paths(mixed_corpus[:1], jobs=2, quiet=True, start_method="spawn")
    assert spawned == single and len(single[0]) == 9


def _double(batch):
    return [x * 2 for x in batch]


def _fail_on_three(batch):
    if 3 in batch:
        raise ValueError("bad batch")
    return batch


def _die_in_a_worker(batch):
    if multiprocessing.parent_process() is not None:
        os._exit(7)
    return batch


def _record_process(batch):
    if multiprocessing.parent_process() is not None:
        time.sleep(0.01)  # a worker's result is not ready at once, so this process always takes batches too
    return [(x, os.getpid()) for x in batch]


def test_worker_processes_keep_order_and_surface_failures():
    batches = [[i] for i in range(40)]
    assert list(_run_parallel(_double, batches, 2, None)) == [[2 * i] for i in range(40)]
    pids = {pid for [(_, pid)] in _run_parallel(_record_process, batches, 3, None)}
    assert os.getpid() in pids and len(pids) >= 2, "this process and its workers share the batches"
    with pytest.raises((RuntimeError, ValueError), match="bad batch"):
        list(_run_parallel(_fail_on_three, batches, 2, None))
    with pytest.raises(RuntimeError, match="worker process died"):
        list(_run_parallel(_die_in_a_worker, batches, 2, None))
    results = _run_parallel(_double, batches, 2, None)
    assert next(results) == [0]
    results.close()  # a consumer that stops early
    assert multiprocessing.active_children() == []


def test_jobs_from_a_process_that_runs_threads(mixed_corpus):
    """A parent with a running thread does not fork (the forkserver is used instead) and gets the same records."""
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        threaded = extract_paths(mixed_corpus[:1], jobs=2, quiet=True)
    finally:
        stop.set()
        thread.join()
    assert threaded == extract_paths(mixed_corpus[:1], jobs=1, quiet=True)


def test_extract_documents_keeps_order_with_jobs(sample_dir):
    docs = list(iter_documents([str(sample_dir)]))
    one = extract_documents(docs, jobs=1, quiet=True)
    two = extract_documents(docs, jobs=2, quiet=True)
    assert [r["path"] for r in two] == [d.path for d in docs]
    assert [record_to_json(r) for r in one] == [record_to_json(r) for r in two]


def test_record_to_json_is_one_line_in_schema_order():
    rec = {"citations": [{"end": 2, "start": 0, "doc_number": "国发〔2012〕11号", "zz": 1}], "title": "通知\n",
           "path": "a.txt", "extra": True, "id": None}
    line = record_to_json(rec)
    assert "\n" not in line and "国发" in line
    assert list(json.loads(line)) == ["path", "id", "title", "citations", "extra"]
    assert list(json.loads(line)["citations"][0]) == ["doc_number", "start", "end", "zz"]
    assert record_to_json(dict(reversed(list(rec.items())))) == line


def _subprocess(args, **env):
    return subprocess.run(args, capture_output=True, cwd=REPO, env={**os.environ, **env}, timeout=300)


def test_same_bytes_across_processes_and_hash_seeds(mixed_corpus):
    """Set or dict order leaking into the output would show up under different hash seeds."""
    cmd = [str(POLGRAPH), "extract", "-q", *mixed_corpus]
    a = _subprocess(cmd, PYTHONHASHSEED="1")
    b = _subprocess(cmd + ["--jobs", "2"], PYTHONHASHSEED="2")
    assert a.returncode == b.returncode == EXIT_PARTIAL, a.stderr.decode()
    assert a.stdout == b.stdout and a.stdout


def test_python_dash_m_polgraph(sample_dir):
    version = _subprocess([sys.executable, "-m", "polgraph", "--version"])
    assert version.returncode == 0 and b"polgraph" in version.stdout
    out = _subprocess([sys.executable, "-m", "polgraph", "extract", "-q", str(sample_dir / "00004.txt")])
    assert out.returncode == 0, out.stderr.decode()
    [rec] = [json.loads(x) for x in out.stdout.decode("utf-8").splitlines()]
    assert rec["path"].endswith("00004.txt")
    assert not out.stderr


def _with_tty_stderr(args):
    """Run with stderr on a pseudo-terminal (as in a shell) and stdout on a pipe; return (stdout, stderr)."""
    import pty

    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=follower, cwd=REPO)
        os.close(follower)
        err = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            err += chunk
        out = proc.stdout.read()
        assert proc.wait(timeout=300) == 0
    finally:
        os.close(leader)
    return out, err.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(sample_dir):
    out, err = _with_tty_stderr([str(POLGRAPH), "extract", "--jobs", "2", str(sample_dir)])
    assert "extracting" in err and "9/9" in err
    assert len(out.decode("utf-8").splitlines()) == 9 and b"extracting" not in out
    _, quiet_err = _with_tty_stderr([str(POLGRAPH), "extract", "-q", str(sample_dir)])
    assert quiet_err == ""
    piped = _subprocess([str(POLGRAPH), "extract", str(sample_dir)])
    assert b"extracting" not in piped.stderr and b"9 document(s)" in piped.stderr


def test_no_traceback_for_user_errors(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 100)
    out = _subprocess([str(POLGRAPH), "extract", str(bad)])
    assert out.returncode == EXIT_USAGE  # nothing readable: as `build` (some readable: EXIT_PARTIAL)
    err = out.stderr.decode("utf-8")
    assert "Traceback" not in err and f"{bad}: binary file" in err
