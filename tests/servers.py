"""Starting real servers for tests: a free local port, and waiting until a server answers."""

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    """Return once `url` answers; fail the test, pointing at its log, if the process exits or never answers."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The server for {url} did not start; {log}:\n{log.read_text()}", pytrace=False)
            time.sleep(0.2)
