"""Each demo role against each page over HTTP: allowed pages answer, the rest are refused."""

import re

import pytest
from sqlalchemy import select

from tests.conftest import login

PAGES = {
    "unit": "/unitmodelview/list/",
    "position": "/positionmodelview/list/",
    "employee": "/employeemodelview/list/",
    "employee_add": "/employeemodelview/add",
    "period": "/periode/",
    "period_add": "/periode/tambah",
    "rating": "/ratingmodelview/list/?_flt_0_period=1",  # unfiltered: the default period
    "evaluation": "/evaluationmodelview/list/",
    "indicator": "/indicatormodelview/list/",
    "indicator_add": "/indicatormodelview/add",
    "ruleset": "/aturan/",
    "audit": "/auditlogmodelview/list/",
    "users": "/users/list/",
    "team": "/penilaian/tim/",
}

ALLOWED = {
    "admin": set(PAGES),
    "kepegawaian": {
        "unit",
        "position",
        "employee",
        "employee_add",
        "period",
        "period_add",
        "rating",
        "evaluation",
        "indicator",
        "ruleset",
        "team",
    },
    "perumus": {"unit", "period", "indicator", "indicator_add", "ruleset"},
    "penilai": {"employee", "period", "rating", "evaluation", "team"},
    "pegawai": {"period", "evaluation", "rating", "team"},
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_each_role_reaches_exactly_its_pages(demo_app, role):
    client = demo_app.test_client()
    login(client, role)
    seen = {}
    for page, url in PAGES.items():
        seen[page] = client.get(url).status_code
    allowed = {page for page, status in seen.items() if status == 200}
    refused = {page for page, status in seen.items() if status in (302, 403)}
    assert allowed == ALLOWED[role], seen
    assert refused == set(PAGES) - ALLOWED[role], seen


def test_anonymous_is_sent_to_login(demo_app):
    client = demo_app.test_client()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for url in PAGES.values():
        assert client.get(url).status_code in (302, 401, 403)


def test_login_page_is_indonesian_by_default(demo_app):
    html = demo_app.test_client().get("/login/").get_data(as_text=True)
    assert "Nama pengguna" in html and "Kata sandi" in html


def test_english_stays_selectable(demo_app):
    client = demo_app.test_client()
    client.get("/lang/en")
    assert "Username" in client.get("/login/").get_data(as_text=True)


def _employee_ids(html: str) -> set[str]:
    return set(re.findall(r"/employeemodelview/show/(\d+)", html))


def test_supervisor_lists_only_self_and_own_subordinates(demo_app):
    from app.extensions import db
    from app.models import Employee

    with demo_app.app_context():
        me = db.session.query(Employee).filter(Employee.user.has(username="penilai")).one()
        ids = {me.id} | {s.id for s in me.subordinates}
        foreign = db.session.query(Employee).filter(Employee.id.notin_(ids)).first().id
        expected = {str(i) for i in ids}
    client = demo_app.test_client()
    login(client, "penilai")
    assert (
        _employee_ids(
            client.get("/employeemodelview/list/?psize_EmployeeModelView=100").get_data(
                as_text=True
            )
        )
        == expected
    )
    assert client.get(f"/employeemodelview/show/{foreign}").status_code == 404


def test_no_page_loads_assets_from_the_internet(demo_app):
    client = demo_app.test_client()
    login(client, "admin")
    for url in ["/", *PAGES.values(), "/login/"]:
        html = client.get(url).get_data(as_text=True)
        external = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html)
        assert external == [], (url, external)


def test_employee_list_filters_by_unit_and_jabatan(demo_app):
    """The unit and jabatan filters are server-side pickers: the page embeds no unit at all,
    only the one already chosen; a chosen unit or jabatan narrows the list to exactly its
    employees."""
    from markupsafe import escape

    from app.extensions import db
    from app.models import Employee, Unit

    with demo_app.app_context():
        staffed = db.session.scalars(select(Employee.unit_id).distinct()).all()
        unit = db.session.get(Unit, min(staffed))
        members = {
            column: {
                str(i): {
                    str(e)
                    for e in db.session.scalars(
                        select(Employee.id).where(getattr(Employee, f"{column}_id") == i)
                    )
                }
                for i in db.session.scalars(select(getattr(Employee, f"{column}_id")).distinct())
            }
            for column in ("unit", "position")
        }
    client = demo_app.test_client()
    login(client, "kepegawaian")
    page = client.get("/employeemodelview/list/").get_data(as_text=True)
    # the search widget carries each filter's field as JSON for its script
    page = page.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')
    assert f'<option value="{unit.id}">' not in page
    assert "kinerja-typeahead" in page
    assert not re.search(r">\s*None\s*<", page)  # no supervisor: a dash, not Python's None
    chosen = client.get(f"/employeemodelview/list/?_flt_0_unit={unit.id}").get_data(as_text=True)
    chosen = chosen.replace("\\u003c", "<").replace("\\u003e", ">").replace('\\"', '"')
    assert f'<option value="{unit.id}">{escape(unit.name)}</option>' in chosen
    for column, groups in members.items():
        for value, expected in list(groups.items())[:3]:
            html = client.get(
                f"/employeemodelview/list/?_flt_0_{column}={value}&psize_EmployeeModelView=100"
            ).get_data(as_text=True)
            assert _employee_ids(html) == expected, (column, value)
