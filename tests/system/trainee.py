"""A simulated trainee: logs in, plays scenarios with random answers, keeps a ledger.

It talks HTTP like a browser without JavaScript (stdlib http.client, keep-alive, its own
cookie), reads the CSRF token, the step index and the choices from the HTML, and records
each *acknowledged* step: a POST answer that got a 302 to the attempt page and did not
leave the "already recorded" notice in the session. Those are the steps a person saw
accepted, so they must be in the database whatever happens to the server afterwards.

A trainee may be given several servers: it then sends each request to the next one in turn,
as a load balancer without sticky sessions would.
"""
from __future__ import annotations

import base64
import html
import json
import random
import re
import socket
import threading
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

ALREADY_RECORDED = "already recorded"
_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
_TEXTAREA = re.compile(r"<textarea\b[^>]*\bname=\"([^\"]+)\"", re.I)
# A written answer for free-text nodes: calm, acknowledging, in the scenario's language.
WRITTEN_ANSWER = "Я бачу, що вам зараз важко. Я поруч, ми спокійно розберемося разом."
_ATTEMPT = re.compile(r"^/attempts/(\d+)$")
_DEBRIEF = re.compile(r"^/attempts/(\d+)/debrief$")
# Connection trouble that a browser user would answer by pressing reload.
RETRYABLE = (ConnectionError, HTTPException, socket.timeout, OSError)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


@dataclass
class PlayPage:
    csrf: str
    step: int
    choices: list[str]
    text_field: str | None = None  # a free-text node's written answer, instead of choices


def parse_play_page(text: str) -> PlayPage | None:
    """The form of a play page, or None if the page has no answer form."""
    csrf, step, choices = None, None, []
    for tag in _INPUT.findall(text):
        attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
        name = attrs.get("name")
        if name == "csrf_token":
            csrf = attrs.get("value")
        elif name == "step":
            step = attrs.get("value")
        elif name == "choice" and attrs.get("type") == "radio":
            choices.append(attrs["value"])
    textarea = _TEXTAREA.search(text)
    if csrf is None or step in (None, "") or not (choices or textarea):
        return None
    return PlayPage(csrf, int(step), choices, None if choices else textarea.group(1))


def csrf_from(text: str) -> str | None:
    for tag in _INPUT.findall(text):
        attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
        if attrs.get("name") == "csrf_token":
            return attrs.get("value")
    return None


def session_payload(cookie: str) -> str:
    """The JSON inside Flask's signed session cookie (readable, not verifiable, by a client)."""
    compressed = cookie.startswith(".")
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if compressed:
        raw = zlib.decompress(raw)
    return raw.decode("utf-8")


class ServerError(Exception):
    """A 5xx answer (kept by the trainee and reported by the test)."""


@dataclass
class Ledger:
    """What one trainee saw happen."""

    # (attempt, index, choice); choice is None for a written answer (the rubric picks it).
    acknowledged: list[tuple[int, int, str | None]] = field(default_factory=list)
    not_recorded: int = 0  # answers that came back as "already recorded"
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    connection_errors: int = 0
    attempts_started: set[int] = field(default_factory=set)
    attempts_finished: set[int] = field(default_factory=set)


