"""The processes the benchmark commands start: a fixed environment, and every one stopped at the end."""

import signal
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from tooling.processes import BenchProcesses

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_a_process_started_inside_is_stopped_when_an_error_leaves():
    bench = BenchProcesses()
    with pytest.raises(RuntimeError), bench.stopping_processes():
        process = bench.popen(SLEEPER, env={})
        raise RuntimeError("the run failed")
    assert process.poll() is not None


def test_an_interruption_is_reported_as_a_command_error():
    with pytest.raises(CommandError, match="Interrupted"), BenchProcesses().stopping_processes():
        raise KeyboardInterrupt


def test_the_sigterm_handler_is_given_back_afterwards():
    before = signal.getsignal(signal.SIGTERM)
    with BenchProcesses().stopping_processes():
        pass
    assert signal.getsignal(signal.SIGTERM) is before


def test_child_processes_get_local_settings_where_the_tooling_commands_exist():
    assert BenchProcesses().bench_env(Path("bench.sqlite3"))["ENVIRONMENT"] == "local"
