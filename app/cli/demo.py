"""Demo data: real Aceh SKPA names, about 200 employees in a supervisor tree, a closed period
with results and an open one with most ratings submitted.

Deterministic (seeded), so screenshots and manual tests look the same on every machine. The
logins it creates use DEMO_PASSWORD, which is for demonstration only and is printed by
`kinerja demo --print-logins`; production installations never run this.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.cli import demo_ratings
from app.domain.enums import PeriodState, RulesetStatus
from app.domain.golongan import PNS_PANGKAT, PPPK_GOLONGAN
from app.models import Employee, Period, Position, RuleSetVersion, Unit, UnitResult
from app.models.base import utcnow
from app.services.people import accounts
from config.roles import ADMIN, KEPEGAWAIAN, PEGAWAI, PENILAI, PERUMUS

DEMO_PASSWORD = "Demo-Kinerja-2026"  # passes the password rule (app/services/people/passwords.py)

SKPA: list[tuple[str, str]] = [
    ("DISDIK", "Dinas Pendidikan Aceh"),
    ("DINKES", "Dinas Kesehatan Aceh"),
    ("BKA", "Badan Kepegawaian Aceh"),
    ("BPKA", "Badan Pengelolaan Keuangan Aceh"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang Aceh"),
    ("DINSOS", "Dinas Sosial Aceh"),
]

FIRST_NAMES_M = [
    "Muhammad",
    "Teuku",
    "Zulfikar",
    "Rahmat",
    "Husaini",
    "Maulana",
    "Rizki",
    "Safrizal",
    "Darmawan",
    "Yusri",
    "Khairul",
    "Fadhil",
    "Munawar",
    "Iskandar",
    "Azhari",
    "Bukhari",
    "Irwandi",
    "Marzuki",
    "Nasrullah",
    "Syahrul",
]
FIRST_NAMES_F = [
    "Cut",
    "Nurul",
    "Fitri",
    "Aisyah",
    "Syarifah",
    "Nurhayati",
    "Mardhiah",
    "Rosmawati",
    "Ainul",
    "Zahara",
    "Rahmi",
    "Yuliana",
    "Intan",
    "Salma",
    "Hafsah",
    "Meutia",
]
LAST_NAMES = [
    "Ibrahim",
    "Abdullah",
    "Yusuf",
    "Hasan",
    "Ismail",
    "Daud",
    "Hamzah",
    "Mahmud",
    "Razali",
    "Umar",
    "Usman",
    "Sulaiman",
    "Ahmad",
    "Saputra",
    "Rahman",
    "Nurdin",
    "Jalil",
    "Gade",
    "Puteh",
    "Amin",
]

POSITIONS: list[tuple[str, str]] = [
    ("Kepala Dinas/Badan", "jpt"),
    ("Kepala Bidang", "administrator"),
    ("Kepala Seksi", "pengawas"),
    ("Analis Kebijakan Ahli Muda", "fungsional"),
    ("Pranata Komputer Ahli Pertama", "fungsional"),
    ("Pengadministrasi Perkantoran", "pelaksana"),
    ("Pengelola Data", "pelaksana"),
    ("Operator Layanan Operasional", "pelaksana"),
]

# The jenjang a demo jabatan fungsional carries in its name.
POSITION_JENJANG: dict[str, str] = {
    "Analis Kebijakan Ahli Muda": "ahli_muda",
    "Pranata Komputer Ahli Pertama": "ahli_pertama",
}

BIDANG = ["Perencanaan dan Program", "Pelayanan", "Pembinaan", "Umum dan Kepegawaian"]

LOGINS: list[tuple[str, str, list[str]]] = [
    ("admin", "Administrator sistem", [ADMIN]),
    ("kepegawaian", "Petugas kepegawaian (BKA)", [KEPEGAWAIAN]),
    ("perumus", "Perumus kebijakan", [PERUMUS]),
    ("penilai", "Pejabat penilai (Kepala Seksi)", [PENILAI, PEGAWAI]),
    ("pegawai", "Pegawai (bawahan penilai)", [PEGAWAI]),
]


@dataclass
class DemoReport:
    units: int
    employees: int
    logins: list[str]


class _NipFactory:
    """Valid, unique NIPs with plausible birth and appointment dates."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def make(self, gender: str, senior: bool, status: str) -> str:
        rng = self.rng
        while True:
            birth = date(
                rng.randint(1966, 1978) if senior else rng.randint(1979, 1999),
                rng.randint(1, 12),
                rng.randint(1, 28),
            )
            start = birth.year + rng.randint(22, 30)
            if status == "PPPK":
                middle = f"{max(start, 2021)}21"
            else:
                middle = f"{min(start, 2024)}{rng.randint(1, 12):02d}"
            prefix = f"{birth:%Y%m%d}{middle}{'1' if gender == 'L' else '2'}"
            for sequence in range(1, 1000):
                nip = f"{prefix}{sequence:03d}"
                if nip not in self.used:
                    self.used.add(nip)
                    return nip


