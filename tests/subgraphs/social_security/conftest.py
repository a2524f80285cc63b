"""Fixtures: an export folder holding the sample, and the subgraph app over it."""

from __future__ import annotations

from pathlib import Path

import pytest
from social_security_sample import SECRET, Subgraph, sample_source

from subgraphs.common.settings import SubgraphSettings
from subgraphs.social_security.app import create_app
from subgraphs.social_security.seed import write_exports
from subgraphs.social_security.store import ExportStore


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """An export folder written by the seeder from the sample."""
    folder = tmp_path / "social_security"
    write_exports(sample_source(), folder)
    return folder


@pytest.fixture
def subgraph(exports: Path) -> Subgraph:
    settings = SubgraphSettings.from_env(
        {
            "GOVGRAPH_SOCIAL_SECURITY_DIR": str(exports),
            "GOVGRAPH_SUBGRAPH_SECRET": SECRET.decode(),
        }
    )
    store = ExportStore(exports)
    return Subgraph(create_app(settings, store=store), store)
