"""The ``trainer user`` commands: accounts from the command line, for the first admin and
as a way back in when nobody can log in as one."""
from __future__ import annotations

import sys

import click

from .. import settings
from . import database


@click.group(help="Accounts from the command line: the first admin, and a way back in.")
def user() -> None:
    pass


def _account_command(change) -> None:
    """Run ``change(session, say)`` in the app, commit, then print what it said; a PeopleError
    becomes a message.

    The lines are printed only after the commit: a generated password printed before it would
    not work if the commit then failed, and an output pipe closed early (``| head -1``) must
    not undo a change whose password was already shown."""
    from flask_babel import force_locale

    from ..extensions import db
    from ..team.people import PeopleError

    said: list[tuple[str, bool]] = []

    def say(line: str, err: bool = False) -> None:
        said.append((line, err))

    app = database.migrated_app()
    with app.app_context(), force_locale("en"):  # the command line speaks English
        try:
            change(db.session, say)
        except PeopleError as error:
            db.session.rollback()
            click.echo(f"error: {error}", err=True)
            sys.exit(2)
        db.session.commit()
    for line, err in said:
        click.echo(line, err=err)


def _lift_login_lock(session, account, say) -> None:
    """Lift a login lock on the account's name (too many failed tries), as the web app does
    when it gives an account a way in; otherwise the new password would not work for a while."""
    from flask import current_app

    from ..models import utcnow
    from ..team.people import lift_login_lock

    if lift_login_lock(session, current_app.config, account, utcnow(), actor=None):
        say(f"The login lock on {account.username} (too many failed tries) is lifted.")


def _find_user(session, username: str):
    from sqlalchemy import func, select

    from ..models import User
    from ..team.people import PeopleError

    found = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if found is None:
        raise PeopleError(f"there is no account “{username}”; `trainer user create {username}` makes one")
    return found


@user.command("create", help="Create an account and print its generated password (shown only here).")
@click.argument("username")
@click.option("--role", type=click.Choice(["trainee", "supervisor", "admin"]), default="trainee", show_default=True)
@click.option("--name", "display_name", default="", help="Full name shown in the app.")
def user_create(username: str, role: str, display_name: str) -> None:
    from ..team.people import create_user

    def change(session, say):
        account, password = create_user(session, username=username, role=role, actor=None, display_name=display_name)
        say(f"Created {account.username} ({role}). Password: {password}")
        _lift_login_lock(session, account, say)
        say("Give it to the person privately; they choose their own when they first log in.")
    _account_command(change)


@user.command("role", help="Change an account's role (e.g. give back the admin role).")
@click.argument("username")
@click.argument("role", type=click.Choice(["trainee", "supervisor", "admin"]))
def user_role(username: str, role: str) -> None:
    from ..team.people import active_admins, change_role

    def change(session, say):
        account = _find_user(session, username)
        before = account.role
        # The way back in: it may take the role from the last admin (the web form may not).
        left = change_role(session, account, role, actor=None, keep_an_admin=False)
        say(f"{account.username}: {before} → {role}")
        if left:
            say(f"A trainee supervises no cohort: {account.username} no longer supervises {', '.join(left)}.")
        if not active_admins(session):
            say("Warning: there is no active admin now; nobody can manage people in the web app. "
                "`trainer user role USERNAME admin` gives someone the role.", err=True)
    _account_command(change)


@user.command("list", help="List the accounts: user name, role, status and name.")
@click.option("--blocked", is_flag=True, help="Only blocked accounts.")
@click.option("--role", type=click.Choice(["trainee", "supervisor", "admin"]), help="Only accounts with this role.")
def user_list(blocked: bool, role: str | None) -> None:
    from sqlalchemy import func, select

    from .. import clock
    from ..models import User

    zone = settings.time_zone()

    def show(session, say):
        query = select(User).order_by(func.lower(User.username))
        if blocked:
            query = query.where(User.blocked_at.is_not(None))
        if role:
            query = query.where(User.role == role)
        rows = [(u.username, u.role, f"blocked {clock.local_date(u.blocked_at, zone)}" if u.blocked_at else "active",
                 u.display_name) for u in session.scalars(query)]
        if not rows:
            say("No accounts match." if blocked or role else "There are no accounts yet.")
            return
        for line in _table(("USERNAME", "ROLE", "STATUS", "NAME"), rows):
            say(line)
        say(f"{len(rows)} account(s)")
    _account_command(show)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """Columns padded to their widest cell; the last one is not padded (no trailing blanks)."""
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header) - 1)]

    def line(cells) -> str:
        return "  ".join([str(c).ljust(w) for c, w in zip(cells, widths)] + [str(cells[-1])]).rstrip()
    return [line(header), line(["-" * w for w in widths] + ["-" * len(header[-1])]), *(line(r) for r in rows)]


@user.command("block", help="Block an account (the person left): no more logins; their records stay.")
@click.argument("username")
def user_block(username: str) -> None:
    from ..models import utcnow
    from ..team.people import block_user

    def change(session, say):
        account = _find_user(session, username)
        if block_user(session, account, utcnow(), actor=None):
            say(f"Blocked {account.username}: they cannot log in; their attempts and results stay.")
        else:
            say(f"{account.username} was blocked already.")
    _account_command(change)


@user.command("unblock", help="Let a blocked account log in again.")
@click.argument("username")
def user_unblock(username: str) -> None:
    from ..models import utcnow
    from ..team.people import unblock_user

    def change(session, say):
        account = _find_user(session, username)
        if unblock_user(session, account, utcnow(), actor=None):
            say(f"Unblocked {account.username}: they can log in again.")
            _lift_login_lock(session, account, say)
        else:
            say(f"{account.username} was not blocked.")
    _account_command(change)


@user.command("password", help="Give an account a new generated password and print it.")
@click.argument("username")
def user_password(username: str) -> None:
    from ..team.people import generate_password, give_password

    def change(session, say):
        account = _find_user(session, username)
        password = generate_password()
        give_password(session, account, password, actor=None, generated=True)
        say(f"New password for {account.username}: {password}")
        say("Give it to the person privately; they choose their own when they log in with it.")
        _lift_login_lock(session, account, say)
    _account_command(change)
