"""NIP parsing and the golongan lists (domain.md §12.7, §13)."""

from datetime import date

import pytest

from app.domain.golongan import golongan_error
from app.domain.nip import NipError, nip_error, parse_nip


@pytest.mark.parametrize(
    ("nip", "birth", "year", "month", "gender", "sequence"),
    [
        ("198609262015051001", date(1986, 9, 26), 2015, 5, "L", 1),
        ("198012302010012005", date(1980, 12, 30), 2010, 1, "P", 5),
        ("196804111993031009", date(1968, 4, 11), 1993, 3, "L", 9),
    ],
)
def test_worked_examples_parse(nip, birth, year, month, gender, sequence):
    parsed = parse_nip(nip)
    assert (parsed.birth_date, parsed.appointment_year, parsed.appointment_month) == (
        birth,
        year,
        month,
    )
    assert (parsed.gender, parsed.sequence) == (gender, sequence)


def test_display_groups_the_digits():
    assert parse_nip("198609262015051001").display == "19860926 201505 1 001"


def test_spaces_are_ignored():
    assert parse_nip("19860926 201505 1 001").value == "198609262015051001"


@pytest.mark.parametrize(
    ("nip", "fragment"),
    [
        ("12345", "18 angka"),
        ("19860926201505100A", "18 angka"),
        ("198602302015051001", "Tanggal lahir"),  # 30 February
        ("198609262015131001", "bukan bulan"),  # month 13
        ("198609262015053001", "jenis kelamin"),
        ("198609262015051000", "dimulai dari 001"),
        ("198609262000051001", "18 tahun"),  # appointed at 13
        ("200001012017121001", "18 tahun"),  # appointed at 17 years 11 months
    ],
)
def test_impossible_nips_are_refused_in_indonesian(nip, fragment):
    with pytest.raises(NipError, match=fragment):
        parse_nip(nip)


def test_appointment_on_the_eighteenth_birthday_month_is_accepted():
    assert nip_error("200001012018011001") is None


def test_pppk_number_keeps_its_own_middle_code():
    parsed = parse_nip("199009132025242014", status="PPPK")
    assert parsed.appointment_year == 2025
    assert parsed.appointment_month is None
    assert parsed.gender == "P"
    assert nip_error("199009132025242014", status="PNS") is not None


@pytest.mark.parametrize(
    ("status", "golongan", "ok"),
    [
        ("PNS", "III/a", True),
        ("PNS", "IV/e", True),
        ("PNS", "IV/f", False),
        ("PNS", "IX", False),
        ("PPPK", "IX", True),
        ("PPPK", "XVII", True),
        ("PPPK", "XVIII", False),
        ("PPPK", "III/a", False),
        ("Honorer", "I", False),
    ],
)
def test_golongan_lists(status, golongan, ok):
    assert (golongan_error(status, golongan) is None) is ok
