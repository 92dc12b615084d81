"""Shared fixtures. Area-specific helpers live in tests/*_support.py beside the tests that use them."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs a fixed set of generated examples (the same on every run: a merge is never refused by the luck of the
# draw); a local run keeps exploring new ones. A failure found locally becomes an @example.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "data" / "sample"
SHARED = Path(os.environ.get("POLGRAPH_SHARED", REPO.parent / "shared")).resolve()
CORPORA = SHARED / "corpora"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        if IN_CI:
            pytest.fail(f"../shared is missing at {SHARED}; CI must have it")
        pytest.skip(f"../shared not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def corpora(shared_dir) -> Path:
    return shared_dir / "corpora"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    d = REPO / "artifacts"
    d.mkdir(exist_ok=True)
    return d
