"""The seven county-level administrative divisions of Tieling and their lookup."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CITY_CODE",
    "DIVISIONS",
    "DIVISION_CODES",
    "URBAN_CODES",
    "DivisionInfo",
    "UnknownDivisionError",
    "division",
]

CITY_CODE = "211200"  # Tieling, prefecture-level city of Liaoning (210000)


@dataclass(frozen=True, slots=True)
class DivisionInfo:
    code: str
    name: str  # Chinese name, as on registers
    english: str
    urban: bool  # city district (streets, apartments) rather than county (towns, villages)


class UnknownDivisionError(LookupError):
    """A division code that is not one of Tieling's seven county-level divisions."""

    def __init__(self, code: str) -> None:
        super().__init__(f"{code!r} is not a Tieling county-level division code")
        self.code = code


DIVISIONS: tuple[DivisionInfo, ...] = (
    DivisionInfo("211202", "银州区", "Yinzhou District", True),
    DivisionInfo("211204", "清河区", "Qinghe District", True),
    DivisionInfo("211221", "铁岭县", "Tieling County", False),
    DivisionInfo("211223", "西丰县", "Xifeng County", False),
    DivisionInfo("211224", "昌图县", "Changtu County", False),
    DivisionInfo("211281", "调兵山市", "Diaobingshan City", False),
    DivisionInfo("211282", "开原市", "Kaiyuan City", False),
)

_BY_CODE = {d.code: d for d in DIVISIONS}
DIVISION_CODES: frozenset[str] = frozenset(_BY_CODE)
URBAN_CODES: frozenset[str] = frozenset(d.code for d in DIVISIONS if d.urban)


def division(code: str) -> DivisionInfo:
    """The division with ``code``; raises :class:`UnknownDivisionError` otherwise."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise UnknownDivisionError(code) from None
