"""employee.jenjang: the jenjang of a jabatan fungsional (angka kredit coefficient)

Revision ID: 0002_i13b_jenjang
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_i13b_jenjang"
down_revision = "0001"
branch_labels = None
depends_on = None

JENJANG = ("pemula", "terampil", "mahir", "penyelia",
           "ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama")


def upgrade():
    quoted = ", ".join(f"'{value}'" for value in JENJANG)
    with op.batch_alter_table("employee", schema=None) as batch_op:
        batch_op.add_column(sa.Column("jenjang", sa.String(length=16), nullable=True))
        batch_op.create_check_constraint("ck_employee_jenjang", f"jenjang IN ({quoted})")


def downgrade():
    with op.batch_alter_table("employee", schema=None) as batch_op:
        batch_op.drop_constraint("ck_employee_jenjang", type_="check")
        batch_op.drop_column("jenjang")
