"""Typed text as Kibo terms: the forms a phone is written in, words, case forms."""

from __future__ import annotations

import pytest

from agent.backends.kibo.search_text import (
    case_forms,
    national_part,
    phone_forms,
    quick_search,
    typed_words,
)


@pytest.mark.parametrize(
    ("digits", "typed", "forms"),
    [
        ("0134", "0134", ["0134"]),  # four digits: as they are, anywhere in the phone
        (
            "5125550134",
            "5125550134",
            ["(512) 555-0134", "512-555-0134", "512.555.0134", "512 555 0134", "5125550134"],
        ),
        (
            "5125550134",
            "+1 (512) 555-0134",
            [
                "(512) 555-0134",
                "512-555-0134",
                "512.555.0134",
                "512 555 0134",
                "5125550134",
            ],
        ),
        ("512555", "512555", ["(512) 555", "512-555", "512.555", "512 555", "512555"]),
        (
            "5550199",
            "555-0199",
            [
                "555-0199",  # as typed
                "(555) 019-9",  # the first seven of a ten-digit number
                "555-019-9",
                "555.019.9",
                "555 019 9",
                "5550199",
                "555.0199",  # a seven-digit local number
                "555 0199",
            ],
        ),
        (
            "2079460958",
            "+44 20 7946 0958",
            ["20 7946 0958", "(207) 946-0958", "207-946-0958", "207.946.0958", "207 946 0958"],
        ),
    ],
)
def test_phone_forms(digits: str, typed: str, forms: list[str]) -> None:
    assert phone_forms(digits, typed)[: len(forms)] == forms


def test_the_national_part_drops_the_country_code_and_trunk_zero() -> None:
    assert national_part("+44 20 7946 0958") == "20 7946 0958"
    assert national_part("0044 20 7946 0958") == "20 7946 0958"
    assert national_part("020 7946 0958") == "20 7946 0958"
    assert national_part("(512) 555-0134") == "(512) 555-0134"


def test_words_keep_their_accents_and_become_prefixes() -> None:
    assert typed_words("  Ana  NÚÑEZ ana ") == ["ana", "núñez"]
    assert quick_search(["ana", "núñez"]) == "ana* núñez*"
    assert typed_words("*** --") == []


def test_case_forms() -> None:
    assert case_forms("smi") == ["smi", "Smi"]
    assert case_forms("SMI") == ["SMI", "smi", "Smi"]
    assert case_forms("Ana.Nunez@", name=False) == ["Ana.Nunez@", "ana.nunez@"]
