"""ruleset versions: the second policy officer who approved a draft, and when

Revision ID: 0010_i14a_ruleset_approval
Revises: 0009_i11_rating_draft
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_i14a_ruleset_approval"
down_revision = "0009_i11_rating_draft"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("ruleset_version") as batch:
        batch.add_column(sa.Column("approved_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("approved_at", sa.DateTime(), nullable=True))
        batch.create_foreign_key(
            "fk_ruleset_version_approved_by", "ab_user", ["approved_by_id"], ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("ruleset_version") as batch:
        batch.drop_constraint("fk_ruleset_version_approved_by", type_="foreignkey")
        batch.drop_column("approved_at")
        batch.drop_column("approved_by_id")
