"""Translation memory entries imported from TMX files (approved translations are read live).

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tm_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_language", sa.String, nullable=False),
        sa.Column("target_language", sa.String, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("key", sa.String, nullable=True),
        sa.Column("origin", sa.String, nullable=False, server_default="tmx"),
        sa.Column("author", sa.String, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("digest", sa.String(64), nullable=False),
    )
    op.create_index("ix_tm_entry_digest", "tm_entry", ["digest"], unique=True)
    op.create_index("ix_tm_entry_languages", "tm_entry", ["source_language", "target_language"])


def downgrade() -> None:
    op.drop_table("tm_entry")
