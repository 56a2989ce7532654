# SPDX-License-Identifier: GPL-2.0-only
"""Stopping a command mid-way, at a point a loaded machine does not shift: once the process has
used a given share of the CPU time a whole run of it used (its own, not its children's)."""
import os
import subprocess
import time


def cpu_seconds(pid):
    """User plus system CPU time of a running process (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_of_run(argv):
    """Run argv to the end; \\return its exit code and its own CPU time (the last reading)."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    used = 0.0
    while p.poll() is None:
        used = max(used, cpu_seconds(p.pid))
        time.sleep(0.005)
    return p.returncode, used


def stop_after_cpu(argv, seconds, sig):
    """Start argv, send sig once it has used `seconds` of CPU; \\return its exit code."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while p.poll() is None and cpu_seconds(p.pid) < seconds:
        time.sleep(0.005)
    p.send_signal(sig)
    return p.wait(timeout=600)
