"""Translation between the registry's units (pinyin-initial fields, code tables) and the graph.

The registry says ``bdcqzh``/``zl``/``ytdm``/``jzmj``/``djsj``/``qlrxx``…; the graph says
``certificateNumber``/``address``/``usage``/``area``/``registeredOn``/``owners``. A unit
that does not have the registry's shape is a broken registry, not a client error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from .legacy_service.protocol import OWNER_KIND_NAMES, USAGE_CODES
from .registry_client import RegistryUnavailableError

__all__ = ["OwnerShare", "PropertyData", "to_property", "usage_code"]

log = logging.getLogger("govgraph.real_estate")

_USAGE_BY_CODE = {code: usage for usage, code in USAGE_CODES.items()}


@dataclass(frozen=True, slots=True)
class OwnerShare:
    kind: str  # "PERSON" | "ENTERPRISE"
    owner_id: str  # identity number or credit code
    share: str


@dataclass(frozen=True, slots=True)
class PropertyData:
    certificate_number: str
    address: str
    county_code: str
    usage: str  # PropertyUsage member name
    area: float
    registered_on: str  # YYYY-MM-DD
    parcel_number: str
    land_use: str
    parcel_area: float
    owners: tuple[OwnerShare, ...]
    mortgaged: bool
    seized: bool


def usage_code(usage: str) -> str:
    """The registry's 用途 code for a ``PropertyUsage`` member name."""
    return USAGE_CODES[usage]


def to_property(unit: dict[str, Any]) -> PropertyData:
    try:
        parcel = unit["zdxx"]
        return PropertyData(
            certificate_number=str(unit["bdcqzh"]),
            address=str(unit["zl"]),
            county_code=str(unit["xzqdm"]),
            usage=_USAGE_BY_CODE[unit["ytdm"]],
            area=float(unit["jzmj"]),
            registered_on=str(unit["djsj"])[:10],  # "YYYY-MM-DD HH:MM:SS" -> date
            parcel_number=str(parcel["zddm"]),
            land_use=str(parcel["tdyt"]),
            parcel_area=float(parcel["zdmj"]),
            owners=tuple(
                OwnerShare(OWNER_KIND_NAMES[o["qlrlb"]], str(o["zjh"]), str(o["qlbl"]))
                for o in unit["qlrxx"]
            ),
            mortgaged=unit["dyzt"] == "1",
            seized=unit["cfzt"] == "1",
        )
    except (KeyError, TypeError, ValueError) as exc:
        log.error("registry unit has an unexpected shape: %r (%r)", unit, exc)
        raise RegistryUnavailableError() from exc
