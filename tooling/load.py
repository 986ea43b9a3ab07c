"""Load on one URL of 127.0.0.1 for a fixed time, by wrk or a simple Python stand-in, and what it measured."""

import http.client
import re
import threading
import time
from dataclasses import dataclass

from django.core.management.base import CommandError

from .processes import fetch_status, split_url

WRK = "/usr/bin/wrk"


@dataclass
class Result:
    """What one load of a URL measured."""

    requests_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int
    seconds: float = 0.0
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    error_detail: str = ""

    @property
    def errors(self) -> str:
        total = self.non_2xx_3xx + self.socket_errors
        if not total:
            return "0"
        parts = []
        if self.non_2xx_3xx:
            parts.append(f"{self.non_2xx_3xx} non-2xx/3xx")
        if self.socket_errors:
            parts.append(f"{self.socket_errors} socket ({self.error_detail})")
        return ", ".join(parts)


def warm(url: str) -> None:
    status = fetch_status(url, timeout=60)
    if status != 200:
        raise CommandError(f"{url} answered {status} before the load started.")


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"Not a wrk duration: {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(out: str) -> Result:
    """Requests/sec, the 50% and 99% latencies, non-2xx/3xx responses and socket errors from wrk's report."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", out, re.M)
    total = re.search(r"^\s*(\d+) requests in ([\d.]+\w+),", out, re.M)
    if rps is None or total is None:
        raise CommandError(f"Could not read wrk's output:\n{out}")
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors, detail = 0, ""
    if sockets:
        numbers = dict(zip(("connect", "read", "write", "timeout"), map(int, sockets.groups()), strict=True))
        socket_errors = sum(numbers.values())
        detail = ", ".join(f"{kind} {n}" for kind, n in numbers.items() if n)
    return Result(
        requests_per_second=float(rps.group(1)),
        p50_ms=to_ms(p50.group(1)) if p50 else None,
        p99_ms=to_ms(p99.group(1)) if p99 else None,
        requests=int(total.group(1)),
        seconds=to_ms(total.group(2)) / 1000,
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=socket_errors,
        error_detail=detail,
    )


def python_load(url: str, duration: int, connections: int) -> Result:
    """A bounded stand-in for wrk: keep-alive connections on threads for a fixed time, every latency kept."""
    host, port, path = split_url(url)
    deadline = time.monotonic() + duration
    lock = threading.Lock()
    latencies: list[float] = []
    counts = {"bad": 0, "socket": 0}

    def worker():
        mine, bad, broken = [], 0, 0
        connection = http.client.HTTPConnection(host, port, timeout=30)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                broken += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                continue
            mine.append((time.perf_counter() - started) * 1000)
            if not 200 <= response.status < 400:
                bad += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            counts["bad"] += bad
            counts["socket"] += broken

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(connections, 64))]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(p: float) -> float | None:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else None

    return Result(
        requests_per_second=len(latencies) / elapsed,
        p50_ms=percentile(0.50),
        p99_ms=percentile(0.99),
        requests=len(latencies),
        seconds=elapsed,
        non_2xx_3xx=counts["bad"],
        socket_errors=counts["socket"],
        error_detail=f"{counts['socket']} failed requests" if counts["socket"] else "",
    )


def fmt_ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"
