"""The civil_affairs subgraph schema: case and registration queries, the dibao workflow."""

from __future__ import annotations

import math
import re
import secrets
from datetime import date

import strawberry

from subgraphs.civil_affairs.types import (
    DibaoCase,
    DibaoDecision,
    DibaoStatus,
    Household,
    Info,
    MarriageRegistration,
    Person,
    dibao_loader,
    marriage_loader,
)
from subgraphs.common.divisions import DIVISION_CODES
from subgraphs.common.errors import (
    InputError,
    NotFoundError,
    bad_input,
    require_county,
    require_id_number,
)
from subgraphs.common.pagination import build_connection, page_request
from subgraphs.common.records import DibaoCaseRecord
from subgraphs.common.schema import SubgraphSchema
from subgraphs.common.types import Connection

__all__ = ["Mutation", "Query", "schema"]

_HOUSEHOLD = re.compile(r"^\d{15}$")
MAX_MONTHLY_AMOUNT = 10_000.0  # yuan; far above any Liaoning dibao standard
OFFICER = "civil_affairs:officer"
DECIDER = "civil_affairs:decide"


def _household_county(number: str) -> str:
    if not _HOUSEHOLD.match(number) or number[:6] not in DIVISION_CODES:
        raise bad_input(
            "householdNumber",
            "Tieling household register number",
            "must be 15 digits starting with a Tieling division code",
        )
    return number[:6]


@strawberry.type
class Query:
    @strawberry.field
    async def dibao_case(self, info: Info, case_number: strawberry.ID) -> DibaoCase | None:
        record = await dibao_loader(info).load(str(case_number))
        return None if record is None else DibaoCase.of(record)

    @strawberry.field
    async def dibao_cases(
        self,
        info: Info,
        county: str | None = None,
        status: DibaoStatus | None = None,
        first: int | None = 20,
        after: str | None = None,
    ) -> Connection[DibaoCase]:
        request = page_request(first, after)
        rows, total = await info.context.store.dibao_page(
            require_county(county),
            None if status is None else status.value,
            request.after,
            request.fetch_limit,
        )
        return build_connection(
            rows, request, total, key=lambda c: c.case_number, node=DibaoCase.of
        )

    @strawberry.field
    async def marriage_registration(
        self, info: Info, registration_number: strawberry.ID
    ) -> MarriageRegistration | None:
        record = await marriage_loader(info).load(str(registration_number))
        return None if record is None else MarriageRegistration.of(record)


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def apply_for_dibao(
        self, info: Info, applicant_id_number: strawberry.ID, household_number: strawberry.ID
    ) -> DibaoCase:
        applicant = require_id_number(str(applicant_id_number), "applicantIdNumber")
        county = _household_county(str(household_number))
        caller = info.context.caller
        # The department checks its own rules on rows the gateway cannot see: an officer
        # files only in their own county; anyone else applies only in their own name.
        if caller is not None:
            if caller.has_scope(OFFICER):
                if caller.county != county:
                    raise InputError(
                        "An officer may file dibao applications only in their own county",
                        argument="householdNumber",
                        rule="an officer files in their own county",
                        code="FORBIDDEN",
                    )
            elif caller.subject != applicant:
                raise InputError(
                    "A resident may apply for dibao only in their own name",
                    argument="applicantIdNumber",
                    rule="a resident applies only in their own name",
                    code="FORBIDDEN",
                )
        store = info.context.store
        existing = await store.open_case(str(household_number))
        if existing is not None:
            raise InputError(
                f"Household {household_number} already has an open dibao case "
                f"({existing.case_number}, {existing.status})",
                argument="householdNumber",
                rule="one open dibao case per household",
                code="CONFLICT",
            )
        today = date.today()
        case = DibaoCaseRecord(
            case_number=f"DB{county}{today.year}N{secrets.token_hex(4).upper()}",
            applicant_id_number=applicant,
            household_number=str(household_number),
            county_code=county,
            applied_on=today.isoformat(),
            status="PENDING",
            monthly_amount=None,
            decided_on=None,
            decision_note=None,
        )
        await store.insert_dibao(case)
        return DibaoCase.of(case)

    @strawberry.mutation
    async def decide_dibao_case(
        self,
        info: Info,
        *,
        case_number: strawberry.ID,
        decision: DibaoDecision,
        monthly_amount: float | None = None,
        note: str,
    ) -> DibaoCase:
        note = note.strip()
        if not note:
            raise bad_input("note", "a decision states its reasons", "must not be blank")
        if decision is DibaoDecision.APPROVE:
            if monthly_amount is None or not math.isfinite(monthly_amount) or monthly_amount <= 0:
                raise bad_input(
                    "monthlyAmount",
                    "an approval needs a positive monthly amount",
                    "an approval needs a positive monthly amount",
                )
            if monthly_amount > MAX_MONTHLY_AMOUNT:
                raise bad_input(
                    "monthlyAmount",
                    f"at most {MAX_MONTHLY_AMOUNT:.0f} yuan",
                    f"must be at most {MAX_MONTHLY_AMOUNT:.0f} yuan a month",
                )
            amount: float | None = round(monthly_amount, 2)
        else:
            if monthly_amount is not None:
                raise bad_input(
                    "monthlyAmount",
                    "a rejection carries no amount",
                    "must be omitted when rejecting",
                )
            amount = None
        store = info.context.store
        caller = info.context.caller
        county: str | None = None
        if caller is not None:
            # Deciding is an officer's act, in the officer's own county only.
            if not (
                caller.kind == "user"
                and caller.has_scope(OFFICER)
                and caller.has_scope(DECIDER)
                and caller.county
            ):
                raise InputError(
                    "Only a county civil-affairs officer may decide dibao cases",
                    argument="caseNumber",
                    rule="decided by a county officer holding civil_affairs:decide",
                    code="FORBIDDEN",
                )
            county = caller.county
        status = "APPROVED" if decision is DibaoDecision.APPROVE else "REJECTED"
        if not await store.decide_dibao(
            str(case_number), status, amount, note, date.today(), county=county
        ):
            (current,) = await store.dibao_by_number([str(case_number)])
            # Another county's case gets the answer an unknown one gets: no hint it exists.
            if current is None or (county is not None and current.county_code != county):
                raise NotFoundError(f"No dibao case {case_number}", argument="caseNumber")
            raise InputError(
                f"Dibao case {case_number} is {current.status}; only PENDING cases can be decided",
                argument="caseNumber",
                rule="only PENDING cases can be approved or rejected",
                code="CONFLICT",
            )
        (decided,) = await store.dibao_by_number([str(case_number)])
        assert decided is not None
        return DibaoCase.of(decided)


schema = SubgraphSchema(query=Query, mutation=Mutation, types=[Person, Household])
