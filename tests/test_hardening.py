"""Hostile but fair input, through the real CLI (issue 11): every case asserts the exit code, the one-line
message and that no previous output changed.

Full disks are a small tmpfs when this process may mount one (root), else a size-limited child
(RLIMIT_FSIZE, SIGXFSZ ignored so the write fails with EFBIG instead of killing it).
"""
from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.dom.minidom
from pathlib import Path

import networkx as nx
import pytest

from polgraph.errors import EXIT_OK, EXIT_PARTIAL, EXIT_SERVICE, EXIT_USAGE

REPO = Path(__file__).resolve().parent.parent
POLGRAPH = Path(sys.executable).parent / "polgraph"
SAMPLE = REPO / "data" / "sample"
PREVIOUS = b"PREVIOUS OUTPUT, must survive\n"
TMP_SUFFIX = ".polgraph-tmp"


def run(*args, timeout=120, env=None, **kw):
    full_env = {**os.environ, "POLGRAPH_DEBUG": "", **(env or {})}
    return subprocess.run([str(POLGRAPH), *map(_arg, args)], capture_output=True, timeout=timeout, env=full_env,
                          **kw)


def _arg(a):
    return a if isinstance(a, bytes) else str(a)


def err_lines(proc) -> list[str]:
    return proc.stderr.decode("utf-8", "replace").strip().splitlines()


def last_line(proc) -> str:
    lines = err_lines(proc)
    return lines[-1] if lines else ""


def assert_no_traceback(proc):
    assert b"Traceback" not in proc.stderr and b"internal error" not in proc.stderr, proc.stderr.decode()


def leftovers(folder) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.endswith(TMP_SUFFIX))


def sample_docs(folder: Path, n: int = 9) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted(SAMPLE.glob("*.txt"))[:n]:
        shutil.copy(src, folder / src.name)
    return folder


