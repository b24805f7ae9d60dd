"""Check results: the issues found in each translation, kept with it.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_result",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("translation_id", sa.Integer, sa.ForeignKey("translation.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("check_id", sa.String, nullable=False),
        sa.Column("severity", sa.String, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("form", sa.Integer, nullable=False, server_default="0"),
        sa.Column("span_start", sa.Integer, nullable=True),
        sa.Column("span_end", sa.Integer, nullable=True),
        sa.Column("fix", sa.Text, nullable=True),
    )
    op.create_index("ix_check_result_translation_id", "check_result", ["translation_id"])
    op.create_index("ix_check_result_check_id", "check_result", ["check_id"])


def downgrade() -> None:
    op.drop_table("check_result")
