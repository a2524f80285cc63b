"""The security officers' access matrix page, over the committed schema and demo policies."""

from __future__ import annotations

from pathlib import Path

import httpx
from graphql import GraphQLObjectType

from gateway.app import create_app
from gateway.config import GatewayConfig

ROOT = Path(__file__).resolve().parents[2]


async def test_the_matrix_lists_every_field_with_its_class_and_who_may_read_it(
    tmp_path: Path,
) -> None:
    config = GatewayConfig(
        supergraph=ROOT / "schema.graphql",
        policies_dir=ROOT / "policies",
        auth_mode="dev",
        data_dir=tmp_path,
        clients_file=ROOT / "config" / "clients.yaml",
    )
    app = create_app(config)
    token = app.state.gateway.issuer.mint_user_token("officer-0001", ["civil_affairs:officer"])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gateway"
    ) as client:
        anonymous = await client.get("/policies")
        page = (await client.get("/policies", headers={"authorization": f"Bearer {token}"})).text
    await app.state.gateway.aclose()
    # Who may read what is for signed-in callers, like the schema itself.
    assert anonymous.status_code == 401
    assert "Access matrix" in page
    assert "<code>Person.idNumber</code>" in page
    assert "<code>Enterprise.creditCode</code>" in page
    assert "https://" not in page and "http://" not in page
    # Every object field of the API schema has a row, classified or denied by default.
    schema = app.state.gateway.supergraph.api_schema
    fields = sum(
        len(t.fields)
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and not name.startswith("__")
    )
    assert page.count("<tr class=") == fields


async def test_without_policies_there_is_no_matrix(tmp_path: Path) -> None:
    app = create_app(GatewayConfig(supergraph=ROOT / "schema.graphql"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gateway"
    ) as client:
        assert (await client.get("/policies")).status_code == 404
    await app.state.gateway.aclose()
