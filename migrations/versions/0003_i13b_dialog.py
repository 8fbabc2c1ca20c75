"""dialog_entry (dialog kinerja and bimbingan kinerja) and skp_expectation (ekspektasi khusus
pimpinan per BerAKHLAK value)

Revision ID: 0003_i13b_dialog
Revises: 0002_i13b_jenjang
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_i13b_dialog"
down_revision = "0002_i13b_jenjang"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dialog_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("author_role", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=True),
        sa.Column("reply_to_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('dialog_kinerja', 'bimbingan_kinerja')", name="ck_dialog_entry_kind"
        ),
        sa.CheckConstraint(
            "author_role IN ('pejabat_penilai', 'pegawai')", name="ck_dialog_entry_author_role"
        ),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["employee_id"], ["employee.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["employee.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["reply_to_id"], ["dialog_entry.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_dialog_entry_thread", "dialog_entry", ["period_id", "employee_id"], unique=False
    )
    op.create_table(
        "skp_expectation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("skp_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["skp_id"], ["skp.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["set_by_id"], ["employee.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("skp_id", "indicator_id", name="uq_skp_expectation_value"),
    )
    op.create_index(
        op.f("ix_skp_expectation_skp_id"), "skp_expectation", ["skp_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_skp_expectation_skp_id"), table_name="skp_expectation")
    op.drop_table("skp_expectation")
    op.drop_index("ix_dialog_entry_thread", table_name="dialog_entry")
    op.drop_table("dialog_entry")
