"""AccessRecord (one read of data, as evidence) and StoredRecord (its place in the chain)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gateway.policy.principal import Principal

__all__ = ["DECISIONS", "AccessRecord", "StoredRecord", "utc_now_iso"]

DECISIONS = frozenset({"allowed", "filtered", "denied", "dry-run"})
# A schema coordinate such as ``Person.idNumber``: the log names fields, never values.
_COORDINATE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _str_tuple(value: Any, name: str) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{name} must be a list of strings")
    return tuple(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class AccessRecord:
    """Who read which fields of whose data, when, why, and what the policy decided.

    ``fields`` are schema coordinates (``Person.idNumber``), never values.
    ``data_subjects`` are the identifiers of the people (or enterprises) whose data was
    released, e.g. resident identity numbers; a citizen's query is by these.
    ``suppressed_until`` (an ISO date) hides a law-enforcement read from the citizen's
    view until that date; auditors still see it.
    """

    operation_hash: str
    decision: str
    time: str = field(default_factory=utc_now_iso)
    subject: str | None = None
    client_id: str | None = None
    purpose: str | None = None
    case: str | None = None
    operation_name: str | None = None
    fields: tuple[str, ...] = ()
    data_subjects: tuple[str, ...] = ()
    policy_version: str | None = None
    suppressed_until: str | None = None

    def __post_init__(self) -> None:
        if self.decision not in DECISIONS:
            raise ValueError(f"decision must be one of {sorted(DECISIONS)}, not {self.decision!r}")
        object.__setattr__(self, "fields", _str_tuple(self.fields, "fields"))
        object.__setattr__(self, "data_subjects", _str_tuple(self.data_subjects, "data_subjects"))
        bad = [f for f in self.fields if not _COORDINATE.match(f)]
        if bad:
            raise ValueError(f"fields must be Type.field coordinates, got {bad[:3]}")
        try:
            datetime.fromisoformat(self.time)
            if self.suppressed_until is not None:
                date.fromisoformat(self.suppressed_until[:10])
        except ValueError as exc:
            raise ValueError(f"time and suppressed_until must be ISO 8601: {exc}") from exc

    @classmethod
    def of(cls, principal: Principal, **facts: Any) -> AccessRecord:
        """A record of a read by ``principal`` (its subject and client); ``facts`` fill the rest."""
        return cls(subject=principal.subject, client_id=principal.client_id, **facts)

    def suppressed_on(self, today: date) -> bool:
        """True while a citizen may not yet see this record."""
        return self.suppressed_until is not None and today < date.fromisoformat(
            self.suppressed_until[:10]
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "subject": self.subject,
            "client_id": self.client_id,
            "purpose": self.purpose,
            "case": self.case,
            "operation_name": self.operation_name,
            "operation_hash": self.operation_hash,
            "fields": list(self.fields),
            "data_subjects": list(self.data_subjects),
            "policy_version": self.policy_version,
            "decision": self.decision,
            "suppressed_until": self.suppressed_until,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AccessRecord:
        return cls(
            time=data["time"],
            subject=data.get("subject"),
            client_id=data.get("client_id"),
            purpose=data.get("purpose"),
            case=data.get("case"),
            operation_name=data.get("operation_name"),
            operation_hash=data["operation_hash"],
            fields=tuple(data.get("fields") or ()),
            data_subjects=tuple(data.get("data_subjects") or ()),
            policy_version=data.get("policy_version"),
            decision=data["decision"],
            suppressed_until=data.get("suppressed_until"),
        )


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record as the log holds it: numbered and linked to its predecessor."""

    record: AccessRecord
    seq: int
    prev_hash: str
    hash: str
    mac: str  # "sha256", or "hmac-sha256" when the log is keyed
