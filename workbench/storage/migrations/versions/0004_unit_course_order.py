"""Merge the check-result and memory branches; index units in course order for the editor's list.

Revision ID: 0004
Revises: 0002, 0003
"""

from alembic import op

revision = "0004"
down_revision = ("0002", "0003")
branch_labels = None
depends_on = None


def upgrade() -> None:
    # browse.page() walks units in (module, resource, position) order with keyset cursors:
    # with this index a page is an index range scan instead of a sort of the whole module.
    op.create_index("ix_unit_course_order", "unit", ["module", "resource_id", "position"])


def downgrade() -> None:
    op.drop_index("ix_unit_course_order", table_name="unit")
