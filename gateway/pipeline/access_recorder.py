"""The access-log boundary: one hash-chained record per operation that released personal
fields, written (and fsynced) before the response leaves the gateway."""

from __future__ import annotations

from gateway.accesslog import AccessLog, AccessRecord
from gateway.pipeline.document import PreparedOperation
from gateway.pipeline.request import RequestContext
from gateway.pipeline.stages import AuthorizationOutcome

__all__ = ["AccessLogRecorder"]


class AccessLogRecorder:
    def __init__(self, log: AccessLog) -> None:
        self.log = log

    async def record(
        self,
        *,
        operation: PreparedOperation,
        context: RequestContext,
        decision: AuthorizationOutcome,
        data_subjects: frozenset[str] | set[str],
        policy_version: str,
    ) -> None:
        mode = getattr(decision, "mode", "filter")
        verdict = "dry-run" if mode == "dry-run" else ("filtered" if decision.errors else "allowed")
        await self.log.append(
            AccessRecord.of(
                context.principal,
                operation_hash=operation.key,
                operation_name=operation.operation_name,
                decision=verdict,
                purpose=context.purpose,
                case=context.headers.get("x-case-number") or None,
                fields=tuple(sorted(decision.personal_fields)),
                data_subjects=tuple(sorted(data_subjects)),
                policy_version=policy_version,
            )
        )
