"""audit entries: the object's label and the other rows of the same action

Revision ID: 0006_i12b_audit_items
Revises: 0005_i15_jobs
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_i12b_audit_items"
down_revision = "0005_i15_jobs"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("object_label", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("items", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("item_count", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("item_count")
        batch.drop_column("items")
        batch.drop_column("object_label")
