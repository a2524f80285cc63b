"""The query planner: from a client operation to a plan of subgraph fetches."""

from __future__ import annotations

from gateway.planner.nodes import QueryPlan
from gateway.planner.planner import QueryPlanner
from gateway.planner.printer import print_plan

__all__ = ["QueryPlan", "QueryPlanner", "print_plan"]
