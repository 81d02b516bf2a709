"""The application factory."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from jinja2 import StrictUndefined
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from . import request_guards, settings
from .content.toc import PUBLIC_MANUAL_URL
from .extensions import babel, csrf, db, login_manager, migrate
from .fragments import FragmentCache
from .scenario.registry import Registry
from .uploads import MAX_CSV_BYTES

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")
TEMPLATES_DIR = str(settings.PROJECT_ROOT / "templates")
LOCALES = ("uk", "en")


def default_config() -> dict:
    return {
        "SECRET_KEY": settings.secret_key(),
        "SQLALCHEMY_DATABASE_URI": settings.database_url(),
        # hide_parameters: SQL logging and database errors never show the values (names,
        # password hashes, free-text answers), even with the engine's logger at DEBUG.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "TRAINER_SCENARIO_DIR": settings.scenario_dir(),
        "TRAINER_CONTENT_DIR": settings.content_dir(),
        "TRAINER_SCENARIO_CACHE": settings.scenario_cache_dir(),
        "TRAINER_MANUAL_URL": settings.env("TRAINER_MANUAL_URL") or PUBLIC_MANUAL_URL,
        "BABEL_DEFAULT_LOCALE": settings.env("TRAINER_DEFAULT_LOCALE") or "uk",
        "BABEL_DEFAULT_TIMEZONE": settings.time_zone(),
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent / "translations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.flag("TRAINER_HTTPS"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": settings.flag("TRAINER_HTTPS"),
        "WTF_CSRF_TIME_LIMIT": None,  # a long scenario must not expire mid-play
        **request_limits(),
        "TRAINER_PROXIES": int(settings.number("TRAINER_PROXIES")),
        "TRAINER_LOGIN_USER_LIMIT": int(settings.number("TRAINER_LOGIN_USER_LIMIT")),
        "TRAINER_LOGIN_ADDRESS_LIMIT": int(settings.number("TRAINER_LOGIN_ADDRESS_LIMIT")),
        "TRAINER_LOGIN_WINDOW_MINUTES": settings.number("TRAINER_LOGIN_WINDOW_MINUTES"),
        "TRAINER_SESSION_IDLE_MINUTES": int(settings.number("TRAINER_SESSION_IDLE_MINUTES")),
    }


def request_limits() -> dict:
    """The largest request body and form field: the users import's, the largest there is.

    The import takes a CSV of up to ``MAX_CSV_BYTES`` and, once checked, sends it back in a
    hidden form field as base64 (4/3 of its size), so a field may hold twice the file. A
    file over the limit must still arrive for the import page to refuse it in its own words
    (that it is larger than 1 MB and to split it), so bodies up to three times the limit are
    read; anything larger gets the 413 page, which names the limit too.
    """
    return {"MAX_CONTENT_LENGTH": 3 * MAX_CSV_BYTES, "MAX_FORM_MEMORY_SIZE": 2 * MAX_CSV_BYTES}


# The session key of the language a visitor picked with the login page's button. It outlasts
# logging in, over the account's language, until logging out or saving a language on the
# Language page: a person who picked English to read the login page expects English after
# it, whatever an admin put in their account (and is offered to save it there).
SESSION_CHOICE = "locale"


def select_locale() -> str:
    """The request's language: the one picked on the login page before logging in, else the
    account's, else the default."""
    chosen = session.get(SESSION_CHOICE)
    if chosen in LOCALES:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


@lru_cache(maxsize=8)
def _wtforms_translations(lang: str):
    from babel import support
    from wtforms.i18n import messages_path
    return support.Translations.load(messages_path(), [lang], domain="wtforms")


def _sqlite_engine_options(configured: dict | None) -> dict:
    """Several gunicorn workers write the same SQLite file: wait up to 30 s for a lock
    instead of failing at once ("database is locked"). A local file cannot drop the
    connection, so the pre-ping would only cost a query per request."""
    options = {k: v for k, v in (configured or {}).items() if k != "pool_pre_ping"}
    options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
    return options


def _sqlite_wal(dbapi_connection, _record) -> None:
    # Write-ahead logging lets readers work beside the one writer.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_app(config: dict | None = None) -> Flask:
    """Create the app; ``config`` overrides the environment-derived defaults."""
    app = Flask(__name__, template_folder=TEMPLATES_DIR, instance_path=str(settings.instance_dir()))
    app.config.update(default_config())
    if config:
        app.config.update(config)
    # First, before any blueprint (its <int:...> routes) and before the CSRF check and the
    # login read the request: see trainer/request_guards.py.
    request_guards.init_app(app)
    if app.config["TRAINER_PROXIES"]:
        # Trust exactly as many forwarding hops as there are proxies: a client cannot fake
        # its address (login throttling counts it) by sending the header itself.
        hops = app.config["TRAINER_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    sqlite = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    if sqlite:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _sqlite_engine_options(app.config.get("SQLALCHEMY_ENGINE_OPTIONS"))
    db.init_app(app)
    if sqlite:
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_wal)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    cache = app.config.get("TRAINER_SCENARIO_CACHE")
    registry = app.config.get("TRAINER_REGISTRY") or Registry(
        Path(app.config["TRAINER_SCENARIO_DIR"]), Path(app.config["TRAINER_CONTENT_DIR"]), Path(cache) if cache else None
    )
    app.extensions["trainer_registry"] = registry
    app.extensions["trainer_fragments"] = FragmentCache()

    from . import models  # noqa: F401  (tables must be known to migrations)
    from .admin.views import bp as admin_bp
    from .auth.access import require_login
    from .auth.views import bp as auth_bp
    from .feedback.views import bp as feedback_bp
    from .manual.views import bp as manual_bp
    from .play.views import bp as play_bp
    from .study.views import bp as study_bp
    from .team.views import bp as team_bp
    from .admin import people as _admin_people  # noqa: F401  (adds the people pages to admin_bp)
    from .play import assigned as _assigned  # noqa: F401  (adds assignment pages to play_bp)

    app.register_blueprint(auth_bp)
    app.register_blueprint(play_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(manual_bp)
    app.register_blueprint(study_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(team_bp)
    app.before_request(require_login)

    from .errors import register_error_pages
    register_error_pages(app)

    @app.get("/healthz")
    def healthz():
        """Liveness for a load balancer (and the trivial route of bench/step_rps.py): no database."""
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}

    @app.before_request
    def _locale_to_g() -> None:
        from flask_babel import get_locale
        g.lang = str(get_locale() or "uk")
        # Flask-WTF reads WTForms' own message catalog from disk on every request unless
        # the request already holds it; one parsed copy per language serves them all.
        request.wtforms_translations = _wtforms_translations(g.lang)

    from .web import register_template_helpers
    register_template_helpers(app)
    if app.testing:
        # Under test, a template that reads a name or an attribute that is not there fails
        # instead of rendering nothing: the dashboard once showed choice ids that way.
        app.jinja_env.undefined = StrictUndefined

    from .cli import main as trainer_cli
    app.cli.add_command(trainer_cli, name="trainer")
    return app