class Trainee:
    def __init__(self, ports: list[int], username: str, scenarios: list[str], seed: int = 0,
                 think: tuple[float, float] = (0.0, 0.0), retry_for: float = 0.0, timeout: float = 30.0):
        self.ports = list(ports)
        self.username = username
        self.scenarios = list(scenarios)
        self.rng = random.Random(seed)
        self.think = think
        self.retry_for = retry_for  # seconds to keep retrying a refused connection (server restarting)
        self.timeout = timeout
        self.cookie: str | None = None
        self.ledger = Ledger()
        self.attempt: int | None = None
        self.csrf: str | None = None
        self._turn = 0
        self._connections: dict[int, HTTPConnection] = {}

    # -- HTTP ------------------------------------------------------------------------

    def _connection(self, port: int) -> HTTPConnection:
        conn = self._connections.get(port)
        if conn is None:
            conn = self._connections[port] = HTTPConnection("127.0.0.1", port, timeout=self.timeout)
        return conn

    def _drop(self, port: int) -> None:
        conn = self._connections.pop(port, None)
        if conn is not None:
            conn.close()

    def close(self) -> None:
        for port in list(self._connections):
            self._drop(port)

    def request(self, method: str, path: str, form: dict | None = None) -> Response:
        """One request to the next server in turn; connection errors are retried.

        Retrying a POST is safe by design: the answer names its step, so a form that did
        arrive the first time comes back as "already recorded", never as a second step.
        """
        port = self.ports[self._turn % len(self.ports)]
        self._turn += 1
        body = urlencode(form) if form is not None else None
        headers = {"Host": f"127.0.0.1:{port}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookie:
            headers["Cookie"] = f"session={self.cookie}"
        give_up = time.monotonic() + self.retry_for
        tries = 0
        while True:
            tries += 1
            conn = self._connection(port)
            try:
                conn.request(method, path, body=body, headers=headers)
                raw = conn.getresponse()
                text = raw.read().decode("utf-8", "replace")
                response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, text)
                for header in raw.headers.get_all("Set-Cookie") or []:
                    self._take_cookie(header)
                if raw.will_close:
                    self._drop(port)
                break
            except RETRYABLE:
                self._drop(port)
                self.ledger.connection_errors += 1
                # A keep-alive connection the server closed is retried at once; a server
                # that is down is retried until retry_for runs out.
                if tries == 1 or time.monotonic() < give_up:
                    time.sleep(0 if tries == 1 else 0.1)
                    continue
                raise
        self.ledger.statuses[response.status] += 1
        if response.status >= 500:
            self.ledger.server_errors.append(f"{method} {path} -> {response.status}: {response.text[:300]}")
            raise ServerError(f"{method} {path} -> {response.status}")
        return response

    def _take_cookie(self, header: str) -> None:
        jar = SimpleCookie()
        jar.load(header)
        if "session" in jar:
            morsel = jar["session"]
            self.cookie = morsel.value or None
            if morsel["expires"] and "1970" in morsel["expires"]:
                self.cookie = None

    def flashes(self) -> str:
        try:
            return session_payload(self.cookie) if self.cookie else ""
        except (ValueError, zlib.error):
            return ""

    # -- the trainee's actions ---------------------------------------------------------

    def login(self) -> None:
        page = self.request("GET", "/login")
        token = csrf_from(page.text)
        response = self.request("POST", "/login", {"username": self.username, "password": self.username,
                                                    "csrf_token": token or ""})
        if response.status != 302:
            raise AssertionError(f"{self.username} could not log in: {response.status}")
        self.csrf = token

    def start(self, scenario_id: str | None = None) -> int:
        """Start (or resume) an attempt at a scenario; its id."""
        scenario_id = scenario_id or self.rng.choice(self.scenarios)
        if self.csrf is None:
            self.csrf = csrf_from(self.request("GET", f"/scenarios/{scenario_id}").text)
        response = self.request("POST", f"/scenarios/{scenario_id}/start", {"csrf_token": self.csrf or ""})
        match = _ATTEMPT.match(response.location) if response.status == 302 else None
        if not match:
            raise AssertionError(f"start {scenario_id} -> {response.status} {response.location}")
        self.attempt = int(match.group(1))
        self.ledger.attempts_started.add(self.attempt)
        return self.attempt

    def page(self, attempt: int) -> PlayPage | None:
        """The attempt's play page; None when it has finished (or was set aside)."""
        response = self.request("GET", f"/attempts/{attempt}")
        if response.status == 302:
            if _DEBRIEF.match(response.location):
                self.ledger.attempts_finished.add(attempt)
            return None
        if response.status != 200:
            raise AssertionError(f"GET /attempts/{attempt} -> {response.status}")
        parsed = parse_play_page(response.text)
        if parsed is None:
            self.ledger.unexpected.append(f"/attempts/{attempt}: no answer form")
            return None
        self.csrf = parsed.csrf
        return parsed

    def answer(self, attempt: int, page: PlayPage, choice: str | None = None) -> bool:
        """Answer the page's step; True if the server acknowledged it as recorded."""
        form = {"csrf_token": page.csrf, "step": str(page.step)}
        if page.text_field:
            choice = None
            form[page.text_field] = WRITTEN_ANSWER
        else:
            choice = choice or self.rng.choice(page.choices)
            form["choice"] = choice
        response = self.request("POST", f"/attempts/{attempt}/answer", form)
        finished = response.status == 302 and _DEBRIEF.match(response.location) is not None
        if response.status != 302 or (_ATTEMPT.match(response.location) is None and not finished):
            self.ledger.unexpected.append(f"answer {attempt}#{page.step} {choice} -> {response.status} "
                                          f"{response.location or response.text[:200]}")
            return False
        if ALREADY_RECORDED in self.flashes():
            self.ledger.not_recorded += 1
            return False
        self.ledger.acknowledged.append((attempt, page.step, choice))
        if finished:  # the last answer: the server sends the trainee on to the debrief
            self.ledger.attempts_finished.add(attempt)
            self.attempt = None
        return True

    def current_page(self):
        """The open attempt's page, starting an attempt if none is open; None when it just ended."""
        if self.attempt is None:
            self.start()
        page = self.page(self.attempt)
        if page is None:
            self.attempt = None
        return page

    def play_once(self) -> None:
        """One step of the loop: start an attempt if none is open, else answer its step."""
        page = self.current_page()
        if page is None:
            return
        low, high = self.think
        if high:
            time.sleep(self.rng.uniform(low, high))
        self.answer(self.attempt, page)

    def run(self, stop: threading.Event, deadline: float) -> None:
        """Play until ``stop`` is set or ``deadline`` (monotonic) passes."""
        try:
            self.login()
            while not stop.is_set() and time.monotonic() < deadline:
                try:
                    self.play_once()
                except ServerError:
                    time.sleep(0.05)
        except RETRYABLE as exc:
            self.ledger.unexpected.append(f"gave up after connection errors: {exc!r}")
        except Exception as exc:  # noqa: BLE001 - reported by the test, never lost in a thread
            self.ledger.unexpected.append(f"{type(exc).__name__}: {exc}")
        finally:
            self.close()


def run_trainees(trainees: list[Trainee], seconds: float, stop: threading.Event | None = None,
                 grace: float = 60.0) -> None:
    """Run every trainee in its own thread for ``seconds``, then wait for them to finish."""
    stop = stop or threading.Event()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=t.run, args=(stop, deadline), name=t.username, daemon=True)
               for t in trainees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + grace)
    stop.set()
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        raise AssertionError(f"trainees still running after the grace period: {stuck[:5]}")


def summary(trainees: list[Trainee]) -> dict:
    statuses = Counter()
    for t in trainees:
        statuses.update(t.ledger.statuses)
    return {
        "acknowledged": sum(len(t.ledger.acknowledged) for t in trainees),
        "not_recorded": sum(t.ledger.not_recorded for t in trainees),
        "finished_attempts": sum(len(t.ledger.attempts_finished) for t in trainees),
        "connection_errors": sum(t.ledger.connection_errors for t in trainees),
        "requests": sum(statuses.values()),
        "statuses": dict(sorted(statuses.items())),
    }


def describe(trainees: list[Trainee]) -> str:
    return json.dumps(summary(trainees), sort_keys=True)
