"""Every role signs in, opens every menu entry and the pages reachable from them (a bounded
crawl: one page of each address shape); an anonymous visitor opens the login page, the public
pages and the error pages a visitor meets; and every page must read as Indonesian for people:
no Python repr, no dict or list dump, no bare None/True/False, no vocabulary code as text, no
timestamp with microseconds, no English framework message, `lang="id"`, no server error, no
sideways scrolling at 390 px, no serious or critical axe-core violation, and nothing refused by
the Content-Security-Policy nor any script error (test_content_security_policy.py adds the pages
whose scripts work after loading)."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

import pytest

from app.domain.enums import LABELS
from tests.browser.conftest import Watch, screenshot, sign_in, text_of

ROLES = ("admin", "kepegawaian", "perumus", "penilai", "pegawai")
MAX_PAGES = 45  # per role: enough for every menu entry and one page of each kind behind it

SKIP = re.compile(
    r"/logout|/lang/|/delete|/action|/download|/excel|\.xlsx|\.pdf|\.csv|/ekspor|/api/|/swagger"
    r"|/static/|/bukti/\d|/back$|_oc_|psize_|page_|_flt_|/publik/umpan-balik|\.png|\.svg"
)
# The rule-language reference shows the YAML's own codes on purpose (it teaches them).
REFERENCE_PAGES = ("/aturan-panduan/",)
# Codes whose label differs from the code: shown raw, they are internals.
CODES = {code for code, words in LABELS.items() if words.lower() != code.lower()}
ENGLISH_PHRASES = (
    "Not Found",
    "Internal Server Error",
    "Access is Denied",
    "Method Not Allowed",
    "Bad Request",
    "Not a valid",
    "This field is required",
    "No records found",
    "Record Count",
    "Add Filter",
    "Select Value",
    "Personal Info",
    "Audit Info",
    "Too Many Requests",
    "CSRF",
    "Traceback",
    "Lock Version",
)
ENGLISH_WORDS = {
    "Search",
    "Refresh",
    "Save",
    "Back",
    "Edit",
    "Delete",
    "Show",
    "List",
    "Add",
    "Actions",
    "Login",
    "Logout",
    "Name",
    "Permissions",
    "Roles",
    "User",
}
PATTERNS = {
    "Python repr": re.compile(r"<[\w.]+ object at 0x[0-9a-f]+>"),
    "dict dump": re.compile(r"\{'[^']*': |\{\"[^\"]*\": "),
    "list dump": re.compile(r"\['[^']*'(, '[^']*')*\]"),
    "timestamp with microseconds": re.compile(r"\d{2}:\d{2}:\d{2}\.\d{3,6}"),
}

# The texts a person reads: every element's own text, without code listings and editors.
TEXTS_JS = """
() => {
  const skip = "script,style,pre,code,textarea,.CodeMirror,noscript,option";
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest(skip)) continue;
    let own = "";
    for (const node of el.childNodes) if (node.nodeType === 3) own += node.textContent;
    own = own.trim();
    if (own) out.push([el.matches("a.istilah") ? "a.istilah" : el.tagName.toLowerCase(), own]);
  }
  return out;
}
"""


def _shape(url: str) -> str:
    """One address per kind of page: /x/show/12 and /x/show/13 are the same page."""
    parts = urlsplit(url)
    path = re.sub(r"(/unit/)[^/?]+", r"\1X", parts.path)
    return re.sub(r"\d+", "N", path) + (
        "?" + re.sub(r"\d+", "N", parts.query) if parts.query else ""
    )


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
    out = []
    for href in hrefs:
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = href if href.startswith("http") else base + href if href.startswith("/") else None
        if url and url.startswith(base) and not SKIP.search(url):
            out.append(url.split("#")[0])
    return out


def _problems(page, axe) -> list[str]:
    found: list[str] = []
    if page.get_attribute("html", "lang") != "id":
        found.append('no lang="id"')
    headings = page.locator("h1").count()
    if headings != 1:
        found.append(f"{headings} h1 elements")
    texts = page.evaluate(TEXTS_JS)
    whole = "\n".join(text for _tag, text in texts)
    for name, pattern in PATTERNS.items():
        match = pattern.search(whole)
        if match:
            found.append(f"{name}: {match.group(0)[:80]}")
    for phrase in ENGLISH_PHRASES:
        if phrase in whole:
            found.append(f"English: {phrase}")
    for tag, text in texts:
        if text in ("None", "True", "False", "[]", "{}"):
            found.append(f"bare {text} in <{tag}>")
        elif (
            text in CODES
            and tag != "a.istilah"  # a glossary link is the word in a sentence
            and not page.url.split("?")[0].endswith(REFERENCE_PAGES)
        ):
            found.append(f"code {text} in <{tag}>")
        elif text in ENGLISH_WORDS:
            found.append(f"English: {text} in <{tag}>")
    page.set_viewport_size({"width": 390, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 392:
        found.append(f"scrolls sideways at 390 px ({width} px wide)")
    page.set_viewport_size({"width": 1280, "height": 900})
    results = axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            "resultTypes": ["violations"],
        },
    )
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [" ".join(map(str, n.get("target", []))) for n in violation["nodes"][:3]]
            found.append(f"axe {violation['impact']} {violation['id']}: {targets}")
    return sorted(set(found))


@pytest.mark.browser
@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_reads_as_indonesian_for_people(live_server, page, role):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    watch = Watch(page)
    sign_in(page, live_server, role)
    start = page.url
    menu = [
        link
        for link in _links(page, live_server)
        if page.locator(f'.navbar a[href="{urlsplit(link).path}"]').count()
    ]
    queue = deque([(start, 0)] + [(url, 1) for url in menu])
    seen: set[str] = set()
    report: dict[str, list[str]] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        url, depth = queue.popleft()
        shape = _shape(url)
        if shape in seen:
            continue
        seen.add(shape)
        response = page.goto(url)  # waits for the load event; not for idle network (+0.5 s a page)
        visited += 1
        status = response.status if response else 0
        problems = [f"status {status}"] if status >= 500 else []
        if status < 500:
            problems += _problems(page, axe)
        problems += watch.take()
        if problems:
            report[
                urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
            ] = problems
            screenshot(page, f"crawl-{role}-{len(report)}")
        if depth < 2:
            queue.extend((link, depth + 1) for link in _links(page, live_server))
    assert visited >= 3, "the crawl reached too few pages"
    assert not report, "\n".join(f"{path}: {'; '.join(p)}" for path, p in report.items())


def _visit(
    page, axe, watch: Watch, url: str, status: int, report: dict[str, list[str]], name: str
) -> None:
    """Open `url`, expect `status`, and record what reads wrong."""
    response = page.goto(url)
    _check(page, axe, watch, response.status if response else 0, status, report, name)


def _check(
    page, axe, watch: Watch, got: int, status: int, report: dict[str, list[str]], name: str
) -> None:
    problems = [] if got == status else [f"status {got}, not {status}"]
    if got < 500:
        problems += _problems(page, axe)
    problems += watch.take()
    if problems:
        report[name] = problems
        screenshot(page, f"crawl-tamu-{len(report)}")


@pytest.mark.browser
def test_login_public_and_error_pages_read_as_indonesian_for_an_anonymous_visitor(
    live_server, page
):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    watch = Watch(page)
    report: dict[str, list[str]] = {}
    _visit(page, axe, watch, f"{live_server}/login/", 200, report, "/login/")
    _visit(page, axe, watch, f"{live_server}/publik/", 200, report, "/publik/")
    forms = sorted(
        {link for link in _links(page, live_server) if re.search(r"/publik/unit/[^/]+$", link)}
    )
    assert forms, "the public page links no feedback form"
    _visit(page, axe, watch, forms[0], 200, report, "/publik/unit/X (umpan balik)")
    _visit(page, axe, watch, f"{forms[0]}/terima-kasih", 200, report, "/publik/unit/X/terima-kasih")
    _visit(page, axe, watch, f"{live_server}/tidak-ada/", 404, report, "404 /tidak-ada/")
    _visit(page, axe, watch, f"{live_server}/publik/unit/TIDAK-ADA", 404, report, "404 unit")
    # 429: a name that keeps failing to sign in is blocked (the fourth try, through the form)
    for attempt in range(4):
        page.goto(f"{live_server}/login/")
        page.fill("#username", "tamu-penjelajah")
        page.fill("#password", f"bukan-sandi-{attempt}")
        with page.expect_navigation() as navigation:
            page.click("input[type=submit], button[type=submit]")
        page.wait_for_load_state()
    _check(page, axe, watch, navigation.value.status, 429, report, "429 masuk diblokir")
    assert "Terlalu banyak percobaan masuk" in text_of(page)
    # 403 is met only after signing in (a visitor is sent to the login page instead): a
    # pegawai opening the policy officers' rules
    sign_in(page, live_server, "pegawai")
    _visit(page, axe, watch, f"{live_server}/aturan/", 403, report, "403 /aturan/ sebagai pegawai")
    assert not report, "\n".join(f"{path}: {'; '.join(p)}" for path, p in report.items())
