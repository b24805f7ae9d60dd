"""The open workbench: a project, its database and the current user."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.errors import StoreError
from workbench.services.project import Project, find_project
from workbench.storage.engine import Store, sqlite_url

DATABASE_ENV = "WORKBENCH_DATABASE_URL"
USER_ENV = "WORKBENCH_USER"


def current_user(explicit: str | None = None) -> str:
    """`--user`, then WORKBENCH_USER, then the operating-system login."""
    if explicit:
        return explicit
    if os.environ.get(USER_ENV):
        return os.environ[USER_ENV]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def database_url(project: Project, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    if os.environ.get(DATABASE_ENV):
        return os.environ[DATABASE_ENV]
    return sqlite_url(project.database_path)


@dataclass
class Workbench:
    project: Project
    store: Store
    user: str

    @classmethod
    def open(cls, directory: Path | None = None, *, db: str | None = None,
             user: str | None = None) -> "Workbench":
        project = find_project(directory)
        url = database_url(project, db)
        if url == sqlite_url(project.database_path):     # the project's own database: its folder is ours
            try:
                project.database_path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the database's folder {project.database_path.parent}: "
                                 f"{exc.strerror or exc}") from None
        store = Store(url)
        return cls(project=project, store=store, user=current_user(user))

    @property
    def settings(self):
        return self.project.settings

    def close(self) -> None:
        self.store.dispose()
