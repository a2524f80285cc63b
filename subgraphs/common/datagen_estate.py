"""Real-estate layer of a chunk: parcels and the properties on them, with their owners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from subgraphs.common.datagen_economy import BusinessChunk
from subgraphs.common.datagen_people import PeopleChunk, chunk_rng
from subgraphs.common.records import OwnershipRecord, ParcelRecord, PropertyRecord

__all__ = ["EstateChunk", "build_estate"]

# usage -> (land use of the parcel, area range in m2)
_USAGE = {
    "RESIDENTIAL": ("城镇住宅用地", (45, 140)),
    "COMMERCIAL": ("商服用地", (40, 800)),
    "INDUSTRIAL": ("工业用地", (500, 10000)),
    "AGRICULTURAL": ("设施农用地", (200, 5000)),
}


@dataclass(frozen=True, slots=True)
class EstateChunk:
    parcels: list[ParcelRecord]
    properties: list[PropertyRecord]


def build_estate(seed: int, people: PeopleChunk, business: BusinessChunk) -> EstateChunk:
    key = people.key
    rng = chunk_rng(seed, "estate", key)
    county = key.county
    families = [h for h in people.households if h.kind == "FAMILY"]
    parcels: list[ParcelRecord] = []
    properties: list[PropertyRecord] = []
    current: dict[str, tuple[ParcelRecord, int]] = {}  # usage -> (parcel, units left)
    for p in range(key.persons // 3):
        enterprise_owned = business.enterprises and rng.random() < 0.12
        if enterprise_owned:
            usage = rng.choice(
                ("COMMERCIAL", "INDUSTRIAL", "AGRICULTURAL")
                if not county.urban
                else ("COMMERCIAL", "INDUSTRIAL")
            )
            company = rng.choice(business.enterprises)
            owners: tuple[OwnershipRecord, ...] = (
                OwnershipRecord("ENTERPRISE", company.credit_code, "100%"),
            )
            address = company.address
        elif families:
            usage = "RESIDENTIAL" if rng.random() < 0.93 else "COMMERCIAL"
            household = rng.choice(families)
            group = people.members[household.household_number]
            spouse = next((m for m in group if m.relation_to_head == "SPOUSE"), None)
            if spouse is not None and rng.random() < 0.4:
                owners = (
                    OwnershipRecord("PERSON", group[0].id_number, "50%"),
                    OwnershipRecord("PERSON", spouse.id_number, "50%"),
                )
            else:
                owners = (OwnershipRecord("PERSON", group[0].id_number, "100%"),)
            address = household.address
        else:
            continue
        land_use, (low, high) = _USAGE[usage]
        if usage == "RESIDENTIAL" and not county.urban:
            land_use = "农村宅基地"
        # Urban residential parcels carry apartment buildings; everything else one unit.
        parcel, left = current.get(usage, (None, 0))
        if parcel is None or left <= 0:
            units = rng.randint(8, 24) if usage == "RESIDENTIAL" and county.urban else 1
            parcel = ParcelRecord(
                parcel_number=f"{county.code}{key.k:03d}{rng.randint(1, 20):03d}GB{len(parcels):05d}",
                county_code=county.code,
                land_use=land_use,
                area=float(
                    rng.randrange(300, 20000, 10) if units > 1 else rng.randrange(150, 12000, 10)
                ),
            )
            parcels.append(parcel)
            left = units
        current[usage] = (parcel, left - 1)
        registered = date(2000, 1, 1) + timedelta(days=rng.randrange(9800))
        properties.append(
            PropertyRecord(
                certificate_number=f"辽({registered.year})铁岭市不动产权第{key.county_index + 1}{key.k:03d}{p:03d}号",
                parcel_number=parcel.parcel_number,
                county_code=county.code,
                address=address,
                usage=usage,
                area=round(rng.uniform(low, high), 2),
                registered_on=registered.isoformat(),
                owners=owners,
                mortgaged=usage == "RESIDENTIAL" and rng.random() < 0.25,
                seized=rng.random() < 0.01,
            )
        )
    return EstateChunk(parcels, properties)
