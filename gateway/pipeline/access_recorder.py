"""The access-log boundary: one hash-chained record per operation that released personal
fields, written (and fsynced) before the response leaves the gateway."""

from __future__ import annotations

from gateway.accesslog import AccessLog, AccessRecord
from gateway.http.headers import header_text
from gateway.pipeline.document import PreparedOperation
from gateway.pipeline.request import RequestContext
from gateway.pipeline.stages import AuthorizationOutcome, PostProcessOutcome

__all__ = ["AccessLogRecorder"]


def _verdict(
    mode: str, decision: AuthorizationOutcome, data_subjects: frozenset[str], denied_rows: int
) -> str:
    # Rows refused after fetching count as much as fields refused before planning: a
    # read that released nothing is "denied", one that released part is "filtered".
    if mode == "dry-run":
        return "dry-run"
    if denied_rows and not data_subjects:
        return "denied"
    if decision.errors or denied_rows:
        return "filtered"
    return "allowed"


class AccessLogRecorder:
    def __init__(self, log: AccessLog) -> None:
        self.log = log

    async def record(
        self,
        *,
        operation: PreparedOperation,
        context: RequestContext,
        decision: AuthorizationOutcome,
        policy_version: str,
        outcome: PostProcessOutcome | None = None,
        data_subjects: frozenset[str] | set[str] | None = None,
    ) -> None:
        if outcome is not None:
            data_subjects = outcome.data_subjects
        subjects = frozenset(data_subjects or ())
        denied_rows = outcome.denied_rows if outcome is not None else 0
        verdict = _verdict(getattr(decision, "mode", "filter"), decision, subjects, denied_rows)
        await self.log.append(
            AccessRecord.of(
                context.principal,
                operation_hash=operation.key,
                operation_name=operation.operation_name,
                decision=verdict,
                purpose=context.purpose,
                case=header_text(context.headers.get("x-case-number")),
                fields=tuple(sorted(decision.personal_fields)),
                data_subjects=tuple(sorted(subjects)),
                policy_version=policy_version,
            )
        )
