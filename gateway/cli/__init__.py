"""The ``govgraph`` command line: one module per command group, imported on demand.

Commands are loaded lazily so that ``govgraph --help`` stays fast and a command's heavy
imports (strawberry, SQLAlchemy, aiohttp) are paid only by the command that needs them.
"""

from __future__ import annotations

import importlib

import click

__all__ = ["main"]

# name -> (module, attribute, one-line help shown in ``govgraph --help``)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "up": ("gateway.cli.up", "up", "Start the whole stack on embedded defaults."),
    "serve": ("gateway.cli.serve", "serve", "Run the gateway alone against a supergraph."),
    "data": ("gateway.cli.data", "data", "Generate the synthetic Tieling dataset into the stores."),
    "subgraph": ("gateway.cli.subgraph", "subgraph", "Run or print one department subgraph."),
    "legacy": ("gateway.cli.legacy", "legacy", "Run the real-estate legacy JSON service stand-in."),
    "compose": ("gateway.cli.compose", "compose", "Compose subgraph SDLs into schema.graphql."),
    "plan": ("gateway.cli.plan", "plan", "Print the query plan for an operation."),
    "token": ("gateway.cli.token", "token", "Mint development tokens from the built-in issuer."),
    "policy": ("gateway.cli.policy", "policy", "Check, explain, test and diff access policies."),
    "audit": ("gateway.cli.audit", "audit", "Verify and query the tamper-evident access log."),
    "cache": ("gateway.cli.cache", "cache", "Inspect and invalidate the gateway caches."),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._load(name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        spec = COMMANDS.get(name)
        if spec is None:
            return None
        module_name, attr, _ = spec
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Only a command module that does not exist is hidden; a missing dependency
            # inside a present module is a real error and must surface.
            if exc.name == module_name:
                return None
            raise
        command = getattr(module, attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="govgraph")
def main() -> None:
    """govgraph: the federated government data-sharing gateway of Tieling.

    Departments keep their systems; each exposes a GraphQL subgraph; the gateway
    composes them into one graph, enforces field-level access policies, records who read
    whose data, and caches safely.
    """
