"""Password rule (OWASP ASVS 5.0 V6.2): length, a list of known passwords, and an estimate of
how guessable the password is. No character-class rules: they push people towards predictable
substitutions, and every character (spaces, any script) is allowed.

The known-password list is zxcvbn's own (30,000 passwords most frequent in public breaches,
shipped inside the `zxcvbn` package) plus `data/common-passwords-id.txt`, the local words an
Aceh government password is likely built from. zxcvbn also judges what the list cannot hold:
keyboard walks, dates, repeats, and words from the app's own context (its name, the province).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import g, has_request_context
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn scores 0-4; 4 means at least 10^10 guesses, which resists an offline attack on a
# stolen hash table. 3 (10^8) still let through "kinerjaaceh2026" and a user's own name + year.
MIN_SCORE = 4
ZXCVBN_MAX = 72  # zxcvbn refuses longer input; characters beyond it only add strength
CONTEXT_WORDS = ("kinerja", "aceh", "asn", "pegawai", "pemerintah", "banda", "bkpsdm", "skpa")
LOCAL_LIST = Path(__file__).with_name("data") / "common-passwords-id.txt"


@lru_cache(maxsize=1)
def known_passwords() -> frozenset[str]:
    """Every shipped known password, lower-cased (read once per process)."""
    local = (
        line.strip().lower()
        for line in LOCAL_LIST.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(local)


def _user_words() -> list[str]:
    """The signed-in user's own names: a password made of them is easy to guess."""
    user = g.get("user") if has_request_context() else None
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return [str(w) for w in (user.username, user.first_name, user.last_name, user.email) if w]


def problem(password: str, user_words: list[str] | None = None) -> str | None:
    """Why this password may not be used (Indonesian), or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Kata sandi minimal {MIN_LENGTH} karakter (spasi dan semua huruf boleh dipakai)."
    if len(password) > MAX_LENGTH:
        return f"Kata sandi paling banyak {MAX_LENGTH} karakter."
    if password.lower() in known_passwords() or password.strip().lower() in known_passwords():
        return (
            "Kata sandi ini ada dalam daftar kata sandi yang umum atau pernah bocor; "
            "pilih yang lain."
        )
    words = [*CONTEXT_WORDS, *(user_words or [])]
    estimate = zxcvbn(password[:ZXCVBN_MAX], user_inputs=words)
    if estimate["score"] < MIN_SCORE:
        return (
            "Kata sandi ini mudah ditebak (misalnya kata umum, nama, tanggal, atau pola "
            "keyboard). Gunakan beberapa kata acak atau kalimat yang panjang."
        )
    return None


def validate_password(password: str) -> None:
    """FAB_PASSWORD_COMPLEXITY_VALIDATOR: raise FAB's validation error, shown under the field
    of every password form (own change, admin reset, new user)."""
    reason = problem(password or "", _user_words())
    if reason is not None:
        raise PasswordComplexityValidationError(reason)
