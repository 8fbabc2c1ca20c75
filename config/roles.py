"""The curated permissions of each role (FAB "builtin roles").

Roles live here, in code, rather than in editable database rows: they are reviewed like code,
they cannot drift between servers, and FAB checks them without a database query. Every view
and API declares a resource name (`class_permission_name`) and maps its methods to `can_read`
or `can_write`, so one line here covers a resource's pages and its REST API alike.
"""

from __future__ import annotations

READ = "read"
WRITE = "read|write"


def _resources(grants: dict[str, str]) -> list[list[str]]:
    return [[f"^{name}$", f"^can_({perms})$"] for name, perms in grants.items()]


def _menus(*names: str) -> list[list[str]]:
    return [[f"^({'|'.join(names)})$", "^menu_access$"]]


# Every signed-in user may see and change their own account.
_OWN_ACCOUNT: list[list[str]] = [
    ["^UserDBModelView$", "^can_userinfo$"],
    ["^UserDBModelView$", "^resetmypassword$"],
    ["^ResetMyPasswordView$", "^can_this_form_(get|post)$"],
    ["^UserInfoEditView$", "^can_this_form_(get|post)$"],
    ["^Beranda$", "^can_read$"],
]

KEPEGAWAIAN = "Kepegawaian"
PERUMUS = "Perumus Kebijakan"
PENILAI = "Pejabat Penilai"
PEGAWAI = "Pegawai"
ADMIN = "Admin"

ROLE_NAMES: tuple[str, ...] = (ADMIN, KEPEGAWAIAN, PERUMUS, PENILAI, PEGAWAI)

ROLE_PERMISSIONS: dict[str, list[list[str]]] = {
    ADMIN: [[".*", ".*"]],
    KEPEGAWAIAN: _OWN_ACCOUNT
    + _resources(
        {
            "Unit": WRITE,
            "Position": WRITE,
            "Employee": WRITE,
            "Period": WRITE,
            "UnitResult": WRITE,
            "Indicator": READ,
            "RuleSet": READ,
            "Rating": READ,
            "Evaluation": READ,
            "Skp": READ,
        }
    )
    + _menus(
        "Organisasi",
        "Units",
        "Positions",
        "Employees",
        "Penilaian",
        "Periods",
        "Ratings",
        "Evaluations",
        "Kebijakan",
        "Indicators",
        "RuleSets",
        "RulesGuide",
    ),
    PERUMUS: _OWN_ACCOUNT
    + _resources(
        {
            "Indicator": WRITE,
            "RuleSet": WRITE,
            "Period": READ,
            "Unit": READ,
        }
    )
    + _menus("Kebijakan", "Indicators", "RuleSets", "RulesGuide", "Penilaian", "Periods"),
    PENILAI: _OWN_ACCOUNT
    + _resources(
        {
            "Employee": READ,
            "Period": READ,
            "Rating": WRITE,
            "Evaluation": READ,
            "Skp": WRITE,
        }
    )
    + _menus(
        "Penilaian",
        "Employees",
        "Periods",
        "TeamRatings",
        "MySkp",
        "Ratings",
        "Evaluations",
    ),
    PEGAWAI: _OWN_ACCOUNT
    + _resources({"Period": READ, "Evaluation": READ, "Rating": WRITE, "Skp": WRITE})
    + _menus("Penilaian", "Periods", "TeamRatings", "MySkp", "Evaluations"),
}

# Employees and the public (docs/employees-and-public.md): every ASN has their own dashboard,
# realisation and evidence ("Portal"), appeals and documents; row-level reach is decided in the
# services. Kepegawaian reads every dashboard, decides appeals that have no atasan pejabat
# penilai, exports unit results and imports employees. Public pages need no permission.
_EMPLOYEE_PAGES = _resources({"Portal": WRITE, "Appeal": WRITE, "Report": READ}) + _menus(
    "KinerjaSaya",
    "MyPerformance",
    "HowAssessed",
    "Glossary",
    "Appeals",
    "Laporan",
    "Reports",
    "PublicPage",
)
ROLE_PERMISSIONS[PEGAWAI] += _EMPLOYEE_PAGES
ROLE_PERMISSIONS[PENILAI] += _EMPLOYEE_PAGES
ROLE_PERMISSIONS[KEPEGAWAIAN] += _resources(
    {"Portal": READ, "Appeal": WRITE, "Report": READ, "EmployeeImport": WRITE}
) + _menus(
    "KinerjaSaya",
    "HowAssessed",
    "Glossary",
    "Appeals",
    "Laporan",
    "Reports",
    "EmployeeImport",
    "PublicPage",
)
ROLE_PERMISSIONS[PERUMUS] += _menus("Laporan", "PublicPage")

# Rekan penilai: the pejabat penilai for own subordinates, Kepegawaian for anyone (the service
# decides whose); the "Peers" menu under Penilaian.
ROLE_PERMISSIONS[KEPEGAWAIAN] += _resources({"Peer": WRITE}) + _menus("Peers")
ROLE_PERMISSIONS[PENILAI] += _resources({"Peer": WRITE}) + _menus("Peers")