def _name(rng: random.Random, gender: str) -> str:
    first = rng.choice(FIRST_NAMES_M if gender == "L" else FIRST_NAMES_F)
    return f"{first} {rng.choice(LAST_NAMES)}"


def is_empty(session: Session) -> bool:
    """Demo data goes only into a database without employees."""
    return not session.scalar(select(func.count()).select_from(Employee))


def load_demo(session: Session, seed: int = 2026) -> DemoReport:
    """Fill an empty database with the demo organisation, period and logins."""
    rng = random.Random(seed)
    nips = _NipFactory(rng)
    positions = {name: Position(name=name, kind=kind) for name, kind in POSITIONS}
    session.add_all(positions.values())
    pns_grades = list(PNS_PANGKAT)

    def employee(unit: Unit, position: str, supervisor: Employee | None, grade: range) -> Employee:
        gender = rng.choice("LP")
        status = "PPPK" if positions[position].kind == "pelaksana" and rng.random() < 0.2 else "PNS"
        golongan = (
            rng.choice(PPPK_GOLONGAN[4:11])
            if status == "PPPK"
            else pns_grades[rng.choice(list(grade))]
        )
        senior = positions[position].kind in ("jpt", "administrator")
        person = Employee(
            nip=nips.make(gender, senior, status),
            name=_name(rng, gender),
            status=status,
            golongan=golongan,
            jenjang=POSITION_JENJANG.get(position),
            position=positions[position],
            unit=unit,
            supervisor=supervisor,
            is_unit_head=supervisor is None,
        )
        session.add(person)
        return person

    count = 0
    first_section_head: Employee | None = None
    first_staff: Employee | None = None
    for code, name in SKPA:
        unit = Unit(code=code, name=name)
        session.add(unit)
        head = employee(unit, "Kepala Dinas/Badan", None, range(14, 16))
        count += 1
        for bidang in BIDANG[:2]:
            sub = Unit(
                code=f"{code}-{bidang[:3].upper()}", name=f"Bidang {bidang} – {name}", parent=unit
            )
            session.add(sub)
            kabid = employee(sub, "Kepala Bidang", head, range(12, 14))
            count += 1
            for _ in range(2):
                kasi = employee(sub, "Kepala Seksi", kabid, range(10, 12))
                count += 1
                first_section_head = first_section_head or kasi
                for _ in range(rng.randint(6, 7)):
                    staff_position = rng.choice(POSITIONS[3:])[0]
                    staff = employee(sub, staff_position, kasi, range(4, 11))
                    count += 1
                    if first_staff is None and kasi is first_section_head:
                        first_staff = staff
    session.flush()

    ruleset = session.scalar(
        select(RuleSetVersion)
        .where(RuleSetVersion.status == RulesetStatus.PUBLISHED)
        .order_by(RuleSetVersion.id.desc())
    )
    previous = Period(
        name="Triwulan III 2026",
        kind="triwulanan",
        start_date=date(2026, 7, 1),
        end_date=date(2026, 9, 30),
        state=PeriodState.DRAFT,
        ruleset_version=ruleset,
    )
    current = Period(
        name="Triwulan IV 2026",
        kind="triwulanan",
        start_date=date(2026, 10, 1),
        end_date=date(2026, 12, 31),
        state=PeriodState.DRAFT,
        ruleset_version=ruleset,
    )
    session.add_all([previous, current])
    session.flush()
    if ruleset is not None:
        for unit in session.scalars(select(Unit).where(Unit.parent_id.is_(None))):
            session.add(UnitResult(period_id=previous.id, unit_id=unit.id, predicate="baik"))
        demo_ratings.rate_period(session, previous, rng)
        previous.state, previous.closed_at = PeriodState.CLOSED, utcnow()
        previous.close_reason = "Data demo"
        skip = {first_staff.id} if first_staff is not None else set()
        demo_ratings.rate_period(session, current, rng, skip=skip)
        current.state = PeriodState.OPEN
    roles = accounts.ensure_roles(session)
    logins = []
    for username, description, role_names in LOGINS:
        user, _ = accounts.ensure_user(
            session,
            username=username,
            password=DEMO_PASSWORD,
            first_name=description,
            last_name="(demo)",
            email=f"{username}@demo.kinerja.local",
            roles=[roles[r] for r in role_names],
        )
        logins.append(username)
        if username == "penilai" and first_section_head is not None:
            first_section_head.user = user
        if username == "pegawai" and first_staff is not None:
            first_staff.user = user
    session.commit()
    return DemoReport(units=len(SKPA), employees=count, logins=logins)


def login_help() -> str:
    """How to sign in to the demo, for the console."""
    lines = [f"Login demo (kata sandi semua akun: {DEMO_PASSWORD} — hanya untuk demo):"]
    lines += [f"  {username:<12} {description}" for username, description, _ in LOGINS]
    return "\n".join(lines)
