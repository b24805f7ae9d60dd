"""A small course project for the review-workflow tests: one catalog, three languages, known users."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from workbench.services.context import Workbench
from workbench.services.importing import import_project
from workbench.services.project import init_project

POT_HEADER = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

'''

#: user -> [(role, [languages])]
USERS: dict[str, list[tuple[str, list[str]]]] = {
    "coord": [("coordinator", [])],
    "tde": [("translator", ["de"])],
    "tes": [("translator", ["es"])],
    "rde": [("reviewer", ["de"])],
    "both": [("translator", ["de"]), ("reviewer", ["de"])],
    "tall": [("translator", ["all"])],
}


def write_catalog(root: Path, n: int = 3, *, plural: bool = True) -> list[str]:
    """m1.pot with keys m1/p1..m1/pN (and m1/files with plural forms); returns the keys."""
    keys = [f"m1/p{i}" for i in range(1, n + 1)]
    body = "".join(f'msgctxt "{k}"\nmsgid "Texte {k}"\nmsgstr ""\n\n' for k in keys)
    if plural:
        body += 'msgctxt "m1/files"\nmsgid "un fichier"\nmsgid_plural "%d fichiers"\nmsgstr[0] ""\nmsgstr[1] ""\n'
        keys.append("m1/files")
    (root / "locales" / "m1.pot").write_text(POT_HEADER + body, encoding="utf-8")
    return keys


def make_project(root: Path, db_url: str, *, n: int = 3, users: bool = True,
                 allow_self_approval: bool = False) -> Workbench:
    """The project, imported, with USERS added (when `users`); the Workbench acts as "coord"."""
    init_project(root, name="test", languages=("fr", "de", "es"))
    if allow_self_approval:
        toml = root / "workbench.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace(
            "allow_self_approval = false", "allow_self_approval = true"), encoding="utf-8")
    write_catalog(root, n)
    wb = Workbench.open(root, db=db_url, user="coord")
    report = import_project(wb)
    assert not report.errors, [f.error for f in report.errors]
    if users:
        from workbench.services.users import add_user

        for name, roles in USERS.items():
            for role, langs in roles:
                add_user(wb, name, role=role, languages=langs)
    return wb


def as_user(wb: Workbench, name: str) -> Workbench:
    """The same project and database, acting as someone else."""
    return replace(wb, user=name)
