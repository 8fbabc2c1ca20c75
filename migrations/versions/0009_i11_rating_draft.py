"""rating_draft: a rater's unsaved rating form values, kept while typing

Revision ID: 0009_i11_rating_draft
Revises: 0008_i15_report_jobs
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_i11_rating_draft"
down_revision = "0008_i15_report_jobs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rating_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("ratee_id", sa.Integer(), nullable=False),
        sa.Column("rater_id", sa.Integer(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["ratee_id"], ["employee.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["rater_id"], ["employee.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period_id", "ratee_id", "rater_id", name="uq_rating_draft"),
    )


def downgrade():
    op.drop_table("rating_draft")
