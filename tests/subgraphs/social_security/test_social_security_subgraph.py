"""The social_security subgraph over the sample exports: lists, entities, filters, errors.

Template: ``body = await ask(subgraph.app, QUERY, variables)`` then state ``body`` (and,
for batching, ``subgraph.store.reads``: index queries, one per DataLoader batch).
"""

from __future__ import annotations

import os
from pathlib import Path

from social_security_sample import FACTORY, LI, QIAN, SHOP, SUN, WANG, ZHAO, Subgraph, ask

from subgraphs.common.settings import SubgraphSettings
from subgraphs.social_security.app import create_app

LIST = """
query ($county: String, $status: InsuranceStatus, $first: Int, $after: String) {
  insuredPersons(county: $county, status: $status, first: $first, after: $after) {
    nodes { idNumber insuranceStatus } pageInfo { hasNextPage endCursor } totalCount
  }
}
"""


async def test_insured_persons_page_in_identity_number_order(subgraph: Subgraph) -> None:
    first = (await ask(subgraph.app, LIST, {"first": 2}))["data"]["insuredPersons"]
    ordered = sorted([WANG, LI, ZHAO, SUN])
    assert [n["idNumber"] for n in first["nodes"]] == ordered[:2]
    assert (first["totalCount"], first["pageInfo"]["hasNextPage"]) == (4, True)
    after = first["pageInfo"]["endCursor"]
    rest = (await ask(subgraph.app, LIST, {"first": 2, "after": after}))["data"]["insuredPersons"]
    assert [n["idNumber"] for n in rest["nodes"]] == ordered[2:]
    assert rest["pageInfo"]["hasNextPage"] is False


async def test_insured_persons_filter_by_county_and_status(subgraph: Subgraph) -> None:
    body = await ask(subgraph.app, LIST, {"county": "211202"})
    assert body["data"]["insuredPersons"]["nodes"] == sorted(
        [
            {"idNumber": WANG, "insuranceStatus": "ACTIVE"},
            {"idNumber": LI, "insuranceStatus": "SUSPENDED"},
        ],
        key=lambda n: n["idNumber"],
    )
    body = await ask(subgraph.app, LIST, {"county": "211202", "status": "ACTIVE"})
    assert body["data"]["insuredPersons"]["nodes"] == [
        {"idNumber": WANG, "insuranceStatus": "ACTIVE"}
    ]
    body = await ask(subgraph.app, LIST, {"county": "211223"})
    assert body["data"]["insuredPersons"] == {
        "nodes": [], "pageInfo": {"hasNextPage": False, "endCursor": None}, "totalCount": 0,
    }  # fmt: skip


async def test_an_unknown_county_is_refused_naming_the_argument(subgraph: Subgraph) -> None:
    body = await ask(subgraph.app, LIST, {"county": "211299"})
    [error] = body["errors"]
    assert error["extensions"]["argument"] == "county"
    assert error["extensions"]["rule"] == "Tieling county-level division code"
    assert "Traceback" not in str(body)


async def test_a_page_size_over_the_maximum_is_refused(subgraph: Subgraph) -> None:
    body = await ask(subgraph.app, LIST, {"first": 101})
    assert (
        body["errors"][0]["message"]
        == 'Invalid argument "first": must be between 0 and 100, got 101'
    )


PERSONS = """
query ($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Person {
      idNumber insuranceStatus
      contributions(first: 2) { period insuranceType personalAmount employer { creditCode } }
      employments { employer { creditCode } startedOn endedOn position }
      pension { monthlyAmount since status }
    }
  }
}
"""


def person_reps(*ids: str) -> list[dict[str, str]]:
    return [{"__typename": "Person", "idNumber": i} for i in ids]


async def test_a_person_carries_status_contributions_employment_and_pension(
    subgraph: Subgraph,
) -> None:
    body = await ask(subgraph.app, PERSONS, {"r": person_reps(WANG, ZHAO, QIAN)})
    wang, zhao, qian = body["data"]["_entities"]
    assert wang == {
        "idNumber": WANG,
        "insuranceStatus": "ACTIVE",
        "contributions": [  # newest period first
            {"period": "2026-09", "insuranceType": "PENSION", "personalAmount": 400.0,
             "employer": {"creditCode": FACTORY}},
            {"period": "2026-09", "insuranceType": "MEDICAL", "personalAmount": 100.0,
             "employer": {"creditCode": FACTORY}},
        ],
        "employments": [
            {"employer": {"creditCode": FACTORY}, "startedOn": "2018-04-01", "endedOn": None,
             "position": "钳工"},
        ],
        "pension": None,
    }  # fmt: skip
    assert zhao["insuranceStatus"] == "RETIRED"
    assert zhao["pension"] == {"monthlyAmount": 3200.0, "since": "2015-02-01", "status": "PAYING"}
    # Never insured: the bureau's answer is "no status, nothing paid", not an error.
    assert qian == {
        "idNumber": QIAN, "insuranceStatus": None, "contributions": [], "employments": [],
        "pension": None,
    }  # fmt: skip


async def test_fifty_person_representations_cost_one_store_read_per_field(
    subgraph: Subgraph,
) -> None:
    ids = [WANG, LI, ZHAO, SUN, QIAN] * 10
    body = await ask(subgraph.app, PERSONS, {"r": person_reps(*ids)})
    assert len(body["data"]["_entities"]) == 50
    # insuranceStatus, contributions, employments, pension: four batches, one read each
    assert subgraph.store.reads == 4
    assert subgraph.store.loads == 1


