"""``govgraph token``: mint, fetch, decode development tokens and hash client secrets."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from typing import Any

import click
import orjson

__all__ = ["token"]

_COUNTY = re.compile(r"^\d{6}$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _check_resident_id(subject: str) -> None:
    """Refuse a subject that looks like a resident identity number but fails GB 11643."""
    if len(subject) != 18 or not subject[:17].isdigit():
        return
    check = "10X98765432"[
        sum(int(d) * w for d, w in zip(subject[:17], _ID_WEIGHTS, strict=True)) % 11
    ]
    if subject[17].upper() != check:
        raise click.BadParameter(
            f"looks like a resident identity number but its check character should be {check}",
            param_hint="--sub",
        )


def _issuer_options(function: Any) -> Any:
    options = [
        click.option(
            "--data-dir",
            type=click.Path(file_okay=False, path_type=Path),
            envvar="GOVGRAPH_DATA_DIR",
            default="data",
            show_default=True,
            help="Where the issuer's signing key lives.",
        ),
        click.option(
            "--issuer",
            envvar="GOVGRAPH_JWT_ISSUER",
            default="http://127.0.0.1:4000",
            show_default=True,
            help="The iss claim (the gateway's base URL).",
        ),
        click.option(
            "--audience", envvar="GOVGRAPH_JWT_AUDIENCE", default="govgraph", show_default=True
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group()
def token() -> None:
    """Mint development tokens from the built-in issuer, and check tokens."""


@token.command()
@click.option("--sub", "subject", required=True, help="Officer id or resident identity number.")
@click.option("--scope", default="", help='Space-separated scopes, e.g. "population:read".')
@click.option("--department", help="Department claim, e.g. civil_affairs.")
@click.option("--county", help="Administrative division code, e.g. 211202.")
@click.option("--name", help="Display name claim.")
@click.option("--client-id", help="The client (azp) the user works through, e.g. tieling-portal.")
@click.option("--ttl", type=click.IntRange(1, 86400), default=3600, show_default=True)
@_issuer_options
def user(
    subject: str,
    scope: str,
    department: str | None,
    county: str | None,
    name: str | None,
    client_id: str | None,
    ttl: int,
    data_dir: Path,
    issuer: str,
    audience: str,
) -> None:
    """Mint a user token (for demos; real users come from the city's identity provider)."""
    from gateway.identity import Issuer

    _check_resident_id(subject)
    if county is not None and not _COUNTY.match(county):
        raise click.BadParameter("must be a 6-digit division code", param_hint="--county")
    built_in = Issuer.open(data_dir=data_dir, clients_file=None, issuer=issuer, audience=audience)
    click.echo(
        built_in.mint_user_token(
            subject,
            scope.split(),
            department=department,
            county=county,
            name=name,
            client_id=client_id,
            ttl=ttl,
        )
    )


@token.command()
@click.option("--client-id", required=True)
@click.option("--client-secret", required=True, envvar="GOVGRAPH_CLIENT_SECRET")
@click.option("--scope", default=None, help="Requested scopes (default: all the client may have).")
@click.option("--url", help="Ask a running gateway (base URL or token endpoint) instead.")
@click.option(
    "--clients-file",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="GOVGRAPH_CLIENTS_FILE",
    default="config/clients.yaml",
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print the whole token response.")
@_issuer_options
def client(
    client_id: str,
    client_secret: str,
    scope: str | None,
    url: str | None,
    clients_file: Path,
    as_json: bool,
    data_dir: Path,
    issuer: str,
    audience: str,
) -> None:
    """Run the client-credentials grant and print the access token."""
    from gateway.identity import Issuer, OAuthError

    if url is not None:
        response = _grant_over_http(url, client_id, client_secret, scope)
    else:
        if not clients_file.exists():
            raise click.ClickException(f"client registry {clients_file} does not exist")
        try:
            built_in = Issuer.open(
                data_dir=data_dir, clients_file=clients_file, issuer=issuer, audience=audience
            )
            response = built_in.client_credentials(client_id, client_secret, scope).to_dict()
        except OAuthError as exc:
            raise click.ClickException(f"{exc.error}: {exc.description}") from exc
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(orjson.dumps(response, option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(response["access_token"])


def _grant_over_http(
    url: str, client_id: str, client_secret: str, scope: str | None
) -> dict[str, Any]:
    import httpx

    endpoint = url if url.rstrip("/").endswith("/oauth/token") else url.rstrip("/") + "/oauth/token"
    form = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    try:
        reply = httpx.post(endpoint, data=form, auth=(client_id, client_secret), timeout=10)
    except httpx.HTTPError as exc:
        raise click.ClickException(f"cannot reach {endpoint}: {exc}") from exc
    try:
        body: dict[str, Any] = reply.json()
    except ValueError as exc:
        raise click.ClickException(
            f"{endpoint} answered HTTP {reply.status_code}, not JSON"
        ) from exc
    if reply.status_code != 200:
        raise click.ClickException(
            f"{body.get('error', 'error')}: {body.get('error_description', reply.status_code)}"
        )
    return body


@token.command()
@click.argument("token_text", metavar="TOKEN")
@click.option("--jwks-url", help="Verify against an external issuer's JWKS URL.")
@click.option("--jwks-file", type=click.Path(dir_okay=False, path_type=Path))
@_issuer_options
def decode(
    token_text: str,
    jwks_url: str | None,
    jwks_file: Path | None,
    data_dir: Path,
    issuer: str,
    audience: str,
) -> None:
    """Verify TOKEN and print the principal it stands for (exit 1 if it is not valid)."""
    from gateway.errors import UnauthenticatedError
    from gateway.identity import IdentityConfig, TokenVerifier

    if jwks_url is None and jwks_file is None:
        jwks_file = data_dir / "issuer" / "jwks.json"
        if not jwks_file.exists():
            raise click.ClickException(
                f"no JWKS at {jwks_file}: mint a token first, or pass --jwks-url/--jwks-file"
            )
    config = IdentityConfig(
        issuer=issuer, audience=audience, jwks_url=jwks_url, jwks_file=jwks_file
    )
    header = token_text if token_text.lower().startswith("bearer ") else "Bearer " + token_text
    try:
        principal = asyncio.run(TokenVerifier(config).verify(header))
    except UnauthenticatedError as exc:
        click.echo(f"invalid token: {exc.message}", err=True)
        sys.exit(1)
    shown = {
        "kind": principal.kind,
        "subject": principal.subject,
        "client_id": principal.client_id,
        "scopes": sorted(principal.scopes),
        "department": principal.department,
        "county": principal.county,
        "claims": dict(principal.claims),
    }
    click.echo(orjson.dumps(shown, option=orjson.OPT_INDENT_2).decode())


@token.command("hash-secret")
@click.argument("secret", required=False)
def hash_secret_command(secret: str | None) -> None:
    """Print the hashed form of a client secret for config/clients.yaml.

    Without SECRET, it is read from a hidden prompt (keeps it out of shell history).
    """
    from gateway.identity import hash_secret

    if secret is None:
        secret = click.prompt("Client secret", hide_input=True, confirmation_prompt=True)
    if len(secret) < 16:
        raise click.BadParameter("use at least 16 characters", param_hint="SECRET")
    click.echo(hash_secret(secret))
