"""Outside views of the server under load: its memory and CPU from /proc, and HTTP login."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import http.client
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class ProcSample:
    """One sample of the watched server processes: memory and CPU are sums over them."""

    at: float
    rss_kib: int
    hwm_kib: int
    cpu_seconds: float
    machine_busy_seconds: float = 0.0
    services_seconds: float = 0.0
    cpu_by_pid: dict[int, float] = field(default_factory=dict)


def machine_busy_seconds() -> float:
    """CPU seconds every core of the machine has spent busy since boot (from /proc/stat)."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / CLOCK_TICKS


SERVICE_COMMANDS = ("postgres", "redis-server")


def services_cpu_seconds(commands: tuple[str, ...] = SERVICE_COMMANDS) -> float:
    """CPU seconds used so far by every process named like a backing service (all of
    PostgreSQL's and Redis's processes on the machine, whoever's load they serve)."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as stat:
                raw = stat.read()
        except OSError:
            continue
        name = raw[raw.find("(") + 1 : raw.rfind(")")]
        if name in commands:
            fields = raw.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def machine_load() -> float:
    """One-minute load average."""
    with open("/proc/loadavg", encoding="ascii") as loadavg:
        return float(loadavg.read().split()[0])


def wait_for_quiet(*, limit: float, busy_cores: float = 0.3, window: float = 3.0) -> float:
    """Wait (at most ``limit`` s) until the machine's busy CPU over ``window`` s falls below
    ``busy_cores`` cores; return the last measured figure. Other people's jobs on a shared
    machine otherwise take the CPU a measurement needs.
    """
    deadline = time.monotonic() + limit
    while True:
        before = machine_busy_seconds()
        time.sleep(window)
        busy = (machine_busy_seconds() - before) / window
        if busy < busy_cores or time.monotonic() >= deadline:
            return busy


def _read_one(pid: int) -> tuple[int, int, float] | None:
    """Resident memory, its peak (VmHWM) in KiB and CPU seconds so far of ``pid``."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            text = status.read()
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    rss = re.search(r"^VmRSS:\s+(\d+) kB", text, re.MULTILINE)
    hwm = re.search(r"^VmHWM:\s+(\d+) kB", text, re.MULTILINE)
    # Fields after the command name start at field 3 (state); utime/stime are fields 14/15.
    cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return (int(rss.group(1)) if rss else 0, int(hwm.group(1)) if hwm else 0, cpu)


def read_proc(pid: int, *others: int) -> ProcSample | None:
    """One sample of ``pid`` (and ``others``, summed): resident memory, its peak (VmHWM)
    and CPU time so far; None when any of them is gone."""
    found = {p: _read_one(p) for p in (pid, *others)}
    if any(one is None for one in found.values()):
        return None
    values = {p: one for p, one in found.items() if one is not None}
    return ProcSample(
        at=time.monotonic(),
        rss_kib=sum(one[0] for one in values.values()),
        hwm_kib=sum(one[1] for one in values.values()),
        cpu_seconds=sum(one[2] for one in values.values()),
        machine_busy_seconds=machine_busy_seconds(),
        services_seconds=services_cpu_seconds(),
        cpu_by_pid={p: one[2] for p, one in values.items()},
    )


@dataclass
class ProcWatcher:
    """Samples a process (and ``others``: every process of a scaled-out server, summed)
    every ``interval`` seconds while the load runs."""

    pid: int
    interval: float = 0.5
    samples: list[ProcSample] = field(default_factory=list)
    others: tuple[int, ...] = ()
    _task: asyncio.Task[None] | None = None

    def start(self) -> None:
        first = read_proc(self.pid, *self.others)
        if first is None:
            raise SystemExit(
                f"No process {(self.pid, *self.others)} to watch (is --server-pid right?)."
            )
        self.samples.append(first)
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            sample = read_proc(self.pid, *self.others)
            if sample is not None:
                self.samples.append(sample)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        sample = read_proc(self.pid, *self.others)
        if sample is not None:
            self.samples.append(sample)

    def cpu_between(self, start: float, end: float) -> float | None:
        """CPU seconds the process used between two monotonic instants (nearest samples)."""
        inside = [s for s in self.samples if start <= s.at <= end]
        if len(inside) < 2:
            return None
        return inside[-1].cpu_seconds - inside[0].cpu_seconds

    def cpu_by_pid_between(self, start: float, end: float) -> dict[int, float]:
        """CPU seconds each watched process used between two instants."""
        inside = [s for s in self.samples if start <= s.at <= end]
        if len(inside) < 2:
            return {}
        first, last = inside[0].cpu_by_pid, inside[-1].cpu_by_pid
        return {pid: last[pid] - first[pid] for pid in last if pid in first}

    def machine_between(self, start: float, end: float) -> float | None:
        """Busy CPU seconds of the whole machine (all processes) between two instants."""
        inside = [s for s in self.samples if start <= s.at <= end]
        if len(inside) < 2:
            return None
        return inside[-1].machine_busy_seconds - inside[0].machine_busy_seconds

    def services_between(self, start: float, end: float) -> float | None:
        """CPU seconds PostgreSQL and Redis processes used between two instants."""
        inside = [s for s in self.samples if start <= s.at <= end]
        if len(inside) < 2:
            return None
        return inside[-1].services_seconds - inside[0].services_seconds

    def wall_between(self, start: float, end: float) -> float | None:
        inside = [s for s in self.samples if start <= s.at <= end]
        if len(inside) < 2:
            return None
        return inside[-1].at - inside[0].at


class LoginFailed(Exception):
    pass


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        # Secure cookies arrive over plain HTTP too (DJANGO_DEBUG=0); a browser would drop
        # them, the bench keeps them: the session cookie is only a header on the websocket.
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def totp_code(key_hex: str, *, ahead: int = 1, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code of an authenticator, ``ahead`` steps in the future.

    One step ahead is inside the server's tolerance and never the step the enrolment itself
    just used (a code is accepted once).
    """
    counter = int(time.time()) // step + ahead
    mac = hmac.new(bytes.fromhex(key_hex), counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    code = (int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


def http_login(port: int, username: str, password: str, otp_key: str | None = None) -> str:
    """Log in through ``/console/login/`` like a browser; return the session cookie's value.

    GETs the page for the CSRF cookie and form token (or, if the page sets none, uses a
    fresh double-submit token), then POSTs the credentials (and the authenticator's code)
    with a same-origin ``Origin``.
    """
    origin = f"http://127.0.0.1:{port}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/console/login/")
        page = conn.getresponse()
        body = page.read().decode("utf-8", "replace")
        cookies = _cookies(page)
    finally:
        conn.close()
    if page.status != 200:
        raise LoginFailed(f"GET /console/login/ answered {page.status}")
    csrf_cookie = cookies.get("csrftoken") or secrets.token_hex(16)
    found = re.search(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"', body)
    form_token = found.group(1) if found else csrf_cookie
    fields = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": form_token,
        "next": "/console/",
    }
    if otp_key:
        fields["otp_token"] = totp_code(otp_key)
    form = urlencode(fields)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            "/console/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
                "Origin": origin,
                "Referer": f"{origin}/console/login/",
            },
        )
        answer = conn.getresponse()
        answer.read()
        cookies = _cookies(answer)
    finally:
        conn.close()
    session = cookies.get("sessionid")
    if answer.status != 302 or not session:
        raise LoginFailed(
            f"POST /console/login/ for {username} answered {answer.status} without a session"
        )
    return session
