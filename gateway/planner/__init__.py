"""The query planner: from a client operation to a plan of subgraph fetches.

Modules, in the order a plan is made:

- ``catalog``: what each subgraph resolves (joins, keys, overrides, labels, membership)
- ``walker`` + ``jumps``: walk the operation, filling fetch groups; entity jumps and
  re-fetches of value types; ``cost`` ranks candidate subgraphs; ``fieldsets`` copies
  and aliases key/``@requires`` field sets
- ``shapes``: alias fields whose types clash across sibling fragments
- ``build``: groups to ``nodes`` (the plan contract), with parallelism and conditions
- ``printer``: the text form used by specs and ``govgraph plan``
"""

from __future__ import annotations

from gateway.planner.nodes import QueryPlan
from gateway.planner.planner import QueryPlanner
from gateway.planner.printer import print_plan

__all__ = ["QueryPlan", "QueryPlanner", "print_plan"]
