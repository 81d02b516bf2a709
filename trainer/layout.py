"""The site header of every page: rendered once per language, role and script root (and
whether the person must first choose their own password).

The header (brand, search box, language link, log-out form, the menus of the person's role;
for a visitor, the brand and a button for the other language)
was about two fifths of a play page's template time: a dozen `url_for` calls and twenty
translated strings, the same for everyone with the same role and language. It is rendered
from `templates/_site_header.html` once per (language, role, script root), with markers for
its per-request values, and each request fills those in (see `trainer.fragments`).
"""
from __future__ import annotations

from flask import current_app, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from .fragments import FragmentCache, Holes
from .web import lang

HOLES = ("name", "csrf", "language_url", "search", "next_path")


def fragment_cache() -> FragmentCache:
    return current_app.extensions["trainer_fragments"]


def _render(role: str | None, choosing_password: bool) -> Holes:
    # The template itself, not render_template: no context processors, so the piece cannot
    # read the request or current_user by mistake (under test, StrictUndefined would fail).
    template = current_app.jinja_env.get_template("_site_header.html")
    return Holes(template.render(role=role, choosing_password=choosing_password,
                                 **{name: Holes.marker(name) for name in HOLES}))


def _query_arg(name: str) -> str:
    # A query string that is not UTF-8 cannot be read; the error page that says so
    # (trainer.request_guards) renders this header too.
    try:
        return request.args.get(name, "")
    except UnicodeDecodeError:
        return ""


def _path_and_query() -> str:
    # NUL would only come back to be refused again (trainer.request_guards).
    try:
        return request.full_path.rstrip("?").replace("\x00", "")
    except UnicodeDecodeError:
        return request.path.replace("\x00", "")


def site_header() -> Markup:
    """The header for the current person (or a visitor who has not logged in)."""
    user = current_user
    role = user.role if user.is_authenticated else None
    # Someone logged in with a password another person gave them is sent to choose their own
    # from every page (auth.access.require_login): their header leaves out the menus that
    # would only lead back there.
    choosing = role is not None and user.password_temporary
    holes = fragment_cache().get(("site_header", lang(), role, choosing, request.script_root),
                                 lambda: _render(role, choosing))
    if role is None:
        # The language button returns the visitor to this page, its query included (?next=).
        return holes.fill({"csrf": generate_csrf(), "next_path": _path_and_query()})
    return holes.fill({
        "name": user.name,
        "csrf": generate_csrf(),
        "language_url": url_for("auth.language", next=request.path),
        "search": _query_arg("q") if request.endpoint == "manual.search" else "",
    })
