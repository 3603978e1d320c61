"""The one rule for cells of every CSV/XLSX download (core/spreadsheets.py)."""

import datetime
from decimal import Decimal

import pytest

from varig.core.spreadsheets import csv_cell, csv_row, inert, xlsx_cell

FORMULAS = ['=HYPERLINK("http://x.example","klik")', "+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert inert(text) == "'" + text
    assert csv_cell(text) == "'" + text
    assert xlsx_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Anna", "", "a=b", "1-2", " =1", "'=1"])
def test_other_text_is_left_alone(text):
    assert csv_cell(text) == text
    assert xlsx_cell(text) == text


def test_numbers_stay_numbers_negative_ones_too():
    assert csv_row([-2, -0.5, Decimal("-7.25"), 0.0, 1 / 3, 12]) == [
        "-2",
        "-0.5",
        "-7.25",
        "0",
        "0.3333",
        "12",
    ]
    for value in (-2, -0.5, Decimal("-7.25")):
        assert xlsx_cell(value) == value


def test_dates_none_and_lazy_text():
    from django.utils.functional import lazystr

    day, moment = datetime.date(2026, 3, 1), datetime.datetime(2026, 3, 1, 9, 5, 30)
    assert csv_row([None, day, moment]) == ["", "2026-03-01", "2026-03-01 09:05"]
    assert xlsx_cell(None) is None and xlsx_cell(day) == day and xlsx_cell(moment) == moment
    # A lazy string (a translation) is text too, though not a str.
    assert csv_cell(lazystr("=x")) == "'=x" and xlsx_cell(lazystr("@x")) == "'@x"


def test_a_workbook_cannot_hold_control_characters_they_are_dropped_before_the_check():
    assert xlsx_cell("\x00=1") == "'=1"
    assert xlsx_cell("a\x07b") == "ab"
