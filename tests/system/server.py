"""The app as it runs in production: gunicorn in a subprocess on loopback, on a database
made for the run.

Used by the system tests and by the benchmarks in bench/, so it imports nothing from
pytest. A server is started the way an operator would: ``trainer init`` first, then
``trainer serve`` (which execs gunicorn) in its own process group, so that a test can kill
the master and all its workers at once, as a power cut or the OOM killer would.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

from sqlalchemy import create_engine, insert, make_url
from sqlalchemy.engine import Engine
from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parents[2]
# When the run that started a server is killed itself (a CI time limit, an interrupted run),
# its teardown never comes: the kernel then sends the server SIGTERM, gunicorn's graceful stop
# (PR_SET_PDEATHSIG, set by util-linux's setpriv before it execs the server), instead of
# leaving it holding a port and a core. The signal follows the *thread* that started the
# process, not the whole run, so servers are launched from the main thread, never from a pool
# (``Deployment.serve_together`` starts several at once).
DIE_WITH_PARENT = ("setpriv", "--pdeathsig", "TERM") if shutil.which("setpriv") else ()
# The project's own default for a local PostgreSQL (the server CI runs on).
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# Fast hashing: 200 logins must not spend the run in scrypt.
FAST_PASSWORD_METHOD = "pbkdf2:sha256:1000"
CLI = "from trainer.cli import main; main()"


# -- databases -----------------------------------------------------------------------

@dataclass
class Database:
    """A database made for one run; ``drop()`` removes it."""

    url: str
    dialect: str
    _drop: object = None

    def engine(self) -> Engine:
        return create_engine(self.url)

    def drop(self) -> None:
        if callable(self._drop):
            self._drop()


def sqlite_database(folder: Path, name: str = "system.db") -> Database:
    return Database(f"sqlite:///{folder / name}", "sqlite")


def postgres_server_url() -> str | None:
    """A reachable PostgreSQL server's URL, or None.

    TEST_DATABASE_URL names the server when it is PostgreSQL; otherwise the local default
    is tried. Only the server is used from it: each run makes its own database, so the
    ``test`` database the main suite empties between tests is never touched.
    """
    import psycopg

    candidate = os.environ.get("TEST_DATABASE_URL") or ""
    if not candidate.startswith("postgresql"):
        candidate = DEFAULT_POSTGRES_URL
    url = make_url(candidate)
    try:
        with psycopg.connect(_libpq(url.set(database="postgres")), connect_timeout=3):
            pass
    except psycopg.Error:
        return None
    return url.set(database="postgres").render_as_string(hide_password=False)


def _libpq(url) -> str:
    """A libpq connection string for a SQLAlchemy URL (psycopg does not take the +driver form)."""
    parts = {"host": url.host, "port": url.port, "user": url.username, "password": url.password,
             "dbname": url.database}
    return " ".join(f"{key}={value}" for key, value in parts.items() if value not in (None, ""))


def postgres_database(server_url: str, prefix: str = "trainer_system") -> Database:
    """Create a fresh database ``<prefix>_<pid>_<random>`` on the server."""
    import psycopg

    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = make_url(server_url)
    with psycopg.connect(_libpq(admin), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(_libpq(admin), autocommit=True, connect_timeout=5) as conn:
            # FORCE: a killed server may leave sessions behind for a moment.
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return Database(admin.set(database=name).render_as_string(hide_password=False), "postgresql", drop)


def database_for_suite(folder: Path) -> Database:
    """PostgreSQL when the suite runs against it (TEST_DATABASE_URL), else a SQLite file."""
    if (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"):
        server = postgres_server_url()
        if server is None:
            raise RuntimeError("TEST_DATABASE_URL names PostgreSQL but it is not reachable")
        return postgres_database(server)
    return sqlite_database(folder)


# -- preparing the database ----------------------------------------------------------

def server_env(database_url: str, instance_dir: Path, scenario_dir: Path | None = None,
               secret_key: str = "system-test-secret") -> dict[str, str]:
    """The environment an operator would set for ``trainer init`` and ``trainer serve``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TRAINER_")}
    env.update({
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "TRAINER_INSTANCE_DIR": str(instance_dir),
        "PYTHONUNBUFFERED": "1",
    })
    if scenario_dir is not None:
        env["TRAINER_SCENARIO_DIR"] = str(scenario_dir)
    return env


