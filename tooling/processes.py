"""The processes the benchmark commands start (manage.py, gunicorn, wrk, Lighthouse), all on 127.0.0.1."""

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

HOST = "127.0.0.1"
# A fixed key: the bench database holds nothing secret, and runs stay comparable.
BENCH_SECRET_KEY = "bench-only-7Qx2vN9pLk4Rt8Wz3Hc6Jm1Yb5Fd0Gs-e2Ua7Kn4Pq9Xw3Vr6Ty8Zc1"
GUNICORN_OPTIONS = [
    "--workers", "2",
    "--worker-class", "gthread",
    "--threads", "4",
    "--keep-alive", "5",
    "--backlog", "2048",
    "--timeout", "60",
    "--graceful-timeout", "5",
    "--log-level", "warning",
]  # fmt: skip
STARTUP_TIMEOUT = 60  # seconds for gunicorn to answer


class BenchProcesses:
    """A command mixin: a fixed environment for child processes, and every process stopped when it ends."""

    @property
    def manage(self) -> list[str]:
        return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]

    def bench_env(self, database: Path) -> dict[str, str]:
        """A clean, fixed environment: nothing from the caller's shell changes what is measured."""
        env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if key in os.environ}
        env |= {
            "DJANGO_SETTINGS_MODULE": "glossary_site.settings",
            "ENVIRONMENT": "local",
            "SQLITE_PATH": str(database),
            "VAR_DIR": str(settings.VAR_DIR),
            "DEBUG": "0",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            # Nor the developer's .env (a DATABASE_URL or CACHE_URL there would change what is measured).
            "ENV_FILE": os.devnull,
        }
        return env

    # --- Processes ------------------------------------------------------------------------------

    def popen(self, command: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:
        """Start a process in its own process group, remembered so that it is always stopped."""
        process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def check_call(self, command: list[str], env: dict[str, str]) -> None:
        process = self.popen(command, env)
        if process.wait() != 0:
            raise CommandError(f"{' '.join(command[1:])} failed (exit code {process.returncode}).")

    def check_output(self, command: list[str], env: dict[str, str]) -> str:
        process = self.popen(command, env, stdout=subprocess.PIPE, text=True)
        out, _ = process.communicate()
        if process.returncode != 0:
            raise CommandError(f"{' '.join(command[1:])} failed (exit code {process.returncode}).")
        return out

    def stop(self, process: subprocess.Popen) -> None:
        """Terminate the process's group, then kill it if it has not gone within ten seconds."""
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for process in reversed(getattr(self, "processes", [])):
            self.stop(process)

    @contextlib.contextmanager
    def stopping_processes(self):
        """Stop every process started inside, on errors, Ctrl-C and SIGTERM too."""
        self.processes: list[subprocess.Popen] = []
        previous_sigterm = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
        try:
            yield
        except KeyboardInterrupt:
            raise CommandError("Interrupted; every process the bench started has been stopped.") from None
        finally:
            self.stop_all()
            signal.signal(signal.SIGTERM, previous_sigterm)

    def start_gunicorn(self, env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
        """gunicorn in the benchmarks' fixed configuration on 127.0.0.1:`port`, once it answers /livez."""
        if not port_is_free(port):
            raise CommandError(f"Port {port} on {HOST} is in use; choose another with --port.")
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        command = [gunicorn, "glossary_site.wsgi", "--bind", f"{HOST}:{port}", *GUNICORN_OPTIONS]
        command += ["--error-logfile", str(log)]
        # The page cache stores only pages asked for under the site's own address.
        env = {**env, "SITE_URL": f"http://{HOST}:{port}"}
        process = self.popen(command, env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise CommandError(f"gunicorn exited with code {process.returncode}; see {log}.")
            try:
                if fetch_status(f"http://{HOST}:{port}/livez", timeout=2) == 200:
                    return process
            except OSError:
                pass
            time.sleep(0.2)
        raise CommandError(f"gunicorn did not answer on {HOST}:{port} within {STARTUP_TIMEOUT} s; see {log}.")

    def say(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def split_url(url: str) -> tuple[str, int, str]:
    match = re.fullmatch(r"http://127\.0\.0\.1:(\d+)(/.*)", url)
    if match is None:
        raise CommandError(f"Refusing to load anything but {HOST}: {url}")
    return HOST, int(match.group(1)), match.group(2)


def fetch_status(url: str, timeout: float = 10) -> int:
    host, port, path = split_url(url)
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()
