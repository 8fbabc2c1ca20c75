"""Who is acting: a user's roles and, when the user is an ASN, the employee record."""

from __future__ import annotations

from dataclasses import dataclass, field

from config.roles import ADMIN, KEPEGAWAIAN, PEGAWAI, PENILAI, PERUMUS


@dataclass(frozen=True)
class Actor:
    """The identity a use case checks permissions against."""

    user_id: int | None
    username: str
    roles: frozenset[str] = field(default_factory=frozenset)
    employee_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.roles

    @property
    def is_hr(self) -> bool:
        """Kepegawaian (or Admin): sees and manages every employee."""
        return bool({ADMIN, KEPEGAWAIAN} & self.roles)

    @property
    def is_policy_officer(self) -> bool:
        return bool({ADMIN, PERUMUS} & self.roles)

    @property
    def is_supervisor(self) -> bool:
        return PENILAI in self.roles

    @property
    def is_employee(self) -> bool:
        return PEGAWAI in self.roles


SYSTEM = Actor(user_id=None, username="system", roles=frozenset({ADMIN}))
