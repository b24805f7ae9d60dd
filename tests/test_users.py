"""People and roles: the bootstrap rule, who manages users, the last coordinator, bad input."""

from __future__ import annotations

import pytest
from review_support import as_user, make_project

from workbench.domain.errors import NotFoundError, PermissionDeniedError, WorkbenchError
from workbench.services.context import current_user
from workbench.services.permissions import grants_of
from workbench.services.users import add_user, list_users, remove_user


@pytest.fixture
def empty(tmp_path, db_url):
    """A project with no users yet."""
    wb = make_project(tmp_path / "course", db_url, users=False)
    yield wb
    wb.close()


def roles(wb, name):
    return next(u.roles for u in list_users(wb).users if u.name == name)


def test_no_users_everyone_acts_as_coordinator(empty):
    listing = list_users(as_user(empty, "anyone"))
    assert listing.bootstrap and listing.users == []
    assert listing.current.is_coordinator


def test_the_first_user_must_be_a_coordinator(empty):
    with pytest.raises(PermissionDeniedError) as info:
        add_user(as_user(empty, "marie"), "hans", role="translator", languages=["de"])
    assert info.value.rule == "first-user-is-coordinator"
    assert "workbench user add marie --role coordinator" in str(info.value)
    assert list_users(empty).bootstrap


def test_bootstrap_ends_with_the_first_coordinator(empty):
    add_user(as_user(empty, "marie"), "marie", role="coordinator")
    listing = list_users(as_user(empty, "marie"))
    assert not listing.bootstrap
    assert [u.name for u in listing.users] == ["marie"]
    with pytest.raises(PermissionDeniedError) as info:
        add_user(as_user(empty, "someone-else"), "x", role="coordinator")
    assert info.value.rule == "known-user"


ADD_CASES = [
    # (id, actor, name, role, languages, expected roles or rule)
    ("coordinator-adds-translator", "coord", "ana", "translator", ["es", "de"],
     (("translator", "de"), ("translator", "es"))),
    ("coordinator-adds-reviewer-all", "coord", "ana", "reviewer", ["all"], (("reviewer", "*"),)),
    ("coordinator-adds-coordinator", "coord", "ana", "coordinator", [], (("coordinator", "*"),)),
    ("language-spelling-normalised", "coord", "ana", "translator", ["DE"], (("translator", "de"),)),
    ("translator-cannot-add", "tde", "ana", "translator", ["de"], "coordinator-only"),
    ("reviewer-cannot-add", "rde", "ana", "reviewer", ["de"], "coordinator-only"),
    ("stranger-cannot-add", "nobody", "ana", "translator", ["de"], "known-user"),
]


@pytest.mark.parametrize("actor,name,role,langs,expected", [c[1:] for c in ADD_CASES],
                         ids=[c[0] for c in ADD_CASES])
def test_add_user(tmp_path, db_url, actor, name, role, langs, expected):
    wb = make_project(tmp_path / "course", db_url)
    if isinstance(expected, str):
        with pytest.raises(PermissionDeniedError) as info:
            add_user(as_user(wb, actor), name, role=role, languages=langs)
        assert info.value.rule == expected
        assert name not in [u.name for u in list_users(wb).users]
    else:
        info = add_user(as_user(wb, actor), name, role=role, languages=langs)
        assert info.roles == expected == roles(wb, name)
    wb.close()


BAD_INPUT = [
    ("translator-needs-a-language", "translator", [], "add --lang"),
    ("coordinator-takes-no-language", "coordinator", ["de"], "leave out --lang"),
    ("unknown-role", "boss", ["de"], "unknown role"),
    ("unknown-language", "translator", ["xx"], "unknown language"),
    ("source-language-is-not-translated", "translator", ["fr"], "source language"),
]


@pytest.mark.parametrize("role,langs,message", [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
def test_add_user_refuses_bad_input(empty, role, langs, message):
    with pytest.raises(WorkbenchError, match=message):
        add_user(empty, "ana", role=role, languages=langs)
    assert list_users(empty).bootstrap


@pytest.mark.parametrize("name", ["", "two words", "a;drop", "x" * 65])
def test_add_user_refuses_bad_names(empty, name):
    with pytest.raises(WorkbenchError, match="not a usable user name"):
        add_user(empty, name, role="coordinator")


def test_adding_a_role_twice_is_harmless(tmp_path, db_url):
    wb = make_project(tmp_path / "course", db_url)
    add_user(wb, "tde", role="translator", languages=["de"])
    add_user(wb, "tde", role="reviewer", languages=["es"])
    assert roles(wb, "tde") == (("reviewer", "es"), ("translator", "de"))
    wb.close()


def test_remove_roles_and_users_but_keep_a_coordinator(tmp_path, db_url):
    wb = make_project(tmp_path / "course", db_url)
    assert remove_user(wb, "both", role="reviewer").roles == (("translator", "de"),)
    assert remove_user(wb, "tde") is None
    assert "tde" not in [u.name for u in list_users(wb).users]
    with pytest.raises(PermissionDeniedError) as info:
        remove_user(wb, "coord")
    assert info.value.rule == "keep-a-coordinator"
    assert roles(wb, "coord") == (("coordinator", "*"),)
    with pytest.raises(NotFoundError):
        remove_user(wb, "ghost")
    with pytest.raises(PermissionDeniedError) as info:
        remove_user(as_user(wb, "rde"), "tes")
    assert info.value.rule == "coordinator-only"
    wb.close()


def test_grants_per_language(tmp_path, db_url):
    from workbench.services.permissions import Role

    wb = make_project(tmp_path / "course", db_url)
    with wb.store.transaction() as conn:
        tde, tall, coord = (grants_of(conn, n) for n in ("tde", "tall", "coord"))
    assert tde.has(Role.TRANSLATOR, "de") and not tde.has(Role.TRANSLATOR, "es")
    assert not tde.has(Role.REVIEWER, "de")
    assert tall.has(Role.TRANSLATOR, "es") and not tall.has(Role.REVIEWER, "es")
    assert coord.has(Role.REVIEWER, "es") and coord.is_coordinator
    wb.close()


@pytest.mark.parametrize("explicit,env,expected", [
    ("cli", "env", "cli"),
    (None, "env", "env"),
])
def test_current_user_order(monkeypatch, explicit, env, expected):
    monkeypatch.setenv("WORKBENCH_USER", env)
    assert current_user(explicit) == expected


def test_current_user_falls_back_to_the_login(monkeypatch):
    import getpass

    monkeypatch.delenv("WORKBENCH_USER", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "login-name")
    assert current_user(None) == "login-name"
