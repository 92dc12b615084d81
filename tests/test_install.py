"""A non-editable install from a wheel works from any directory, with its data files inside the wheel.

Offline: the wheel is built without build isolation (setuptools comes from the test extra) from a copy of the
tracked files, and installed with --no-deps into a fresh venv that sees the dev venv's dependencies through a
path entry (not its .pth files, so the editable polgraph stays invisible).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def _run(args, cwd, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    out = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
                         **kw)
    assert out.returncode == 0, f"{args}\n{out.stdout}\n{out.stderr}"
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for rel in filter(None, tracked.decode("utf-8").split("\0")):
        if (REPO / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, src / rel)
    _run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q",
          "-w", str(tmp / "wheels")], cwd=tmp)
    [wheel] = sorted((tmp / "wheels").glob("polgraph-*.whl"))

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp)
    site = Path(_run([venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp).stdout.strip())
    (site / "_polgraph_dev_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q", "--no-deps",
          "--no-index", wheel], cwd=tmp)
    return {"tmp": tmp, "wheel": wheel, "venv": venv, "site": site}


def test_wheel_holds_the_packages_and_data_files(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    tracked = subprocess.run(["git", "ls-files", "data", "extract", "graph", "polgraph", "cypher"], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout.split()
    folder = {"data": "polgraph/data", "extract": "polgraph/extract", "graph": "polgraph/graph",
              "polgraph": "polgraph", "cypher": "polgraph/cypher"}
    expected = {folder[p.split("/", 1)[0]] + "/" + p.split("/", 1)[1] for p in tracked
                if p.endswith((".py", ".tsv", ".txt", ".csv", ".cypher")) and "/" in p}
    assert expected, "nothing tracked?"
    assert expected <= names, sorted(expected - names)
    assert not any(n.startswith(("extract/", "graph/", "data/", "tests/")) for n in names), \
        "generic top-level names must not be installed"


def test_installed_polgraph_extracts_from_another_directory(installed, sample_dir, tmp_path):
    work = tmp_path / "elsewhere"
    work.mkdir()
    out = _run([installed["venv"] / "bin" / "polgraph", "extract", "-q", sample_dir / "00004.txt"], cwd=work)
    [rec] = [json.loads(line) for line in out.stdout.splitlines()]
    dev = _run([REPO / ".venv" / "bin" / "polgraph", "extract", "-q", sample_dir / "00004.txt"], cwd=work)
    assert out.stdout == dev.stdout
    assert rec["doc_number"] == "国办发〔2015〕33号"


def test_installed_code_and_data_come_from_the_wheel(installed, tmp_path):
    probe = ("import importlib.resources as r, json, polgraph, polgraph.extract.find as f; "
             "print(json.dumps([polgraph.__file__, f.__file__, str(r.files('polgraph.data'))]))")
    out = _run([installed["venv"] / "bin" / "python", "-c", probe], cwd=tmp_path)
    for path in json.loads(out.stdout):
        assert Path(path).resolve().is_relative_to(installed["site"].resolve()), path
    data = Path(json.loads(out.stdout)[2])
    assert any(data.glob("*.tsv")), "data tables are installed"
    assert not str(REPO) in out.stdout
