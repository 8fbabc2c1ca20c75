"""The password rule (ASVS 5.0 V6.2): length 12-128, every character allowed, refused when
known from breaches or common lists, or judged guessable by zxcvbn; messages in Indonesian."""

import pytest

from app.services.people.passwords import MAX_LENGTH, known_passwords, problem


@pytest.mark.parametrize(
    "password",
    [
        "Demo-Kinerja-2026",  # the README's demo password passes the rule as it is
        "kopi sanger di pagi hari",  # spaces allowed; a passphrase
        "Ümlaut-und-Ñandú-2026",  # any script
        "😀 ulee lheue saat senja",  # emoji
        "x7#Qp!2v@Lm9",  # exactly 12 random characters
        "a" * 20 + "Zq9!vT3#kLp0",  # long and not only repetition
        "w" + "9Kq!tr7Vb2#xL" * 9,  # 118 characters
    ],
)
def test_accepted(password):
    assert problem(password) is None


@pytest.mark.parametrize(
    ("password", "words"),
    [
        ("pendek-1A!", "minimal 12 karakter"),
        ("Ab1!Ab1!Ab1", "minimal 12 karakter"),  # 11 characters
        ("x" * (MAX_LENGTH + 1), "paling banyak 128"),
        ("bismillah123456", "umum atau pernah bocor"),  # the local list
        ("BandaAceh2026", "umum atau pernah bocor"),  # case does not help
        ("qwertyuiop123", "umum atau pernah bocor"),
        ("zxcvbnmasdfghjkl", "mudah ditebak"),  # keyboard walk
        ("aaaaaaaaaaaaaaaa", "mudah ditebak"),  # repetition
        ("kinerjaaceh2026", "mudah ditebak"),  # the app's own context
        ("password12345678", "mudah ditebak"),
    ],
)
def test_refused_with_an_indonesian_reason(password, words):
    assert words in (problem(password) or "")


def test_user_names_count_as_guessable():
    assert problem("teukuzulfikar1990", ["teuku", "zulfikar"]) is not None


def test_the_shipped_list_is_the_breach_list_plus_local_words():
    known = known_passwords()
    assert len(known) > 30_000
    assert {"password", "bismillah123", "bandaaceh2026"} <= known