CONTRIBUTIONS = """
query ($r: [_Any!]!, $type: InsuranceType, $from: String, $to: String, $first: Int) {
  _entities(representations: $r) {
    ... on Person {
      contributions(insuranceType: $type, fromPeriod: $from, toPeriod: $to, first: $first) {
        period insuranceType
      }
    }
  }
}
"""


async def test_contributions_filter_by_type_and_period_range(subgraph: Subgraph) -> None:
    body = await ask(
        subgraph.app, CONTRIBUTIONS,
        {"r": person_reps(WANG), "type": "MEDICAL", "from": "2026-08", "to": "2026-08"},
    )  # fmt: skip
    assert body["data"]["_entities"] == [
        {"contributions": [{"period": "2026-08", "insuranceType": "MEDICAL"}]}
    ]
    body = await ask(subgraph.app, CONTRIBUTIONS, {"r": person_reps(SUN)})
    assert body["data"]["_entities"] == [
        {"contributions": [{"period": "2026-09", "insuranceType": "PENSION"}]}
    ]


async def test_a_bad_period_is_refused_naming_the_argument_and_format(
    subgraph: Subgraph,
) -> None:
    body = await ask(subgraph.app, CONTRIBUTIONS, {"r": person_reps(WANG), "from": "2026-13"})
    [error] = body["errors"]
    assert error["message"] == "Invalid argument \"fromPeriod\": '2026-13' is not a period YYYY-MM"
    assert error["extensions"]["rule"] == "period YYYY-MM"
    body = await ask(
        subgraph.app, CONTRIBUTIONS, {"r": person_reps(WANG), "from": "2026-09", "to": "2026-01"}
    )
    assert body["errors"][0]["extensions"]["argument"] == "toPeriod"


async def test_a_malformed_identity_number_is_a_clean_error_and_null(subgraph: Subgraph) -> None:
    body = await ask(subgraph.app, PERSONS, {"r": person_reps("21120219850314025", LI)})
    assert body["data"]["_entities"][0] is None
    assert body["data"]["_entities"][1]["idNumber"] == LI
    [error] = body["errors"]
    assert error["message"] == 'Invalid argument "idNumber": must be 18 characters long'
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


ENTERPRISES = """
query ($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Enterprise {
      creditCode insuredEmployeeCount
      current: employments(current: true) { person { idNumber } position }
      past: employments(current: false) { person { idNumber } endedOn }
    }
  }
}
"""


async def test_an_employer_counts_its_currently_insured_employees(subgraph: Subgraph) -> None:
    reps = [{"__typename": "Enterprise", "creditCode": c} for c in (FACTORY, SHOP)]
    body = await ask(subgraph.app, ENTERPRISES, {"r": reps})
    factory, shop = body["data"]["_entities"]
    assert factory == {
        "creditCode": FACTORY,
        "insuredEmployeeCount": 1,  # WANG; LI has left
        "current": [{"person": {"idNumber": WANG}, "position": "钳工"}],
        "past": [{"person": {"idNumber": LI}, "endedOn": "2026-08-31"}],
    }
    # LI works at the shop but is SUSPENDED in the register (not paying yet).
    assert shop["insuredEmployeeCount"] == 0
    assert shop["current"] == [{"person": {"idNumber": LI}, "position": "营业员"}]


async def test_without_exports_the_error_is_clean(tmp_path: Path) -> None:
    settings = SubgraphSettings.from_env(
        {
            "GOVGRAPH_SOCIAL_SECURITY_DIR": str(tmp_path / "missing"),
            "GOVGRAPH_SUBGRAPH_SECRET": "social-security-test-secret-012345",
        }
    )
    body = await ask(create_app(settings), LIST, {})
    assert body["data"] is None
    assert body["errors"][0]["message"] == "social security exports unavailable"
    assert body["errors"][0]["extensions"] == {"code": "EXPORTS_UNAVAILABLE"}


async def test_a_new_nightly_export_shows_in_the_next_answer(
    subgraph: Subgraph, exports: Path
) -> None:
    query = "query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { pension { status } } } }"
    before = await ask(subgraph.app, query, {"r": person_reps(ZHAO)})
    assert before["data"]["_entities"] == [{"pension": {"status": "PAYING"}}]
    (exports / "ylj.csv").write_text(  # the night's export: ZHAO's pension is suspended
        f"SFZHM,YFJE,QFRQ,FFZT\n{ZHAO},3200.00,20150201,2\n", encoding="utf-8"
    )
    stat = (exports / "ylj.csv").stat()
    os.utime(exports / "ylj.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    after = await ask(subgraph.app, query, {"r": person_reps(ZHAO)})
    assert after["data"]["_entities"] == [{"pension": {"status": "SUSPENDED"}}]


async def test_a_representation_without_its_key_is_a_clean_error(subgraph: Subgraph) -> None:
    # Bug: a missing idNumber was a KeyError, masked as "Internal server error".
    body = await ask(subgraph.app, PERSONS, {"r": [{"__typename": "Person", "id": WANG}]})
    assert body["data"]["_entities"] == [None]
    assert body["errors"][0]["message"] == (
        'Invalid argument "idNumber": idNumber is missing or not a string'
    )
