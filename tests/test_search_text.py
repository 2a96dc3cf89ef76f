"""How the search box text is read: numbers, phones, emails and words."""

from __future__ import annotations

import pytest

from agent.search.text import fold, interpret, national_digits, split_words


def test_hash_number_is_the_exact_number_only():
    plan = interpret("#1234", "order number")
    assert (plan.kind, plan.number, plan.phone_prefix, plan.phone_last4) == (
        "number",
        1234,
        None,
        None,
    )
    assert plan.interpretation == "order number 1234"


def test_bare_four_digits_are_number_phone_prefix_and_last_four():
    plan = interpret(" 1234 ", "order number")
    assert (plan.kind, plan.number, plan.phone_prefix, plan.phone_last4) == (
        "digits",
        1234,
        "1234",
        "1234",
    )
    assert plan.interpretation == ("order number 1234, or phone digits 1234…, or phone ending 1234")


def test_short_digits_are_only_a_number():
    plan = interpret("12", "customer id")
    assert (plan.number, plan.phone_prefix, plan.phone_last4) == (12, None, None)
    assert plan.interpretation == "customer id 12"


def test_four_digits_with_a_leading_zero_keep_it_for_last_four():
    plan = interpret("0134")
    assert (plan.number, plan.phone_prefix, plan.phone_last4) == (134, "0134", "0134")


@pytest.mark.parametrize(
    "text",
    [
        "(512) 555-0134",
        "512-555-0134",
        "512.555.0134",
        "+1 512 555 0134",
        "1 (512) 555-0134",
        "001 512 555 0134",
    ],
)
def test_us_phone_formats_read_as_the_same_national_digits(text):
    plan = interpret(text, "order number")
    assert (plan.kind, plan.number, plan.phone_prefix) == ("phone", None, "5125550134")
    assert plan.interpretation == "phone digits 5125550134…"


def test_eleven_bare_digits_with_country_code_one_are_also_the_number():
    plan = interpret("15125550134")
    assert (plan.number, plan.phone_prefix) == (15125550134, "5125550134")


@pytest.mark.parametrize(
    "text", ["+44 20 7946 0958", "020 7946 0958", "0044 20 7946 0958", "+44 (0)20 7946 0958"]
)
def test_uk_phone_formats_drop_country_code_and_trunk_zero(text):
    assert interpret(text).phone_prefix == "2079460958"


def test_short_dotted_phone_is_a_phone_prefix():
    plan = interpret("555.0134")
    assert (plan.kind, plan.phone_prefix, plan.number) == ("phone", "5550134", None)


def test_national_digits_leaves_short_and_us_numbers_alone():
    assert national_digits("4405551234") == "4405551234"
    assert national_digits("0134") == "0134"
    assert national_digits("15125550134") == "5125550134"
    assert national_digits("447946095812") == "7946095812"


def test_at_sign_means_email_prefix_lower_cased():
    plan = interpret("  Zoe.Muller@Exa ")
    assert (plan.kind, plan.email_prefix, plan.words) == ("email", "zoe.muller@exa", ())
    assert plan.interpretation == "email starting zoe.muller@exa"


def test_words_are_folded_deduplicated_and_all_prefixes():
    plan = interpret("Zoë  MÜLLER zoe")
    assert plan.kind == "words"
    assert plan.words == ("zoe", "muller")
    assert plan.fts_query() == '"zoe"* "muller"*'
    assert plan.interpretation == "name or email words starting “zoe…”, “muller…”"


def test_words_split_like_unicode61_on_punctuation_and_underscore():
    assert split_words("o'brien-smith_jr. #12 x") == ["o", "brien", "smith", "jr", "12", "x"]
    assert interpret("o'brien").words == ("o", "brien")


def test_decomposed_accents_join_their_letter():
    assert split_words("Zoe\u0308 Mu\u0308ller") == ["Zoë", "Müller"]
    assert fold("Núñez") == "nunez"


def test_quotes_and_operators_cannot_reach_the_fts_query():
    plan = interpret('"zoe" OR NEAR(x) *')
    assert plan.fts_query() == '"zoe"* "or"* "near"* "x"*'


def test_punctuation_only_is_nothing_searchable():
    plan = interpret("?!--")
    assert (plan.kind, plan.fts_query()) == ("nothing", None)


def test_empty_text_is_no_constraint():
    assert interpret("   ").kind == "empty"


def test_word_count_is_bounded():
    assert len(interpret(" ".join(f"w{i}" for i in range(20))).words) == 8


def test_overlong_numbers_are_not_numbers():
    assert interpret("#" + "9" * 16).kind == "nothing"
    plan = interpret("1" * 16)
    assert plan.number is None and plan.phone_prefix == "1" * 16
