"""The claim verifier: numbers compared as written (after unicode and spacing), never by value."""

from __future__ import annotations

import pytest

from assistant.verify import normalise, quantities


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("a loading dose of 4 mg/kg IV", ["4 mg/kg"]),
        ("in up to 20–40% of cases", ["20-40 %"]),  # an en dash
        ("in up to 20 to 40 % of cases", ["20-40 %"]),
        ("every three weeks", ["3 week"]),  # a number word
        ("1 month, against 12 months", ["1 month", "12 month"]),
        ("≥1 earlier regimen", ["1"]),
        ("HER2-positive, stage IV", []),
    ],
)
def test_numbers_are_read_with_their_units(text, found):
    assert [str(q) for q in quantities(normalise(text))] == found


def test_value_is_not_normalised_away():
    assert [str(q) for q in quantities(normalise("4.0 mg/kg"))] == ["4.0 mg/kg"]  # not "4 mg/kg": as written