def trainer_init(env: dict[str, str], timeout: float = 120) -> str:
    """Run ``trainer init`` (migrations, scenario versions, search index); its output."""
    done = subprocess.run([sys.executable, "-c", CLI, "init"], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"trainer init failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def create_trainees(database_url: str, usernames: Iterable[str], locale: str = "en") -> list[str]:
    """Insert trainee accounts whose password equals the user name.

    English interface, so a client can recognise the "already recorded" notice.
    """
    from trainer.models import User

    names = list(usernames)
    rows = [{"username": name, "display_name": name, "role": "trainee", "locale": locale,
             "password_hash": generate_password_hash(name, method=FAST_PASSWORD_METHOD)} for name in names]
    engine = create_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(insert(User.__table__), rows)
    finally:
        engine.dispose()
    return names


# -- the server ----------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(port: int, path: str, timeout: float = 2.0) -> tuple[int, str]:
    conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@dataclass
class GunicornServer:
    """``trainer serve`` on a free loopback port; start, stop cleanly, or kill -9."""

    env: dict[str, str]
    log_path: Path
    workers: int | None = None  # None: as `trainer serve` defaults (CPU cores + 1, 1 thread)
    threads: int | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    starts: int = 0
    # A command the server runs under, e.g. valgrind (bench/step_instructions.py).
    wrapper: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> GunicornServer:
        """Start and wait until /healthz answers (every worker imports the app first)."""
        return self.launch().wait_until_up(timeout)

    def launch(self) -> GunicornServer:
        """Start the server without waiting for it. Call it from the main thread (see
        ``DIE_WITH_PARENT``); to start several at once, launch each, then wait for each."""
        assert self.process is None, "already running"
        log = self.log_path.open("ab")
        log.write(f"\n=== start {self.starts + 1} on port {self.port} ===\n".encode())
        log.flush()
        args = [*self.wrapper, sys.executable, "-c", CLI, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        if self.workers is not None:
            args += ["--workers", str(self.workers)]
        if self.threads is not None:
            args += ["--threads", str(self.threads)]
        # A new session: the master and its workers share a process group we can kill at once.
        self.process = subprocess.Popen([*DIE_WITH_PARENT, *args], env=self.env, cwd=ROOT, stdin=subprocess.DEVNULL,
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        self.starts += 1
        return self

    def wait_until_up(self, timeout: float = 60) -> GunicornServer:
        """Wait until the launched server's /healthz answers; kill it if it does not in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                raise RuntimeError(f"gunicorn exited while starting:\n{self.log_tail()}")
            try:
                # A long timeout: a restart under load answers the probe behind queued requests.
                if http_get(self.port, "/healthz", timeout=max(1.0, min(15.0, deadline - time.monotonic())))[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        """The worker processes (children of the master)."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no shutdown code runs."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        self.process = None

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL whatever is left."""
        if self.process is None:
            return
        try:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # Only while the master is unreaped is its process group id surely still ours.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


# -- a deployment: one database, its servers, its trainees ------------------------------

class Deployment:
    """A database prepared with ``trainer init`` and the gunicorn servers that share it."""

    def __init__(self, database: Database, folder: Path, scenario_dir: Path | None = None,
                 secret_key: str = "system-test-secret"):
        self.database = database
        self.folder = folder
        self.instance_dir = folder / "instance"
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        self.env = server_env(database.url, self.instance_dir, scenario_dir, secret_key)
        self.servers: list[GunicornServer] = []
        self.init_output = trainer_init(self.env)

    def serve(self, workers: int | None = None, threads: int | None = None, wrapper: tuple[str, ...] = (),
              timeout: float = 60) -> GunicornServer:
        return self.serve_together(1, workers, threads, wrapper, timeout)[0]

    def serve_together(self, count: int, workers: int | None = None, threads: int | None = None,
                       wrapper: tuple[str, ...] = (), timeout: float = 60) -> list[GunicornServer]:
        """``count`` servers started at once (their workers import the app side by side), each
        answering before this returns. Launched from this thread, not a pool's: a server goes
        when the thread that started it ends (``DIE_WITH_PARENT``)."""
        servers = [GunicornServer(self.env, self.folder / f"gunicorn-{len(self.servers) + n + 1}.log",
                                  workers=workers, threads=threads, wrapper=wrapper) for n in range(count)]
        self.servers.extend(servers)
        for server in servers:
            server.launch()
        return [server.wait_until_up(timeout) for server in servers]

    def trainees(self, count: int, prefix: str = "load") -> list[str]:
        return create_trainees(self.database.url, [f"{prefix}.{n:03d}" for n in range(count)])

    def close(self) -> None:
        for server in self.servers:
            server.stop()
        self.database.drop()


def log_problems(server: GunicornServer) -> list[str]:
    """Tracebacks, worker time-outs and errors gunicorn or the app wrote to the log."""
    try:
        text = server.log_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    markers = ("Traceback", "WORKER TIMEOUT", "[ERROR]", "[CRITICAL]")
    return [line for line in text.splitlines() if any(marker in line for marker in markers)]


def log_excerpt(server: GunicornServer, lines: int = 80) -> str:
    """The first traceback in the server's log (or its tail), for a failure message."""
    try:
        text = server.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "(no log)"
    text = [line for line in text if not line.startswith("127.0.0.1 - ")]  # access log lines
    for number, line in enumerate(text):
        if "Traceback" in line:
            return "\n".join(text[max(0, number - 3):number + lines])
    return "\n".join(text[-lines:])


def bench_deployment(kind: str, name: str) -> Deployment:
    """A fresh deployment for a benchmark: a SQLite file, or a new PostgreSQL database."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=f"{name}_"))
    if kind == "postgresql":
        server_url = postgres_server_url()
        if server_url is None:
            raise SystemExit("PostgreSQL is not reachable at 127.0.0.1:5432")
        database = postgres_database(server_url, prefix="trainer_bench")
    else:
        database = sqlite_database(folder)
    return Deployment(database, folder)
