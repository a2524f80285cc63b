"""The access matrix page for security officers: every field, its sharing class, and who
may read it through which rule. Self-contained HTML (no external assets)."""

from __future__ import annotations

from html import escape

from graphql import GraphQLObjectType, GraphQLSchema

from gateway.policy.matrix import MatrixRow, access_matrix
from gateway.policy.policyset import PolicySet

__all__ = ["policy_matrix_page", "schema_coordinates"]


def schema_coordinates(schema: GraphQLSchema) -> list[str]:
    """Every ``Type.field`` of the API schema's object types (introspection excluded)."""
    return sorted(
        f"{name}.{field}"
        for name, type_ in schema.type_map.items()
        if isinstance(type_, GraphQLObjectType) and not name.startswith("__")
        for field in type_.fields
    )


def _row(row: MatrixRow) -> str:
    marks = "sensitive" if row.sensitive else ("personal" if row.personal else "")
    who = "<br>".join(f"<b>{escape(w)}</b>: {escape(h)}" for w, h in row.routes) or "nobody"
    return (
        f'<tr class="{escape(row.sharing)}"><td><code>{escape(row.coordinate)}</code></td>'
        f"<td>{escape(row.sharing)}</td><td>{marks}</td><td>{escape(row.mask or '')}</td>"
        f"<td>{who}</td><td>{escape(row.source)}</td></tr>"
    )


def policy_matrix_page(policy: PolicySet, schema: GraphQLSchema) -> str:
    rows = access_matrix(policy, schema_coordinates(schema))
    body = "\n".join(_row(r) for r in rows)
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>govgraph · access matrix</title>
<style>
 body{{font:14px system-ui,sans-serif;margin:16px;color:#1d2733}}
 table{{border-collapse:collapse;width:100%}} td,th{{border:1px solid #d0d6de;padding:4px 6px;vertical-align:top}}
 th{{background:#eef1f4;text-align:left;position:sticky;top:0}}
 tr.not_shared td:nth-child(2){{color:#9b1c1c}} tr.public td:nth-child(2){{color:#1c6b2e}}
 input{{font:inherit;padding:4px;width:320px;margin:8px 0}}
</style></head><body>
<h1>Access matrix</h1>
<p>Policy version <code>{escape(policy.version)}</code>. Deny by default: a field nobody
classified is <b>not shared</b>. Each department's file in <code>policies/</code> is the
source; <code>govgraph policy explain Type.field</code> says the same from the command line.</p>
<input id="filter" placeholder="filter, e.g. Person. or personal" oninput="
 for (const tr of document.querySelectorAll('tbody tr'))
   tr.hidden = !tr.textContent.toLowerCase().includes(this.value.toLowerCase());">
<table><thead><tr><th>field</th><th>class</th><th>personal</th><th>mask</th>
<th>who can read it</th><th>rule source</th></tr></thead>
<tbody>
{body}
</tbody></table></body></html>
"""
