"""SQLModel tables for the working state of a course project.

They declare the schema (the migrations create it); commands query the Core mirror that
`python -m workbench.storage.mirror` writes from them into storage/tables.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from workbench.storage.columns import utcnow


class ResourceRow(SQLModel, table=True):
    """A catalog domain or a video: the file a unit comes from."""

    __tablename__ = "resource"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)          # "m1" or "m1-v1-small-talk"
    kind: str                                           # "catalog" | "subtitles"
    module: str = Field(index=True)
    path: str                                           # source file, relative to the project
    meta: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))


class UnitRow(SQLModel, table=True):
    __tablename__ = "unit"
    __table_args__ = (
        UniqueConstraint("resource_id", "key", name="uq_unit_resource_key"),
        Index("ix_unit_module_kind", "module", "kind"),
        Index("ix_unit_course_order", "module", "resource_id", "position"),
    )
    id: int | None = Field(default=None, primary_key=True)
    resource_id: int = Field(foreign_key="resource.id", index=True)
    key: str = Field(index=True)
    kind: str
    module: str
    position: int
    source: str = Field(sa_column=Column(Text, nullable=False))
    source_plural: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    context: str | None = None
    comments: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    refs: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    flags: str = ""                                     # comma separated
    previous_source: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    start_ms: int | None = None
    end_ms: int | None = None
    cue_settings: str = ""
    obsolete: bool = False
    words: int = 0
    extra: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))


class TranslationRow(SQLModel, table=True):
    __tablename__ = "translation"
    __table_args__ = (
        UniqueConstraint("unit_id", "language", name="uq_translation_unit_language"),
        Index("ix_translation_language_module_state", "language", "module", "state"),
        Index("ix_translation_language_state_id", "language", "state", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    language: str
    module: str                                         # copied from the unit, for fast counts
    kind: str                                           # copied from the unit, for fast filters
    state: str = "untranslated"
    text: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    plurals: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON list of all forms
    version: int = 0
    author: str | None = None
    origin: str = "human"
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    translator_comments: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    previous_source: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    extra: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    updated_at: datetime | None = None


class ChangeRow(SQLModel, table=True):
    """One entry of a translation's history."""

    __tablename__ = "change"
    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(foreign_key="translation.id", index=True)
    version: int
    action: str
    user: str
    at: datetime = Field(default_factory=utcnow)
    old_state: str
    new_state: str
    old_text: str = Field(default="[]", sa_column=Column(Text, nullable=False))  # JSON list of forms
    new_text: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    origin: str = "human"
    comment: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class UserRow(SQLModel, table=True):
    __tablename__ = "user_account"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    display_name: str = ""
    email: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class RoleRow(SQLModel, table=True):
    __tablename__ = "user_role"
    __table_args__ = (UniqueConstraint("user_id", "role", "language", name="uq_role"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    role: str                                           # translator | reviewer | coordinator
    language: str = "*"                                 # a language code, or * for all


class FileStateRow(SQLModel, table=True):
    """The content hash of a project file when it was last imported or exported."""

    __tablename__ = "file_state"
    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(index=True, unique=True)
    sha256: str
    synced_at: datetime = Field(default_factory=utcnow)


class TmEntryRow(SQLModel, table=True):
    """A translation memory entry imported from a TMX file (approved translations are read live)."""

    __tablename__ = "tm_entry"
    __table_args__ = (Index("ix_tm_entry_languages", "source_language", "target_language"),)
    id: int | None = Field(default=None, primary_key=True)
    source_language: str
    target_language: str
    source: str = Field(sa_column=Column(Text, nullable=False))
    target: str = Field(sa_column=Column(Text, nullable=False))
    key: str | None = None
    origin: str = "tmx"                                 # "tmx:<file name>"
    author: str | None = None
    created_at: datetime | None = None
    digest: str = Field(index=True, unique=True, max_length=64)   # sha256 of languages and texts


class CheckResultRow(SQLModel, table=True):
    """One issue a check found in a translation, with the check's own severity (project overrides
    from workbench.toml are applied when results are read). Rewritten whenever the translation or
    its unit changes."""

    __tablename__ = "check_result"
    __table_args__ = (Index("ix_check_result_check_id", "check_id"),)
    id: int | None = Field(default=None, primary_key=True)
    translation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("translation.id", ondelete="CASCADE"), nullable=False,
                         index=True))
    check_id: str                                       # the check's id ("python-format")
    severity: str                                       # error | warning | info
    message: str = Field(sa_column=Column(Text, nullable=False))
    form: int = 0
    span_start: int | None = None
    span_end: int | None = None
    fix: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
