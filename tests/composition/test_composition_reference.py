"""Against Apollo's composer (outside the default run): set GOVGRAPH_COMPOSITION_REFERENCE
to a directory holding ``suites/`` (see reference/extract_audit_suites.py) and
``apollo/`` (see reference/compose_with_apollo.mjs); every suite must agree after
normalisation (order of definitions, fields, arguments, directives; field-set layout)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gateway.composition.compare import compare_suites

REFERENCE = os.environ.get("GOVGRAPH_COMPOSITION_REFERENCE")


@pytest.mark.skipif(REFERENCE is None, reason="GOVGRAPH_COMPOSITION_REFERENCE is not set")
def test_every_reference_suite_composes_like_apollos_composer() -> None:
    assert REFERENCE is not None
    agree, total = compare_suites(
        Path(REFERENCE, "suites"), Path(REFERENCE, "apollo"), verbose=True
    )
    assert (agree, total) == (total, total)
