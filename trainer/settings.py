"""Every setting the trainer reads, declared once.

The Flask config, ``trainer settings`` and the README's configuration table all come from
this list; a test checks the README documents each one. Settings come from the
environment so that several app servers can share one configuration.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pytz

from .content.toc import PUBLIC_MANUAL_URL

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "sqlite:///<instance>/trainer.db", "SQLAlchemy URL of the database; use PostgreSQL (postgresql+psycopg://…) when several app servers share one database."),
    Setting("SECRET_KEY", "generated into <instance>/secret_key", "Key that signs sessions and CSRF tokens; set the same value on every app server."),
    Setting("TRAINER_INSTANCE_DIR", "<project>/instance", "Folder for the SQLite database and the generated secret key."),
    Setting("TRAINER_SCENARIO_DIR", "<project>/scenarios", "Folder of scenario files and competencies.yaml."),
    Setting("TRAINER_SCENARIO_CACHE", "<instance>/scenario-cache", "Folder where each scenario file's checked and analysed form is kept, so a restart "
            "reads it instead of analysing the file again; safe to delete (the next start rebuilds it). Set to off to analyse every file at every start."),
    Setting("TRAINER_CONTENT_DIR", "<project>/content", "Folder of the manual (GitBook layout: LANGS.md, uk/, en/)."),
    Setting("TRAINER_DEFAULT_LOCALE", "uk", "Interface language for new users and the login page: uk or en."),
    Setting("TRAINER_TIMEZONE", "Europe/Kyiv", "The centre's time zone: pages give dates and times in it, and it decides what is today (overdue), "
            "and which week or month an attempt counts in (the database keeps UTC; exports use this zone, xAPI stays in UTC)."),
    Setting("TRAINER_HTTPS", "0", "Set to 1 behind HTTPS so session cookies are marked Secure."),
    Setting("TRAINER_PROXIES", "0", "Number of reverse proxies in front of the app; their X-Forwarded-For and X-Forwarded-Proto headers are trusted that many hops deep (login throttling counts the real client address)."),
    Setting("TRAINER_LOGIN_USER_LIMIT", "5", "Failed logins allowed for one user name within the window; after that the login form refuses that name until the window has passed or an administrator lifts the lock (a new password lifts it too)."),
    Setting("TRAINER_LOGIN_ADDRESS_LIMIT", "20", "Failed logins from one network address within the window after which its wrong passwords are answered 429 with a note that the network is throttled; a right password still logs in (a whole office may share one address)."),
    Setting("TRAINER_LOGIN_WINDOW_MINUTES", "15", "Length of the login-throttling window in minutes."),
    Setting("TRAINER_SESSION_IDLE_MINUTES", "480", "Minutes without a request after which a login ends and the person logs in again, "
            "so that nobody continues in their name at a shared front-desk computer; 0 keeps a login until the browser is closed."),
    Setting("TRAINER_IMPORT_MAX_FILE_MB", "1", "Largest single file accepted by an import (`trainer content import`), in megabytes."),
    Setting("TRAINER_IMPORT_MAX_TOTAL_MB", "50", "Largest total size of the files one import brings in, in megabytes."),
    Setting("TRAINER_HOST", "127.0.0.1", "Address `trainer serve` listens on."),
    Setting("TRAINER_PORT", "5000", "Port `trainer serve` listens on."),
    Setting("TRAINER_WORKERS", "CPU cores + 1", "Number of gunicorn worker processes for `trainer serve`."),
    Setting("TRAINER_THREADS", "1", "Threads per worker for `trainer serve` (more than 1 only helps a worker that waits on a remote database)."),
    Setting("TRAINER_MANUAL_URL", PUBLIC_MANUAL_URL, "Public manual that section links point to when a page is not in content/."),
    Setting("TRAINER_BASE_URL", "https://trainer.example.org", "Public address of this installation; xAPI activity ids are built from it."),
    Setting("TRAINER_LRS_URL", "", "xAPI endpoint of a Learning Record Store (…/xapi/); when set, finished attempts are queued for `trainer xapi send`."),
    Setting("TRAINER_LRS_USERNAME", "", "User name (key) for the Learning Record Store's HTTP Basic authentication."),
    Setting("TRAINER_LRS_PASSWORD", "", "Password (secret) for the Learning Record Store; never logged."),
    Setting("TRAINER_LRS_RETRIES", "3", "How many times `trainer xapi send` tries a batch before leaving it for the next run."),
)


def env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def instance_dir() -> Path:
    return Path(env("TRAINER_INSTANCE_DIR") or PROJECT_ROOT / "instance")


def scenario_dir() -> Path:
    return Path(env("TRAINER_SCENARIO_DIR") or PROJECT_ROOT / "scenarios")


def scenario_cache_dir() -> Path | None:
    """Where scenario load results are kept between starts, or None when turned off."""
    configured = env("TRAINER_SCENARIO_CACHE")
    if configured is not None and configured.lower() == "off":
        return None
    return Path(configured) if configured else instance_dir() / "scenario-cache"


def content_dir() -> Path:
    return Path(env("TRAINER_CONTENT_DIR") or PROJECT_ROOT / "content")


def database_url() -> str:
    return env("DATABASE_URL") or f"sqlite:///{instance_dir() / 'trainer.db'}"


def secret_key() -> str:
    """The configured key, or one generated once into the instance folder."""
    configured = env("SECRET_KEY")
    if configured:
        return configured
    folder = instance_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret_key"
    if not path.exists():
        # O_EXCL: two servers starting at once must not overwrite each other's key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def flag(name: str) -> bool:
    return (env(name) or "0").lower() in {"1", "true", "yes", "on"}


def value(name: str) -> str:
    """A text setting, or its declared default when unset."""
    return env(name) or _default(name)


def time_zone() -> str:
    """TRAINER_TIMEZONE, checked: a misspelt zone would otherwise show every time in UTC."""
    name = value("TRAINER_TIMEZONE")
    try:
        pytz.timezone(name)
    except pytz.UnknownTimeZoneError:
        raise ValueError(f"TRAINER_TIMEZONE is {name!r}, which is not a time zone name: "
                         "use an IANA name such as Europe/Kyiv") from None
    return name


def _default(name: str) -> str:
    return next(s.default for s in SETTINGS if s.name == name)


def serve_workers() -> int:
    """Worker processes for ``trainer serve``: TRAINER_WORKERS, else the usable cores + 1.

    Processes, not threads, are what let Python use several cores: one worker per core and
    one more, so a slow request (a large import) leaves the others serving.
    """
    raw = env("TRAINER_WORKERS")
    if raw is not None and raw.isdigit() and int(raw) > 0:
        return int(raw)
    return cores() + 1


def cores() -> int:
    """The CPU cores this process may run on."""
    return len(os.sched_getaffinity(0))


def number(name: str) -> float:
    """A numeric setting, or its declared default when unset or unreadable."""
    default = _default(name)
    raw = env(name) or default
    try:
        value = float(raw)
    except ValueError:
        value = float(default)
    return value if value >= 0 else float(default)
