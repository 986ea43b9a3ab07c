"""The machine under the benchmarks: its CPU, and how much of it other processes and the hypervisor took."""

import os
import platform
from dataclasses import dataclass
from pathlib import Path


@dataclass
class CpuSample:
    """Seconds of CPU time since boot, over all CPUs."""

    total: float
    busy: float  # by any process
    steal: float  # withheld by the hypervisor
    ours: float  # by the bench: gunicorn's process group, wrk and this process


@dataclass
class Disturbance:
    """While measuring one page: the share of all CPUs used by other processes, and withheld by the hypervisor."""

    others: float
    steal: float

    @property
    def total(self) -> float:
        return self.others + self.steal


def cpu_sample(pgid: int) -> CpuSample | None:
    """Linux only: /proc/stat for the machine, /proc/<pid>/stat for gunicorn's group, os.times() for the rest."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    if len(fields) < 8:
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    ours = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            after_name = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(after_name[2]) == pgid:  # in gunicorn's process group
            ours += int(after_name[11]) + int(after_name[12])  # utime + stime
    tick = os.sysconf("SC_CLK_TCK")
    times = os.times()  # this process, and wrk once it has been waited for
    return CpuSample(
        total=sum(fields) / tick,
        busy=(user + nice + system + irq + softirq) / tick,
        steal=steal / tick,
        ours=ours / tick + times.user + times.system + times.children_user + times.children_system,
    )


def disturbance(before: CpuSample | None, after: CpuSample | None) -> Disturbance | None:
    if before is None or after is None or after.total <= before.total:
        return None
    total = after.total - before.total
    others = (after.busy - before.busy) - (after.ours - before.ours)
    return Disturbance(others=max(0.0, others / total), steal=(after.steal - before.steal) / total)


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
