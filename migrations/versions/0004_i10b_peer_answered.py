"""peer assignments remember when the peer answered

The progress of a period counts answered peer requests for a whole province; a timestamp on
the assignment makes that a plain count instead of a lookup into the ratings per assignment.
Existing answers (submitted peer ratings) are carried over.

Revision ID: 0004_i10b_peer_answered
Revises: 0003_i13b_dialog
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_i10b_peer_answered"
down_revision = "0003_i13b_dialog"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("peer_assignment") as batch:
        batch.add_column(sa.Column("answered_at", sa.DateTime(), nullable=True))
    op.execute(
        """
        UPDATE peer_assignment SET answered_at = (
            SELECT MAX(rating.updated_at) FROM rating
            WHERE rating.period_id = peer_assignment.period_id
              AND rating.ratee_id = peer_assignment.ratee_id
              AND rating.rater_id = peer_assignment.peer_id
              AND rating.rater_kind = 'peer' AND rating.state = 'submitted')
        """
    )


def downgrade():
    with op.batch_alter_table("peer_assignment") as batch:
        batch.drop_column("answered_at")
