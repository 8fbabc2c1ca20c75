"""Password rule: length plus a list of well-known passwords (OWASP ASVS 2.1), not character
classes, which push people towards predictable substitutions."""

from __future__ import annotations

from flask_appbuilder.exceptions import PasswordComplexityValidationError

MIN_LENGTH = 10

COMMON_PASSWORDS = frozenset(
    """
    password password1 password123 passw0rd p@ssw0rd p@ssword 123456789 1234567890 12345678910
    qwertyuiop qwerty123 qwerty1234 iloveyou123 admin12345 administrator letmein123 welcome123
    1q2w3e4r5t 1qaz2wsx3edc abcdefghij abc1234567 0987654321 1111111111 0000000000 aaaaaaaaaa
    indonesia1 indonesia123 bismillah bismillah1 bismillah123 rahasia123 rahasiaku sayangku123
    banda aceh bandaaceh1 bandaaceh123 kinerja123 pegawai123 asnaceh123 katasandi1 katasandi123
    """.split()
)


def validate_password(password: str) -> None:
    """Raise FAB's validation error (shown in the form) when the password is too weak."""
    if len(password) < MIN_LENGTH:
        raise PasswordComplexityValidationError(
            f"Kata sandi minimal {MIN_LENGTH} karakter."
        )
    if password.lower() in COMMON_PASSWORDS:
        raise PasswordComplexityValidationError(
            "Kata sandi ini terlalu umum dan mudah ditebak; pilih yang lain."
        )
