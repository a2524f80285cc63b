"""The synthetic dataset: deterministic, valid identifiers, consistent, referentially whole."""

from __future__ import annotations

from collections import Counter

import pytest

from subgraphs.common.datagen import Dataset, DatasetConfig
from subgraphs.common.datagen_people import age_on
from subgraphs.common.divisions import DIVISION_CODES
from subgraphs.common.identifiers import credit_code_problem, id_number_problem


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return Dataset(DatasetConfig(seed=11, persons=1500))


def test_the_same_seed_gives_the_same_data_and_another_seed_different_data() -> None:
    a = Dataset(DatasetConfig(seed=3, persons=300)).fingerprint()
    assert a == Dataset(DatasetConfig(seed=3, persons=300)).fingerprint()
    assert a != Dataset(DatasetConfig(seed=4, persons=300)).fingerprint()


def test_iterators_are_fresh_each_call(dataset: Dataset) -> None:
    assert list(dataset.households()) == list(dataset.households())


def test_the_requested_number_of_persons_is_spread_over_all_seven_divisions(
    dataset: Dataset,
) -> None:
    counties = Counter(p.county_code for p in dataset.persons())
    assert sum(counties.values()) == 1500
    assert set(counties) == DIVISION_CODES
    assert counties["211224"] > counties["211204"]  # Changtu is larger than Qinghe


def test_every_identity_number_is_valid_unique_and_matches_county_birth_and_gender(
    dataset: Dataset,
) -> None:
    seen = set()
    for p in dataset.persons():
        assert id_number_problem(p.id_number) is None, p
        assert p.id_number[:6] == p.county_code
        assert p.id_number[6:14] == p.birth_date.replace("-", "")
        assert int(p.id_number[16]) % 2 == (1 if p.gender == "MALE" else 0)
        seen.add(p.id_number)
    assert len(seen) == 1500


def test_identity_numbers_stay_unique_across_many_chunks_of_one_county() -> None:
    # 30,000 persons put about 9,000 in Changtu: nine chunks share its sequence space.
    ids = [p.id_number for p in Dataset(DatasetConfig(seed=5, persons=30_000)).persons()]
    assert len(ids) == len(set(ids)) == 30_000


def test_every_credit_code_is_valid_and_unique(dataset: Dataset) -> None:
    codes = [e.credit_code for e in dataset.enterprises()]
    assert codes and all(credit_code_problem(c) is None for c in codes)
    assert len(codes) == len(set(codes))
    assert len(codes) == pytest.approx(1500 / 20, abs=7)


def test_households_have_one_head_who_is_a_member(dataset: Dataset) -> None:
    members: dict[str, list[str]] = {}
    heads: dict[str, str] = {}
    for p in dataset.persons():
        members.setdefault(p.household_number, []).append(p.id_number)
        if p.relation_to_head == "HEAD":
            heads[p.household_number] = p.id_number
    for h in dataset.households():
        assert heads[h.household_number] == h.head_id_number
        assert 1 <= len(members[h.household_number]) <= 6
    assert set(members) == {h.household_number for h in dataset.households()}


def test_references_point_at_existing_records(dataset: Dataset) -> None:
    persons = {p.id_number: p for p in dataset.persons()}
    households = {h.household_number for h in dataset.households()}
    enterprises = {e.credit_code for e in dataset.enterprises()}
    for e in dataset.enterprises():
        assert age_on(persons[e.legal_representative_id_number].birth_date) >= 18
    for m in dataset.marriages():
        a, b = persons[m.party_a_id_number], persons[m.party_b_id_number]
        assert (a.gender, b.gender) == ("MALE", "FEMALE")
        assert m.registered_on[:4] >= str(int(a.birth_date[:4]) + 22)
    for c in dataset.dibao_cases():
        assert c.household_number in households and c.applicant_id_number in persons
    for s in dataset.elderly_subsidies():
        assert age_on(persons[s.id_number].birth_date) >= 80
    for pen in dataset.penalties():
        assert pen.credit_code in enterprises
    for job in dataset.employments():
        assert job.id_number in persons and job.employer_credit_code in enterprises
    for c in dataset.contributions():
        assert c.id_number in persons
        assert c.employer_credit_code is None or c.employer_credit_code in enterprises
    parcels = {p.parcel_number for p in dataset.parcels()}
    for prop in dataset.properties():
        assert prop.parcel_number in parcels
        for owner in prop.owners:
            assert owner.owner_id in (persons if owner.owner_kind == "PERSON" else enterprises)


def test_spouses_are_married_and_some_people_are_divorced(dataset: Dataset) -> None:
    kinds = Counter(m.kind for m in dataset.marriages())
    assert kinds["MARRIAGE"] > kinds["DIVORCE"] > 0
    numbers = [m.registration_number for m in dataset.marriages()]
    assert len(numbers) == len(set(numbers))


def test_the_derived_records_have_plausible_volumes(dataset: Dataset) -> None:
    households = sum(1 for _ in dataset.households())
    assert 0 < sum(1 for _ in dataset.dibao_cases()) < households * 0.1
    assert sum(1 for _ in dataset.properties()) == pytest.approx(1500 / 3, rel=0.05)
    co_owned = [p for p in dataset.properties() if len(p.owners) == 2]
    assert co_owned and all({o.share for o in p.owners} == {"50%"} for p in co_owned)
    assert any(p.employer_credit_code is None for p in dataset.contributions())
    assert sum(1 for _ in dataset.pensions()) > 0


def test_a_dataset_size_outside_the_supported_range_is_refused() -> None:
    with pytest.raises(ValueError, match="persons must be between 1 and 3,000,000"):
        DatasetConfig(persons=0)


def test_walking_by_chunk_yields_the_same_records_as_the_per_kind_iterators(
    dataset: Dataset,
) -> None:
    chunks = list(dataset.by_chunk())
    assert [p for c in chunks for p in c.people.persons] == list(dataset.persons())
    assert [m for c in chunks for m in c.civil.marriages] == list(dataset.marriages())
    assert [e for c in chunks for e in c.business.enterprises] == list(dataset.enterprises())
    assert [x for c in chunks for x in c.labour.contributions] == list(dataset.contributions())
    assert [x for c in chunks for x in c.estate.properties] == list(dataset.properties())
