"""The lawrefbook STATUS.tsv silver (scripts/lifecycle_silver.py) for the lifecycle tests."""
from __future__ import annotations

import importlib.util

import pytest


def lifecycle_silver(repo, corpora, status: bool) -> dict:
    """scripts/lifecycle_silver.py's evaluate() (status=False: effective dates only); skip without STATUS.tsv."""
    spec = importlib.util.spec_from_file_location("lifecycle_silver", repo / "scripts" / "lifecycle_silver.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    if not (corpora / mod.CORPUS / "STATUS.tsv").is_file():
        pytest.skip("lawrefbook-laws/STATUS.tsv not found")
    return mod.evaluate(corpora, status=status)
