"""Identity numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

from datetime import date

import pytest

from subgraphs.common.identifiers import (
    credit_code_problem,
    id_number_problem,
    is_valid_credit_code,
    is_valid_id_number,
    make_credit_code,
    make_id_number,
    organisation_code_check,
)


def test_the_standards_own_example_identity_number_is_valid() -> None:
    # 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 x weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    # = 167; 167 mod 11 = 2; "10X98765432"[2] = "X"
    assert id_number_problem("11010519491231002X") is None


def test_a_tieling_identity_number_is_built_with_its_hand_computed_check_digit() -> None:
    # 2 1 1 2 0 2 1 9 8 0 0 1 0 1 0 0 1 weighted = 126; 126 mod 11 = 5 -> "7"
    assert make_id_number("211202", date(1980, 1, 1), 0, male=True) == "211202198001010017"


def test_sequence_parity_encodes_gender() -> None:
    man = make_id_number("211224", date(1990, 5, 17), 10, male=True)
    woman = make_id_number("211224", date(1990, 5, 17), 10, male=False)
    assert int(man[14:17]) % 2 == 1 and int(woman[14:17]) % 2 == 0
    assert is_valid_id_number(man) and is_valid_id_number(woman)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("21120219800101001", "must be 18 characters long"),
        ("2112021980010100A7", "must be 17 digits followed by a digit or X"),
        ("211202198002300017", "birth date 19800230 is not a real date"),
        ("211202198001010018", "check character does not match (GB 11643-1999)"),
        ("21120219800101001x", "must be 17 digits followed by a digit or X"),
    ],
)
def test_invalid_identity_numbers_name_the_broken_rule(value: str, problem: str) -> None:
    assert id_number_problem(value) == problem


def test_an_identity_number_born_in_the_future_is_refused() -> None:
    future = make_id_number("211202", date(2999, 1, 1), 0, male=True)
    assert id_number_problem(future) == "birth date 29990101 is in the future"


def test_an_identity_number_outside_the_allowed_divisions_is_refused() -> None:
    assert id_number_problem("11010519491231002X", divisions=frozenset({"211202"})) == (
        "division code 110105 is not a known division"
    )


def test_organisation_code_check_characters_follow_gb_11714() -> None:
    # 1*3 + 2*7 + 3*9 + 4*10 + 5*5 + 6*8 + 7*4 + 8*2 = 201; 201 mod 11 = 3; 11 - 3 = 8
    assert organisation_code_check("12345678") == "8"
    # M=22, A=10: 22*3 + 10*7 = 136; 136 mod 11 = 4; 11 - 4 = 7
    assert organisation_code_check("MA000000") == "7"
    # 6*2 = 12; 12 mod 11 = 1; 11 - 1 = 10 -> "X"
    assert organisation_code_check("00000006") == "X"
    # 0 mod 11 = 0; 11 - 0 = 11 -> "0"
    assert organisation_code_check("00000000") == "0"


def test_a_credit_code_is_built_with_its_hand_computed_check_character() -> None:
    # 9 1 2 1 1 2 0 2 1 2 3 4 5 6 7 8 8 x weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
    # = 1085 = 35 * 31, so 31 - 0 = 31, which means "0"
    assert make_credit_code("9", "1", "211202", "12345678") == "912112021234567880"
    assert credit_code_problem("912112021234567880") is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("91211202123456788", "must be 18 characters long"),
        ("9121120212345678I0", "contains characters outside the GB 32100 alphabet: I"),
        ("912112021234567870", "organisation code check character does not match (GB 11714)"),
        ("912112021234567881", "check character does not match (GB 32100-2015)"),
        ("9121A202123456788X", "characters 3-8 must be an administrative division code"),
    ],
)
def test_invalid_credit_codes_name_the_broken_rule(value: str, problem: str) -> None:
    assert credit_code_problem(value) == problem


def test_generated_credit_codes_with_letters_are_valid() -> None:
    code = make_credit_code("9", "2", "211282", "MA0QH7R4")
    assert is_valid_credit_code(code)
    assert code.startswith("92211282MA0QH7R4")
