"""The engine reads its input vocabulary from app/domain/enums.py, the module the database,
the forms and the import use; it ranks predikat lowest first, the domain lists them best first."""

from app.domain import enums
from app.engine import model


def test_the_engine_uses_the_domain_vocabularies():
    assert model.JENJANG is enums.JENJANG
    assert model.JABATAN_KINDS is enums.JABATAN_KINDS
    assert model.PERIOD_KINDS is enums.PERIOD_KINDS
    assert model.EMPLOYEE_STATUSES is enums.EMPLOYEE_STATUSES
    assert model.RATER_KINDS is enums.RATER_KINDS
    assert model.PREDICATES == tuple(reversed(enums.PREDICATES))
    assert model.PREDICATES[0] == "sangat_kurang" and model.PREDICATES[-1] == "sangat_baik"
    assert model.ORGANISATION_PREDICATES == tuple(reversed(enums.ORGANISATION_PREDICATES))


def test_every_jenjang_has_an_indonesian_label():
    assert all(enums.label(j) != j for j in enums.JENJANG)
