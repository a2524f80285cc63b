"""The access matrix: every field of the schema with its class, marks and access routes.

Data for the security officers' overview page and for ``govgraph policy matrix``.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.policy.explain import access_routes
from gateway.policy.policyset import PolicySet

__all__ = ["MatrixRow", "access_matrix", "render_markdown"]


@dataclass(frozen=True, slots=True)
class MatrixRow:
    coordinate: str
    sharing: str
    personal: bool
    sensitive: bool
    mask: str | None
    source: str
    routes: tuple[tuple[str, str], ...]  # (who, how)

    def to_dict(self) -> dict[str, object]:
        return {
            "coordinate": self.coordinate,
            "class": self.sharing,
            "personal": self.personal,
            "sensitive": self.sensitive,
            "mask": self.mask,
            "source": self.source,
            "routes": [{"who": who, "how": how} for who, how in self.routes],
        }


def access_matrix(policy: PolicySet, coordinates: list[str] | None = None) -> list[MatrixRow]:
    """One row per coordinate (the schema's, or else every field the policy names)."""
    rows = []
    for coordinate in sorted(coordinates if coordinates is not None else policy.fields):
        type_name, _, field_name = coordinate.partition(".")
        rule = policy.field_rule(type_name, field_name)
        rows.append(
            MatrixRow(
                coordinate,
                rule.sharing,
                rule.personal,
                rule.sensitive,
                rule.mask,
                rule.source,
                tuple(access_routes(rule).items()),
            )
        )
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(rows: list[MatrixRow]) -> str:
    lines = [
        "| field | class | personal | mask | who can read it |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        marks = "sensitive" if row.sensitive else ("yes" if row.personal else "")
        who = "<br>".join(f"{_cell(w)}: {_cell(h)}" for w, h in row.routes) or "nobody"
        lines.append(f"| `{row.coordinate}` | {row.sharing} | {marks} | {row.mask or ''} | {who} |")
    return "\n".join(lines)
