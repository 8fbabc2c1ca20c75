"""A real OpenLDAP server (Debian's `slapd`) on a free local port, with a fixture directory:
people with a NIP in `employeeNumber`, groups that map to Kinerja roles, `memberOf` kept by
slapd's memberof overlay as Active Directory keeps it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

BASE = "dc=acehprov,dc=go,dc=id"
ADMIN_DN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "rahasia-direktori"
GROUPS = f"ou=groups,{BASE}"
PEOPLE = f"ou=people,{BASE}"
SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"


def missing_reason() -> str | None:
    """Why LDAP tests cannot run here, or None."""
    if not Path(SLAPD).exists():
        return "slapd tidak terpasang (apt-get install slapd ldap-utils)"
    if shutil.which("ldapadd") is None:
        return "ldapadd tidak terpasang (apt-get install ldap-utils)"
    try:
        import ldap  # noqa: F401
    except ImportError:
        return "python-ldap tidak terpasang (butuh libldap2-dev dan libsasl2-dev)"
    return None


def require_directory() -> None:
    """Skip when slapd or python-ldap is missing (a laptop); on CI (`CI=true`) that fails."""
    reason = missing_reason()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _person(uid: str, name: str, nip: str, password: str) -> str:
    return (
        f"dn: uid={uid},{PEOPLE}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\n"
        f"sn: {name.split()[-1]}\ngivenName: {name.split()[0]}\nmail: {uid}@acehprov.go.id\n"
        f"employeeNumber: {nip}\nuserPassword: {password}\n"
    )


def _group(cn: str, members: list[str]) -> str:
    lines = "".join(f"member: uid={m},{PEOPLE}\n" for m in members)
    return f"dn: cn={cn},{GROUPS}\nobjectClass: groupOfNames\ncn: {cn}\n{lines}"


@contextmanager
def running_directory(
    tmp: Path, people: list[tuple[str, str, str, str]], groups: dict[str, list[str]]
) -> Iterator[str]:
    """Start slapd with `people` (uid, name, NIP, password) and `groups` (cn -> uids); yield
    its ldap:// URL; stop it afterwards."""
    data = tmp / "data"
    data.mkdir(parents=True)
    conf = tmp / "slapd.conf"
    conf.write_text(
        "include /etc/ldap/schema/core.schema\n"
        "include /etc/ldap/schema/cosine.schema\n"
        "include /etc/ldap/schema/inetorgperson.schema\n"
        "modulepath /usr/lib/ldap\nmoduleload back_mdb\nmoduleload memberof\n"
        f"pidfile {tmp / 'slapd.pid'}\n"
        f'database mdb\nsuffix "{BASE}"\nrootdn "{ADMIN_DN}"\nrootpw {ADMIN_PASSWORD}\n'
        f"directory {data}\nmaxsize 10485760\noverlay memberof\n"
    )
    url = f"ldap://127.0.0.1:{_free_port()}"
    server = subprocess.Popen(
        [SLAPD, "-f", str(conf), "-h", url, "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait(url, server)
        entries = [
            f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\n"
            "dc: acehprov\no: Aceh\n",
            f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n",
            f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups\n",
            *(_person(*p) for p in people),
            *(_group(cn, members) for cn, members in groups.items()),
        ]
        subprocess.run(
            ["ldapadd", "-x", "-H", url, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD],
            input="\n".join(entries),
            text=True,
            check=True,
            capture_output=True,
        )
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait(url: str, server: subprocess.Popen) -> None:
    import ldap

    deadline = time.monotonic() + 15
    while True:
        if server.poll() is not None:
            reason = server.stderr.read().decode() if server.stderr else ""
            raise RuntimeError(f"slapd stopped: {reason}")
        try:
            conn = ldap.initialize(url)
            conn.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
            conn.unbind_s()
            return
        except ldap.SERVER_DOWN:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
