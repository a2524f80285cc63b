"""Fixtures for identity tests: signing keys generated once per session."""

from __future__ import annotations

import pytest
from identity_helpers import make_key

from gateway.identity.jose import Key


@pytest.fixture(scope="session")
def ec_key() -> Key:
    return make_key("EC", "ec-1")


@pytest.fixture(scope="session")
def rsa_key() -> Key:
    return make_key("RSA", "rsa-1")
