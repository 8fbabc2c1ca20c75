"""The engine keeps its own copy of the input vocabularies (it imports nothing from the app);
the database, the forms and the import use app/domain/enums.py. The two must never disagree."""

from app.domain import enums
from app.engine import model


def test_engine_and_domain_vocabularies_agree():
    assert model.JENJANG == enums.JENJANG
    assert model.JABATAN_KINDS == enums.JABATAN_KINDS
    assert model.PERIOD_KINDS == enums.PERIOD_KINDS
    assert model.EMPLOYEE_STATUSES == enums.EMPLOYEE_STATUSES


def test_every_jenjang_has_an_indonesian_label():
    assert all(enums.label(j) != j for j in enums.JENJANG)
