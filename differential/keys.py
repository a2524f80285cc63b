"""Real keys from the running dataset, asked of the department subgraphs directly.

The generator and the hand-written operations need identity numbers, credit codes,
household numbers, certificate numbers, case and registration numbers that exist, and
some that lead somewhere interesting (a person who represents an enterprise and owns a
property, a household with such a member, a property owned by an enterprise).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["COUNTIES", "Keys", "harvest"]

COUNTIES = ["211202", "211204", "211221", "211223", "211224", "211281", "211282"]


@dataclass(slots=True)
class Keys:
    persons: list[str] = field(default_factory=list)
    households: list[str] = field(default_factory=list)
    enterprises: list[str] = field(default_factory=list)
    properties: list[str] = field(default_factory=list)
    dibao_cases: list[str] = field(default_factory=list)
    marriages: list[str] = field(default_factory=list)
    enterprise_names: list[str] = field(default_factory=list)
    cursors: dict[str, str] = field(default_factory=dict)  # root field -> a real endCursor
    # Interesting ones, for the hand-written operations' placeholders.
    special: dict[str, str] = field(default_factory=dict)

    def pool(self, argument: str) -> list[str]:
        return {
            "idNumber": self.persons,
            "applicantIdNumber": self.persons,
            "householdNumber": self.households,
            "creditCode": self.enterprises,
            "certificateNumber": self.properties,
            "caseNumber": self.dibao_cases,
            "registrationNumber": self.marriages,
        }.get(argument, [])

    def placeholders(self) -> dict[str, str]:
        return dict(self.special)


def _post(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = httpx.post(
        url, json={"query": query, "variables": variables or {}}, timeout=30, trust_env=False
    )
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"harvesting keys from {url}: {body['errors'][:2]}")
    data: dict[str, Any] = body["data"]
    return data


def _pages(url: str, field_name: str, selection: str, pages: int = 3) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    after = None
    for _ in range(pages):
        q = (
            f"query($after: String) {{ {field_name}(first: 100, after: $after) "
            f"{{ nodes {{ {selection} }} pageInfo {{ hasNextPage endCursor }} }} }}"
        )
        conn = _post(url, q, {"after": after})[field_name]
        nodes += conn["nodes"]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    return nodes


def harvest(subgraph_url: Callable[[str], str], rng: random.Random) -> Keys:
    pop, civil = subgraph_url("population"), subgraph_url("civil_affairs")
    market, estate = subgraph_url("market_regulation"), subgraph_url("real_estate")
    social = subgraph_url("social_security")
    keys = Keys()

    households = _pages(pop, "households", "householdNumber members { idNumber }")
    keys.households = [h["householdNumber"] for h in households]
    member_of = {m["idNumber"]: h["householdNumber"] for h in households for m in h["members"]}
    keys.persons = [p["idNumber"] for p in _pages(pop, "persons", "idNumber")]

    enterprises = _pages(market, "enterprises", "creditCode name legalRepresentative { idNumber }")
    keys.enterprises = [e["creditCode"] for e in enterprises]
    keys.enterprise_names = [e["name"] for e in enterprises]
    representatives = {e["legalRepresentative"]["idNumber"] for e in enterprises}

    props = _pages(
        estate,
        "properties",
        "certificateNumber owners { owner { __typename "
        "... on Person { idNumber } ... on Enterprise { creditCode } } }",
    )
    keys.properties = [p["certificateNumber"] for p in props]
    owners_person = {
        o["owner"]["idNumber"] for p in props for o in p["owners"] if "idNumber" in o["owner"]
    }
    enterprise_owned = [
        p["certificateNumber"]
        for p in props
        if any("creditCode" in o["owner"] for o in p["owners"])
    ]
    multi_owner = [p["certificateNumber"] for p in props if len(p["owners"]) > 1]

    cases = _pages(
        civil, "dibaoCases", "caseNumber applicant { idNumber } household { householdNumber }"
    )
    keys.dibao_cases = [c["caseNumber"] for c in cases]

    # Marriages: ask civil affairs about a sample of persons through _entities.
    sample = keys.persons[:300]
    reps = [{"__typename": "Person", "idNumber": i} for i in sample]
    married = _post(
        civil,
        "query($r: [_Any!]!) { _entities(representations: $r) "
        "{ ... on Person { idNumber marriages { registrationNumber } } } }",
        {"r": reps},
    )["_entities"]
    keys.marriages = [m["registrationNumber"] for p in married for m in p["marriages"]]
    married_ids = {p["idNumber"] for p in married if p["marriages"]}

    insured = _pages(social, "insuredPersons", "idNumber", pages=1)
    insured_ids = {p["idNumber"] for p in insured}

    for root, url in (
        ("persons", pop),
        ("households", pop),
        ("enterprises", market),
        ("properties", estate),
        ("dibaoCases", civil),
        ("insuredPersons", social),
    ):
        conn = _post(url, f"{{ {root}(first: 3) {{ pageInfo {{ endCursor }} }} }}")[root]
        if conn["pageInfo"]["endCursor"]:
            keys.cursors[root] = conn["pageInfo"]["endCursor"]

    def pick(candidates: list[str] | set[str], fallback: list[str]) -> str:
        ordered = sorted(candidates)
        return ordered[0] if ordered else fallback[0]

    rich = (representatives & owners_person) or representatives or owners_person
    rich_married = rich & married_ids
    keys.special = {
        "person": pick(rich_married or rich, keys.persons),
        "representative": pick(representatives, keys.persons),
        "owner": pick(owners_person, keys.persons),
        "married": pick(married_ids, keys.persons),
        "insured": pick(insured_ids, keys.persons),
        "plainPerson": pick(
            set(keys.persons) - representatives - owners_person - married_ids, keys.persons
        ),
        "household": member_of.get(pick(rich, keys.persons), keys.households[0]),
        "bigHousehold": max(households, key=lambda h: len(h["members"]))["householdNumber"],
        "enterprise": keys.enterprises[0],
        "enterpriseOwner": _owner_enterprise(props) or keys.enterprises[0],
        "property": keys.properties[0],
        "enterpriseProperty": enterprise_owned[0] if enterprise_owned else keys.properties[0],
        "sharedProperty": multi_owner[0] if multi_owner else keys.properties[0],
        "dibaoCase": keys.dibao_cases[0] if keys.dibao_cases else "",
        "marriage": keys.marriages[0] if keys.marriages else "",
        "nameFragment": _name_fragment(keys.enterprise_names),
        "personsCursor": keys.cursors.get("persons", ""),
        "enterprisesCursor": keys.cursors.get("enterprises", ""),
        # For the cache cases: someone no other case reads, and a phone new to each run.
        "cachePerson": keys.persons[-1],
        "runPhone": f"139{int(time.time() * 1000) % 10**8:08d}",
    }
    # The generator samples from the pools: put the interesting keys first in each.
    for pool_name, value in (
        ("persons", keys.special["person"]),
        ("persons", keys.special["married"]),
        ("persons", keys.special["owner"]),
        ("households", keys.special["household"]),
        ("properties", keys.special["enterpriseProperty"]),
    ):
        pool = getattr(keys, pool_name)
        if value in pool:
            pool.remove(value)
        pool.insert(0, value)
    _ = rng
    return keys


def _owner_enterprise(props: list[dict[str, Any]]) -> str | None:
    for p in props:
        for o in p["owners"]:
            if "creditCode" in o["owner"]:
                return str(o["owner"]["creditCode"])
    return None


def _name_fragment(names: list[str]) -> str:
    for name in names:
        if len(name) >= 4:
            return name[2:4]
    return names[0][:1] if names else "铁岭"
