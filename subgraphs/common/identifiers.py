"""Chinese national identifiers: resident identity numbers and unified social credit codes.

Both validators return the reason a value is invalid (``None`` when valid) rather than
raising, so the GraphQL layer can name the argument and the rule it broke, and the
generator can assert validity cheaply.
"""

from __future__ import annotations

import operator
import re
from datetime import date

__all__ = [
    "CREDIT_CODE_ALPHABET",
    "credit_code_problem",
    "id_number_problem",
    "is_valid_credit_code",
    "is_valid_id_number",
    "make_credit_code",
    "make_id_number",
    "organisation_code_check",
]

# GB 11643-1999 (ISO 7064 MOD 11-2): weights 2^(17-i) mod 11 for i = 0..16.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")

# GB 32100-2015: 31 characters, the letters I, O, S, V, Z are left out as ambiguous.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUES = {c: i for i, c in enumerate(CREDIT_CODE_ALPHABET)}
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997 organisation code: eight body characters and one check character.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _id_check_char(first17: str) -> str:
    # map/mul rather than a generator: the dataset generator calls this a million times.
    total = sum(map(operator.mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def id_number_problem(value: str, *, divisions: frozenset[str] | None = None) -> str | None:
    """Why ``value`` is not a valid GB 11643-1999 identity number, or ``None``.

    ``divisions``, when given, restricts the first six digits to those division codes.
    A lowercase ``x`` check character is refused: registries store the uppercase form.
    """
    if len(value) != 18:
        return "must be 18 characters long"
    if not _ID_SHAPE.match(value):
        return "must be 17 digits followed by a digit or X"
    if not 11 <= int(value[:2]) <= 82:
        return "must start with an administrative division code (province 11-82)"
    if divisions is not None and value[:6] not in divisions:
        return f"division code {value[:6]} is not a known division"
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return f"birth date {value[6:14]} is not a real date"
    if born.year < 1900:
        return f"birth date {value[6:14]} is before 1900"
    if born > date.today():
        return f"birth date {value[6:14]} is in the future"
    if _id_check_char(value[:17]) != value[17]:
        return "check character does not match (GB 11643-1999)"
    return None


def is_valid_id_number(value: str) -> bool:
    return id_number_problem(value) is None


def make_id_number(division: str, birth: date, sequence: int, *, male: bool) -> str:
    """Build a valid identity number; ``sequence`` (0-499) picks the slot, parity is gender.

    Odd sequence numbers are men, even ones women (never ``000``), as GB 11643 prescribes.
    """
    if not (len(division) == 6 and division.isdigit()):
        raise ValueError(f"division must be 6 digits, got {division!r}")
    if not 0 <= sequence <= 498:
        raise ValueError(f"sequence slot must be 0..498, got {sequence}")
    seq = 2 * sequence + 1 if male else 2 * sequence + 2
    first17 = f"{division}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq:03d}"
    return first17 + _id_check_char(first17)


def _org_value(char: str) -> int:
    # GB 11714 values: digits as themselves, letters A=10 .. Z=35.
    if char.isdigit():
        return int(char)
    return ord(char) - ord("A") + 10


def organisation_code_check(body: str) -> str:
    """The GB 11714 check character for an eight-character organisation code body."""
    total = sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def _credit_check_char(first17: str) -> str:
    total = sum(_CREDIT_VALUES[c] * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    c = 31 - total % 31
    return CREDIT_CODE_ALPHABET[0 if c == 31 else c]


def credit_code_problem(value: str, *, divisions: frozenset[str] | None = None) -> str | None:
    """Why ``value`` is not a valid GB 32100-2015 unified social credit code, or ``None``."""
    if len(value) != 18:
        return "must be 18 characters long"
    bad = sorted({c for c in value if c not in _CREDIT_VALUES})
    if bad:
        return f"contains characters outside the GB 32100 alphabet: {''.join(bad)}"
    if not value[2:8].isdigit():
        return "characters 3-8 must be an administrative division code"
    if divisions is not None and value[2:8] not in divisions:
        return f"division code {value[2:8]} is not a known division"
    if organisation_code_check(value[8:16]) != value[16]:
        return "organisation code check character does not match (GB 11714)"
    if _credit_check_char(value[:17]) != value[17]:
        return "check character does not match (GB 32100-2015)"
    return None


def is_valid_credit_code(value: str) -> bool:
    return credit_code_problem(value) is None


def make_credit_code(authority: str, org_type: str, division: str, org_body: str) -> str:
    """Build a valid credit code from its parts; ``org_body`` is the 8-character code body."""
    if len(org_body) != 8 or any(c not in _CREDIT_VALUES for c in org_body):
        raise ValueError(f"organisation code body must be 8 GB 32100 characters: {org_body!r}")
    if len(division) != 6 or not division.isdigit():
        raise ValueError(f"division must be 6 digits, got {division!r}")
    first17 = authority + org_type + division + org_body + organisation_code_check(org_body)
    if any(c not in _CREDIT_VALUES for c in first17):
        raise ValueError(f"credit code parts use characters outside the alphabet: {first17!r}")
    return first17 + _credit_check_char(first17)
