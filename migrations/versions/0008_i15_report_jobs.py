"""jobs of kind 'laporan' (every evaluation document of a unit as one ZIP file)

Revision ID: 0008_i15_report_jobs
Revises: 0007_i12_sessions
Create Date: 2026-11-30 07:58:00

"""
from alembic import op


revision = "0008_i15_report_jobs"
down_revision = "0007_i12_sessions"
branch_labels = None
depends_on = None

OLD = "kind IN ('tutup', 'ganti_aturan', 'simulasi', 'impor')"
NEW = "kind IN ('tutup', 'ganti_aturan', 'simulasi', 'impor', 'laporan')"


def _replace(condition: str) -> None:
    with op.batch_alter_table("job") as batch:
        batch.drop_constraint("ck_job_kind", type_="check")
        batch.create_check_constraint("ck_job_kind", condition)


def upgrade():
    _replace(NEW)


def downgrade():
    op.execute("DELETE FROM job WHERE kind = 'laporan'")
    _replace(OLD)
