"""Column helpers shared by the SQLModel tables and their Core mirror: the clock and the UTC type."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import types


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


class UTCDateTime(types.TypeDecorator):
    """An aware datetime, stored in UTC and read back aware (SQLite keeps no offset: what it
    returns is UTC). Behaves as the type SQLModel gives a `datetime` field."""

    impl = types.DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def __repr__(self) -> str:
        return "UTCDateTime()"

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("a datetime stored in the database must be aware (use columns.utcnow())")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