def jsonl_corpus(path: Path, copies: int) -> Path:
    """A JSON Lines corpus: the sample documents repeated (each line a document)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(copies):
            for j, t in enumerate(texts):
                f.write(json.dumps({"id": f"d{i}-{j}", "text": t}, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> Path:
    """Extraction records of a synthetic corpus (builds in seconds, renders and exports in more)."""
    sys.path.insert(0, str(REPO / "bench"))
    from synth import synthetic_records

    p = tmp_path_factory.mktemp("records") / "records.jsonl"
    with open(p, "w", encoding="utf-8") as f:
        for r in synthetic_records(3000, seed=11):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return p


@pytest.fixture(scope="module")
def graph(records, tmp_path_factory) -> Path:
    g = tmp_path_factory.mktemp("graph") / "graph.json"
    assert run("build", records, "-o", g, "-q").returncode == EXIT_OK
    return g


# ------------------------------------------------------------------------------------------ 1. outputs

def test_extract_refuses_to_write_over_its_input(tmp_path):
    docs = jsonl_corpus(tmp_path / "docs.jsonl", 1)
    before = docs.read_bytes()
    proc = run("extract", docs, "-o", docs)
    assert proc.returncode == EXIT_USAGE and err_lines(proc) == [
        f"polgraph: {docs}: the output is one of the inputs; choose another output path"]
    assert docs.read_bytes() == before


@pytest.mark.parametrize("command", ["extract", "render", "build"])
def test_an_output_inside_an_input_folder_that_would_be_read_back_is_refused(tmp_path, command):
    corpus = sample_docs(tmp_path / "corpus", 2)
    out = corpus / ("out.jsonl" if command == "extract" else "g.html" if command == "render" else "g.txt")
    out.write_bytes(PREVIOUS)
    args = [corpus, "-o", out] if command != "render" else [corpus, "-o", out, "-q"]
    proc = run(command, *args)
    assert proc.returncode == EXIT_USAGE
    assert last_line(proc) == (f"polgraph: {out}: the output would be read as an input (inside {corpus}); "
                               f"choose another output path")
    assert out.read_bytes() == PREVIOUS


def test_annotate_refuses_its_own_document_as_output(tmp_path):
    doc = sample_docs(tmp_path / "c", 1) / "00001.txt"
    before = doc.read_bytes()
    proc = run("annotate", doc, "-o", doc)
    assert proc.returncode == EXIT_USAGE and "is one of the inputs" in last_line(proc)
    assert doc.read_bytes() == before


def _spawn(args):
    return subprocess.Popen([str(POLGRAPH), *map(_arg, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "POLGRAPH_DEBUG": ""})


def _wait_for_temporary(folder: Path, proc, limit: float = 60.0) -> bool:
    t0 = time.monotonic()
    while time.monotonic() - t0 < limit:
        if leftovers(folder):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    return False


def _command(kind: str, tmp: Path, records: Path, graph: Path, corpus: Path):
    """(argv, output path) of a long-enough run of `kind`."""
    out = {"extract": tmp / "out.jsonl", "build": tmp / "g.json", "render": tmp / "g.html",
           "export": tmp / "g.graphml"}[kind]
    argv = {"extract": ["extract", corpus, "-o", out, "-q"],
            "build": ["build", records, "-o", out, "-q"],
            "render": ["render", graph, "-o", out, "--force", "-q"],
            "export": ["export", graph, "--format", "graphml", "-o", out, "-q"]}[kind]
    return argv, out


@pytest.fixture(scope="module")
def long_corpus(tmp_path_factory) -> Path:
    return jsonl_corpus(tmp_path_factory.mktemp("long") / "long.jsonl", 60)  # 540 documents


@pytest.mark.parametrize("kind", ["extract", "build", "render", "export"])
def test_signals_at_several_points_never_change_the_previous_output(kind, tmp_path, records, graph, long_corpus):
    """SIGINT, SIGTERM and SIGKILL early in the run, half-way, and the moment the output is being written: the
    previous file stays byte-identical; the catchable signals leave no temporary file and say so in one
    line; a temporary file left by SIGKILL is removed by the next write to the same output."""
    argv, out = _command(kind, tmp_path, records, graph, long_corpus)
    t0 = time.monotonic()
    reference = run(*argv, timeout=600)
    duration = time.monotonic() - t0
    assert reference.returncode == EXIT_OK, reference.stderr
    complete = out.read_bytes()
    interrupted = 0
    for sig, expect_code, expect_line in ((signal.SIGINT, 130, "polgraph: interrupted"),
                                          (signal.SIGTERM, 143, "polgraph: terminated"),
                                          (signal.SIGKILL, -signal.SIGKILL, None)):
        for point in ("half-way", "writing"):
            # on a loaded host a run may end before its signal arrives: try again, sooner (a quarter, a tenth)
            for share in (0.5, 0.25, 0.1):
                out.write_bytes(PREVIOUS)
                proc = _spawn(argv)
                if point == "writing":
                    _wait_for_temporary(tmp_path, proc)
                else:
                    time.sleep(duration * share)
                proc.send_signal(sig)
                _, stderr = proc.communicate(timeout=300)
                now = out.read_bytes()
                assert now in (PREVIOUS, complete), (sig, point)  # never a partial file
                if proc.returncode == EXIT_OK or now == complete:  # the signal came after the output was in place
                    continue
                interrupted += 1
                assert proc.returncode == expect_code, (sig, point, stderr)
                if expect_line:
                    assert stderr.decode().strip().splitlines()[-1] == expect_line
                    assert b"Traceback" not in stderr
                    assert leftovers(tmp_path) == [], (sig, point)
                break
    assert interrupted >= 3, "no signal arrived before the run finished"
    # a SIGKILL's temporary file (if it had one) goes with the next write
    proc = run(*argv, timeout=600)
    assert proc.returncode == EXIT_OK and out.read_bytes() == complete and leftovers(tmp_path) == []


@contextlib.contextmanager
def small_filesystem(path: Path, size: str = "64k", readonly: bool = False):
    """A tmpfs of `size` mounted at `path` (root only); yields False when it cannot be mounted."""
    path.mkdir(parents=True, exist_ok=True)
    opts = f"size={size}" + (",ro" if readonly else "")
    ok = os.geteuid() == 0 and shutil.which("mount") and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(path)], capture_output=True).returncode == 0
    try:
        yield bool(ok)
    finally:
        if ok:
            subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _limit_file_size(limit: int):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG from write() instead of death
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


@pytest.mark.parametrize("kind", ["extract", "build", "render", "export"])
def test_a_full_disk_keeps_the_previous_output(kind, tmp_path, records, graph):
    corpus = jsonl_corpus(tmp_path / "corpus.jsonl", 10)
    disk = tmp_path / "disk"
    with small_filesystem(disk) as mounted:
        argv, out = _command(kind, disk if mounted else tmp_path / "out", records, graph, corpus)
        out.parent.mkdir(exist_ok=True)
        out.write_bytes(PREVIOUS)
        if mounted:
            proc = run(*argv, timeout=600)
            reason = "no space left on device"
        else:  # a file-size limit of 64 KiB on the child
            proc = run(*argv, timeout=600, preexec_fn=_limit_file_size(64 * 1024))
            reason = "file too large"
        assert proc.returncode == EXIT_USAGE, proc.stderr
        assert_no_traceback(proc)
        assert last_line(proc) == f"polgraph: {out}: cannot write: {reason}"
        assert out.read_bytes() == PREVIOUS
        assert leftovers(out.parent) == []


@pytest.mark.parametrize("command", ["extract", "build", "render", "export", "annotate"])
def test_output_into_a_missing_folder_is_exit_2_everywhere(tmp_path, command, graph):
    doc = sample_docs(tmp_path / "c", 1) / "00001.txt"
    out = tmp_path / "missing" / "out.x"
    argv = {"extract": ["extract", doc, "-o", out], "build": ["build", doc, "-o", out],
            "render": ["render", graph, "-o", out], "annotate": ["annotate", doc, "-o", out],
            "export": ["export", graph, "--format", "gexf", "-o", out]}[command]
    proc = run(*argv)
    assert proc.returncode == EXIT_USAGE
    assert err_lines(proc) == [f"polgraph: {out}: folder {out.parent} does not exist"]
    assert not out.parent.exists()


def test_output_into_a_read_only_folder_is_exit_2(tmp_path):
    doc = sample_docs(tmp_path / "c", 1) / "00001.txt"
    ro = tmp_path / "ro"
    with small_filesystem(ro, readonly=True) as mounted:
        if not mounted:
            if os.geteuid() == 0:
                pytest.skip("root ignores folder permissions and no read-only tmpfs can be mounted here")
            ro.chmod(0o555)
        for argv in (["extract", doc, "-o", ro / "o.jsonl"], ["build", doc, "-o", ro / "g.json"]):
            proc = run(*argv)
            assert proc.returncode == EXIT_USAGE
            assert err_lines(proc) == [f"polgraph: {argv[-1]}: folder {ro} is not writable"]


def test_extract_with_every_input_bad_is_exit_2_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01" * 50)
    out = tmp_path / "out.jsonl"
    out.write_bytes(PREVIOUS)
    proc = run("extract", bad, "-o", out)
    assert proc.returncode == EXIT_USAGE
    assert err_lines(proc) == ["polgraph: skipped 1 file(s):", f"  {bad}: binary file (contains NUL bytes)",
                               f"polgraph: no readable document (1 skipped); {out} not written"]
    assert out.read_bytes() == PREVIOUS
    proc = run("build", bad, "-o", tmp_path / "g.json")
    assert proc.returncode == EXIT_USAGE and not (tmp_path / "g.json").exists()


# ------------------------------------------------------------------------------------------ 2. special files

@pytest.mark.parametrize("command", ["extract", "build"])
def test_a_fifo_and_a_dev_zero_link_in_a_folder_are_skipped_not_read(tmp_path, command):
    corpus = sample_docs(tmp_path / "corpus", 2)
    os.mkfifo(corpus / "pipe.txt")
    os.symlink("/dev/zero", corpus / "zero.txt")
    out = tmp_path / ("out.jsonl" if command == "extract" else "g.json")
    proc = run(command, corpus, "-o", out, "-q", timeout=60)
    assert proc.returncode == EXIT_PARTIAL, proc.stderr
    assert err_lines(proc) == ["polgraph: skipped 2 file(s):",
                               f"  {corpus}/pipe.txt: a FIFO (named pipe), not a regular file",
                               f"  {corpus}/zero.txt: a character device, not a regular file"]
    if command == "extract":
        assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_special_files_named_explicitly_are_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / "pipe.jsonl")
    proc = run("extract", tmp_path / "pipe.jsonl", "/dev/zero", timeout=60)
    assert proc.returncode == EXIT_USAGE
    assert err_lines(proc)[1:3] == [f"  {tmp_path}/pipe.jsonl: a FIFO (named pipe), not a regular file",
                                    "  /dev/zero: a character device, not a regular file"]


def test_the_size_cap_skips_a_large_file_and_a_long_jsonl_line(tmp_path):
    corpus = sample_docs(tmp_path / "corpus", 1)
    big = corpus / "big.txt"
    big.write_text("国务院" * 2000, encoding="utf-8")
    lines = corpus / "lines.jsonl"
    lines.write_text(json.dumps({"text": "短文件"}, ensure_ascii=False) + "\n"
                     + json.dumps({"text": "长" * 5000}, ensure_ascii=False) + "\n"
                     + json.dumps({"text": "又一个短文件"}, ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = run("--max-file-size", "4K", "extract", corpus, "-o", out, "-q")
    assert proc.returncode == EXIT_PARTIAL
    assert err_lines(proc) == [
        "polgraph: skipped 1 file(s) and 1 JSON Lines line(s):",
        f"  {big}: larger than the size cap (18000 bytes > 4K; set POLGRAPH_MAX_FILE_SIZE)",
        f"  {lines}:2: line longer than the size cap (4K; set POLGRAPH_MAX_FILE_SIZE)"]
    paths = [json.loads(x)["path"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert paths == [str(corpus / "00001.txt"), f"{lines}#1", f"{lines}#3"]
    proc = run("--max-file-size", "lots", "extract", corpus)
    assert proc.returncode == EXIT_USAGE and "not a size" in proc.stderr.decode()


def test_symlinked_folders_are_followed_once_and_loops_reported(tmp_path):
    corpus = sample_docs(tmp_path / "real", 3)
    only_link = tmp_path / "links"
    only_link.mkdir()
    os.symlink(corpus, only_link / "corpus")
    os.symlink(corpus, only_link / "again")        # a second link to the same folder: read once
    os.symlink(corpus, corpus / "loop")             # a link back to the folder being read
    proc = run("extract", only_link, "-q")
    assert proc.returncode == EXIT_PARTIAL, proc.stderr
    paths = [json.loads(x)["path"] for x in proc.stdout.decode().splitlines()]
    assert paths == [str(only_link / "again" / f"0000{i}.txt") for i in (1, 2, 3)]
    assert err_lines(proc) == ["polgraph: skipped 1 file(s):",
                               f"  {only_link}/again/loop: symbolic link loop (links back to a folder being "
                               f"read), not followed"]


# ------------------------------------------------------------------------------------------ 3. file names

BAD_NAME = b"\xff\xfe\xb0\xec.txt"  # not UTF-8 (GBK bytes of a name, then junk)


def test_a_non_utf8_file_name_goes_through_every_command(tmp_path):
    corpus = tmp_path / "corpus"
    sample_docs(corpus, 2)
    bad = os.path.join(os.fsencode(corpus), BAD_NAME)
    with open(bad, "wb") as f:
        f.write((SAMPLE / "00003.txt").read_bytes())
    out = tmp_path / "out.jsonl"
    proc = run("extract", corpus, "-o", out, "-q")
    assert proc.returncode == EXIT_OK, proc.stderr
    paths = [json.loads(x)["path"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert os.fsencode(paths[-1]) == bad  # the surrogate escape round-trips through JSON to the same bytes
    assert "\\udcff" in out.read_text(encoding="utf-8")
    title = json.loads(out.read_text(encoding="utf-8").splitlines()[-1])["title"]
    g = tmp_path / "g.json"
    assert run("build", corpus, "-o", g, "-q").returncode == EXIT_OK
    G = nx.node_link_graph(json.loads(g.read_text(encoding="utf-8")), edges="edges")
    assert os.fsencode(corpus) + b"/" + BAD_NAME in {os.fsencode(d["path"]) for _, d in G.nodes(data=True)
                                                   if d.get("path")}
    for argv in (["render", g, "-o", tmp_path / "g.html", "-q"], ["stats", g],
                 ["export", g, "--format", "jsonl", "-o", tmp_path / "g.jsonl", "-q"],
                 ["export", g, "--format", "neo4j-csv", "-o", tmp_path / "csv", "-q"],
                 ["trace", g, title], ["annotate", bad, "-o", tmp_path / "a.html", "-q"]):
        proc = run(*argv)
        assert proc.returncode == EXIT_OK, (argv[0], proc.stderr)
        assert_no_traceback(proc)
    html = (tmp_path / "a.html").read_bytes()
    html.decode("utf-8")  # valid UTF-8
    # a message naming such a file shows the bytes as \xNN
    broken = os.path.join(os.fsencode(tmp_path), b"\xff.txt")
    with open(broken, "wb") as f:
        f.write(b"\x00\x00")
    proc = run("extract", broken, os.fsencode(corpus / "00001.txt"), "-q")
    assert proc.returncode == EXIT_PARTIAL
    assert f"  {tmp_path}/\\xff.txt: binary file (contains NUL bytes)" in err_lines(proc)


# ------------------------------------------------------------------------------------------ 4. XML exports

def test_graphml_and_gexf_parse_with_a_strict_parser_despite_control_characters(tmp_path):
    docs = tmp_path / "docs.jsonl"
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))[:3]]
    with open(docs, "w", encoding="utf-8") as f:
        for i, (t, title) in enumerate(zip(texts, ["标题\x08一", "标题\x1b[31m二", "标题\x7f三\x0c"])):
            f.write(json.dumps({"id": f"x{i}", "text": t, "title": title}, ensure_ascii=False) + "\n")
    bad = os.path.join(os.fsencode(tmp_path), b"c", b"\xff.txt")
    os.makedirs(os.path.dirname(bad))
    shutil.copy(SAMPLE / "00004.txt", os.fsdecode(bad))
    g = tmp_path / "g.json"
    assert run("build", docs, os.path.dirname(bad), "-o", g, "-q").returncode == EXIT_OK
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        out = tmp_path / f"g.{fmt}"
        proc = run("export", g, "--format", fmt, "-o", out, "-q")
        assert proc.returncode == EXIT_OK, proc.stderr
        xml.dom.minidom.parse(str(out))  # expat: well-formed or an exception
        H = reader(str(out))
        titles = {d.get("title") for _, d in H.nodes(data=True)}
        assert {"标题一", "标题[31m二", "标题三"} <= titles
        assert any("\\xff.txt" in (d.get("path") or "") for _, d in H.nodes(data=True))


# ------------------------------------------------------------------------------------------ 5. graph files

def _graph_json(graph: Path) -> dict:
    return json.loads(graph.read_text(encoding="utf-8"))


def test_a_graph_file_with_a_bom_is_a_graph(tmp_path, graph):
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + graph.read_bytes())
    plain, with_bom = run("stats", graph, "--format", "json"), run("stats", bom, "--format", "json")
    assert with_bom.returncode == EXIT_OK and with_bom.stdout == plain.stdout
    odd_name = tmp_path / "bom.graph"  # not .json: recognised by its content
    odd_name.write_bytes(bom.read_bytes())
    assert run("stats", odd_name, "--format", "json").stdout == plain.stdout


def _mutations(g: dict):
    node, edge = g["nodes"][0], g["edges"][0]
    yield "array", [], "not a polgraph graph file: a JSON array, not an object (write one with `polgraph build`)"
    yield "no format", {k: v for k, v in g.items() if k != "format"}, \
        'not a polgraph graph file: no "format": "polgraph-graph" (write one with `polgraph build`)'
    yield "version", {**g, "version": 99}, \
        "graph file version 99 is not supported (this polgraph reads version 1; rebuild it with `polgraph build`)"
    yield "nodes string", {**g, "nodes": "abc"}, 'malformed graph file: "nodes" must be a list, not a string'
    yield "level list", {**g, "nodes": [{**node, "level": ["central"]}] + g["nodes"][1:]}, \
        f'malformed graph file: node {json.dumps(node["id"], ensure_ascii=False)}: "level" must be one of ' \
        f'central, provincial, municipal, county, township, unknown (got a list)'
    yield "mentions string", {**g, "edges": [{**edge, "mentions": "x"}] + g["edges"][1:]}, \
        f'malformed graph file: edge 0 ({json.dumps(edge["source"], ensure_ascii=False)} -> ' \
        f'{json.dumps(edge["target"], ensure_ascii=False)}): "mentions" must be a list of objects'
    yield "colliding ids", {**g, "nodes": g["nodes"] + [dict(node)]}, \
        f'malformed graph file: node id {json.dumps(node["id"], ensure_ascii=False)} appears twice'
    yield "missing node", {**g, "edges": g["edges"] + [{**edge, "target": "nowhere"}]}, \
        f'malformed graph file: edge {len(g["edges"])}: target "nowhere" is not a node of the file'


@pytest.mark.parametrize("case", ["array", "no format", "version", "nodes string", "level list",
                                  "mentions string", "colliding ids", "missing node"])
def test_a_malformed_graph_file_is_one_line_exit_2(tmp_path, graph, case):
    g = _graph_json(graph)
    _, data, reason = next(m for m in _mutations(g) if m[0] == case)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for argv in (["stats", bad], ["render", bad, "-o", tmp_path / "x.html"]):
        proc = run(*argv)
        assert proc.returncode == EXIT_USAGE, proc.stderr
        assert err_lines(proc) == [f"polgraph: {bad}: {reason}"]
    assert not (tmp_path / "x.html").exists()


# ------------------------------------------------------------------------------------------ 6. JSON Lines

def test_a_bad_utf8_line_skips_that_line_only(tmp_path):
    docs = jsonl_corpus(tmp_path / "docs.jsonl", 1)
    lines = docs.read_bytes().split(b"\n")
    lines[1] = lines[1].replace("发".encode(), b"\xff\xfe", 1)
    docs.write_bytes(b"\n".join(lines))
    proc = run("extract", docs, "-q")
    assert proc.returncode == EXIT_PARTIAL
    assert err_lines(proc)[0] == "polgraph: skipped 1 JSON Lines line(s):"
    assert err_lines(proc)[1].startswith(f"  {docs}:2: not UTF-8 text (byte 0xff at column ")
    assert len(proc.stdout.splitlines()) == 8


def test_a_large_jsonl_file_is_extracted_in_slices_with_the_right_line_numbers(tmp_path):
    from polgraph.extract.pipeline import BATCH_BYTES

    docs = jsonl_corpus(tmp_path / "docs.jsonl", 150)  # 1350 lines
    assert docs.stat().st_size > 4 * BATCH_BYTES
    with open(docs, "ab") as f:
        f.write(b"\n\n{broken\n")
    serial, parallel = run("extract", docs, "-q"), run("extract", docs, "-q", "--jobs", "2")
    assert serial.returncode == parallel.returncode == EXIT_PARTIAL
    assert serial.stdout == parallel.stdout
    paths = [json.loads(x)["path"] for x in serial.stdout.splitlines()]
    assert paths == [f"{docs}#{i}" for i in range(1, 1351)]
    assert err_lines(serial)[1].startswith(f"  {docs}:1353: not valid JSON")


# ------------------------------------------------------------------------------------------ 7. Neo4j

@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers (a Bolt server that hangs)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted, stop = [], threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(server.accept()[0])

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield server.getsockname()[1]
    stop.set()
    t.join()
    for c in accepted:
        c.close()
    server.close()


@pytest.mark.parametrize("scheme", ["bolt", "neo4j+s"])
def test_a_silent_neo4j_port_fails_in_the_configured_time_with_a_reason(tmp_path, silent_port, graph, scheme):
    uri = f"{scheme}://127.0.0.1:{silent_port}"
    t0 = time.monotonic()
    proc = run("load", graph, "--uri", uri, "-q", env={"POLGRAPH_NEO4J_TIMEOUT": "2"})
    elapsed = time.monotonic() - t0
    assert proc.returncode == EXIT_SERVICE
    # one line, no driver log line before it, the driver's reason in it
    assert err_lines(proc) == [f"polgraph: cannot reach Neo4j at {uri}: timed out after 2 s "
                               f"(set POLGRAPH_NEO4J_TIMEOUT to wait longer)"]
    assert elapsed < 40  # the driver's own default is 60 s per attempt


def test_a_refused_neo4j_port_names_the_reason():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens
    proc = run("load", str(SAMPLE / "00001.txt"), "--uri", f"neo4j://127.0.0.1:{port}", "-q")
    assert proc.returncode == EXIT_SERVICE
    assert err_lines(proc) == [f"polgraph: cannot reach Neo4j at neo4j://127.0.0.1:{port}: connection refused"]


def test_the_server_script_fails_fast_without_a_python_that_has_the_driver(tmp_path):
    no_driver = tmp_path / "python-without-neo4j"
    no_driver.write_text("#!/bin/sh\nexec /usr/bin/env python3 -S -I \"$@\"\n")
    no_driver.chmod(0o755)
    assert subprocess.run([str(no_driver), "-c", "import neo4j"], capture_output=True).returncode != 0
    t0 = time.monotonic()
    proc = subprocess.run(["bash", str(REPO / "scripts" / "neo4j-server.sh"), "start"], capture_output=True,
                          timeout=60, env={**os.environ, "NEO4J_PYTHON": str(no_driver),
                                           "NEO4J_DIR": str(tmp_path / "neo4j"), "NEO4J_INSTANCE": "hardening"})
    assert time.monotonic() - t0 < 30
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith(f"neo4j-server: {no_driver} cannot import the neo4j driver")
    assert not (tmp_path / "neo4j" / "hardening" / "neo4j.pid").exists()


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):
            if text.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
    return found


def test_the_server_script_leaves_no_server_after_a_start_that_times_out(tmp_path):
    if not list((REPO / ".neo4j" / "home" / "lib").glob("neo4j-[0-9]*.jar")):
        pytest.skip("Neo4j not built here (scripts/neo4j-server.sh build)")
    instance = f"hardening-timeout-{os.getpid()}"
    env = {**os.environ, "NEO4J_INSTANCE": instance, "NEO4J_START_TIMEOUT": "2", "NEO4J_HEAP": "256m"}
    env.pop("NEO4J_BOLT_PORT", None)
    try:
        proc = subprocess.run(["bash", str(REPO / "scripts" / "neo4j-server.sh"), "start"], capture_output=True,
                              timeout=120, env=env)
        assert proc.returncode == 1
        assert "did not answer RETURN 1 within 2s; stopping it" in proc.stderr.decode()
        assert _processes_mentioning(f"/{instance}/conf") == []
        assert not (REPO / ".neo4j" / instance / "neo4j.pid").exists()
        # the script itself stopped while it waits (an outer timeout, Ctrl-C): the server goes with it
        script = subprocess.Popen(["bash", str(REPO / "scripts" / "neo4j-server.sh"), "start"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env={**env, "NEO4J_START_TIMEOUT": "120"})
        t0 = time.monotonic()
        while not _processes_mentioning(f"/{instance}/conf") and time.monotonic() - t0 < 60:
            time.sleep(0.2)
        assert _processes_mentioning(f"/{instance}/conf"), "the server never started"
        script.send_signal(signal.SIGTERM)
        assert script.wait(timeout=60) == 143
        assert _processes_mentioning(f"/{instance}/conf") == []
    finally:
        for pid in _processes_mentioning(f"/{instance}/conf"):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(REPO / ".neo4j" / instance, ignore_errors=True)
