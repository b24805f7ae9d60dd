"""The first tables: resources, units, translations, history, users, roles, file states.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resource",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("module", sa.String, nullable=False),
        sa.Column("path", sa.String, nullable=False),
        sa.Column("meta", sa.Text, nullable=False, server_default="{}"),
    )
    op.create_index("ix_resource_name", "resource", ["name"], unique=True)
    op.create_index("ix_resource_module", "resource", ["module"])

    op.create_table(
        "unit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("resource_id", sa.Integer, sa.ForeignKey("resource.id"), nullable=False),
        sa.Column("key", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("module", sa.String, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_plural", sa.Text, nullable=True),
        sa.Column("context", sa.String, nullable=True),
        sa.Column("comments", sa.Text, nullable=False, server_default=""),
        sa.Column("refs", sa.Text, nullable=False, server_default=""),
        sa.Column("flags", sa.String, nullable=False, server_default=""),
        sa.Column("previous_source", sa.Text, nullable=True),
        sa.Column("start_ms", sa.Integer, nullable=True),
        sa.Column("end_ms", sa.Integer, nullable=True),
        sa.Column("cue_settings", sa.String, nullable=False, server_default=""),
        sa.Column("obsolete", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("words", sa.Integer, nullable=False, server_default="0"),
        sa.Column("extra", sa.Text, nullable=False, server_default="{}"),
        sa.UniqueConstraint("resource_id", "key", name="uq_unit_resource_key"),
    )
    op.create_index("ix_unit_resource_id", "unit", ["resource_id"])
    op.create_index("ix_unit_key", "unit", ["key"])
    op.create_index("ix_unit_module_kind", "unit", ["module", "kind"])

    op.create_table(
        "translation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("language", sa.String, nullable=False),
        sa.Column("module", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("state", sa.String, nullable=False, server_default="untranslated"),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("plurals", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("author", sa.String, nullable=True),
        sa.Column("origin", sa.String, nullable=False, server_default="human"),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("translator_comments", sa.Text, nullable=False, server_default=""),
        sa.Column("previous_source", sa.Text, nullable=True),
        sa.Column("extra", sa.Text, nullable=False, server_default="{}"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("unit_id", "language", name="uq_translation_unit_language"),
    )
    op.create_index("ix_translation_language_module_state", "translation", ["language", "module", "state"])
    op.create_index("ix_translation_language_state_id", "translation", ["language", "state", "id"])

    op.create_table(
        "change",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("translation_id", sa.Integer, sa.ForeignKey("translation.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String, nullable=False),
        sa.Column("user", sa.String, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("old_state", sa.String, nullable=False),
        sa.Column("new_state", sa.String, nullable=False),
        sa.Column("old_text", sa.Text, nullable=False),
        sa.Column("new_text", sa.Text, nullable=False),
        sa.Column("origin", sa.String, nullable=False, server_default="human"),
        sa.Column("comment", sa.Text, nullable=True),
    )
    op.create_index("ix_change_translation_id", "change", ["translation_id"])

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("display_name", sa.String, nullable=False, server_default=""),
        sa.Column("email", sa.String, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_user_account_name", "user_account", ["name"], unique=True)

    op.create_table(
        "user_role",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("user_account.id"), nullable=False),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("language", sa.String, nullable=False, server_default="*"),
        sa.UniqueConstraint("user_id", "role", "language", name="uq_role"),
    )
    op.create_index("ix_user_role_user_id", "user_role", ["user_id"])

    op.create_table(
        "file_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("path", sa.String, nullable=False),
        sa.Column("sha256", sa.String, nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_file_state_path", "file_state", ["path"], unique=True)


def downgrade() -> None:
    for table in ("file_state", "user_role", "user_account", "change", "translation", "unit", "resource"):
        op.drop_table(table)
