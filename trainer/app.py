"""The application factory."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, session
from flask_login import current_user

from . import settings
from .content.toc import PUBLIC_MANUAL_URL
from .extensions import babel, csrf, db, login_manager, migrate
from .scenario.registry import Registry

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")
TEMPLATES_DIR = str(settings.PROJECT_ROOT / "templates")
LOCALES = ("uk", "en")


def default_config() -> dict:
    return {
        "SECRET_KEY": settings.secret_key(),
        "SQLALCHEMY_DATABASE_URI": settings.database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "TRAINER_SCENARIO_DIR": settings.scenario_dir(),
        "TRAINER_CONTENT_DIR": settings.content_dir(),
        "TRAINER_MANUAL_URL": settings.env("TRAINER_MANUAL_URL") or PUBLIC_MANUAL_URL,
        "BABEL_DEFAULT_LOCALE": settings.env("TRAINER_DEFAULT_LOCALE") or "uk",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent / "translations"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": settings.flag("TRAINER_HTTPS"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": settings.flag("TRAINER_HTTPS"),
        "WTF_CSRF_TIME_LIMIT": None,  # a long scenario must not expire mid-play
    }


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def create_app(config: dict | None = None) -> Flask:
    """Create the app; ``config`` overrides the environment-derived defaults."""
    app = Flask(__name__, template_folder=TEMPLATES_DIR, instance_path=str(settings.instance_dir()))
    app.config.update(default_config())
    if config:
        app.config.update(config)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    registry = app.config.get("TRAINER_REGISTRY") or Registry(
        Path(app.config["TRAINER_SCENARIO_DIR"]), Path(app.config["TRAINER_CONTENT_DIR"])
    )
    app.extensions["trainer_registry"] = registry

    from . import models  # noqa: F401  (tables must be known to migrations)
    from .admin.views import bp as admin_bp
    from .auth.access import require_login
    from .auth.views import bp as auth_bp
    from .manual.views import bp as manual_bp
    from .play.views import bp as play_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(play_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(manual_bp)
    app.before_request(require_login)

    @app.before_request
    def _locale_to_g() -> None:
        from flask_babel import get_locale
        g.lang = str(get_locale() or "uk")

    from .web import register_template_helpers
    register_template_helpers(app)

    from .cli import main as trainer_cli
    app.cli.add_command(trainer_cli, name="trainer")
    return app
