"""sign-in state: session revocation epoch, forced password change, login throttle, sessions

Revision ID: 0007_i12_sessions
Revises: 0006_i12b_audit_items
Create Date: 2026-11-30 07:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0007_i12_sessions"
down_revision = "0006_i12b_audit_items"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "account_security",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "login_throttle",
        sa.Column("name_key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name_key"),
    )
    op.create_index("ix_login_throttle_last_failure_at", "login_throttle", ["last_failure_at"])
    op.create_table(
        "http_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("expiry", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id"),
    )
    op.create_index("ix_http_session_expiry", "http_session", ["expiry"])


def downgrade():
    op.drop_index("ix_http_session_expiry", table_name="http_session")
    op.drop_table("http_session")
    op.drop_index("ix_login_throttle_last_failure_at", table_name="login_throttle")
    op.drop_table("login_throttle")
    op.drop_table("account_security")
