"""Start, find and stop a local single-node KRaft Kafka broker whose state lives in a data dir."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from workers.broker.config import (
    HOST,
    BrokerConfig,
    free_port,
    new_cluster_id,
    parse_properties,
    port_in_use,
    port_of,
    render_properties,
)
from workers.broker.install import install
from workers.broker.paths import DEFAULT_PORT, DataDir, default_data_dir, deploy_dir
from workers.broker.probe import answers
from workers.errors import BrokerError

log = logging.getLogger(__name__)

MAIN_CLASS = "kafka.Kafka"
STORAGE_TOOL = "kafka.tools.StorageTool"
JVM_OPTS = ("-Xms128m", "-Xmx512m", "-XX:+UseG1GC", "-Djava.awt.headless=true")
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
LOG_TAIL_LINES = 25


def _java() -> str:
    """Return the java executable, from ``$JAVA_HOME`` or PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise BrokerError("java not found on PATH; install a JRE >= 17")
    return java


def _java_cmd(libs: Path, data: DataDir, main: str, *args: str) -> list[str]:
    """Return the command line running ``main`` on the Kafka classpath with the data dir's logs."""
    return [
        _java(), *JVM_OPTS,
        f"-Dlog4j2.configurationFile={data.log4j_config}",
        f"-Dkafka.logs.dir={data.logs}",
        "-cp", f"{libs}/*", main, *args,
    ]  # fmt: skip


def _tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """Return the last lines of a file, or an empty string if it does not exist."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def log_tail(data: DataDir) -> str:
    """Return the tails of the broker's server log and console output, for error messages."""
    parts = []
    for path in (data.server_log, data.console_log):
        text = _tail(path)
        if text:
            parts.append(f"--- {path} ---\n{text}")
    return "\n".join(parts) or "(the broker wrote no log)"


def _alive(pid: int) -> bool:
    """Tell whether ``pid`` is still running, reaping it if it is our child and has exited."""
    if not _state_is_dead(f"/proc/{pid}/stat") or _has_running_thread(pid):
        # A JVM's main thread can show as a zombie while its other threads still shut down.
        return Path(f"/proc/{pid}").exists()
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False  # not our child: its own parent reaps it
    return reaped == 0  # 0: the exit has not completed yet


def _state_is_dead(stat_path: str) -> bool:
    """Whether the /proc stat file is gone or says zombie (Z) or dead (X)."""
    try:
        stat = Path(stat_path).read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def _has_running_thread(pid: int) -> bool:
    """Whether any thread of ``pid`` has not exited yet."""
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return False
    return any(not _state_is_dead(f"/proc/{pid}/task/{tid}/stat") for tid in threads)


def _is_broker_of(pid: int, data: DataDir) -> bool:
    """Tell whether ``pid`` is a live Kafka broker started on this data dir's server.properties."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return False
    return MAIN_CLASS in args and str(data.properties) in args and _alive(pid)


def _read_pid(data: DataDir) -> int | None:
    """Return the pid recorded in the data dir, or None if there is no valid pid file."""
    try:
        return int(data.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def running_pid(data_dir: Path | str | None = None) -> int | None:
    """Return the pid of the broker running from ``data_dir``, or None if there is none."""
    data = DataDir.of(data_dir or default_data_dir())
    pid = _read_pid(data)
    return pid if pid is not None and _is_broker_of(pid, data) else None


def _wait_ready(data: DataDir, pid: int, bootstrap: str, timeout: float) -> None:
    """Block until the broker answers at ``bootstrap``; raise BrokerError if it dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            raise BrokerError(f"Kafka broker (pid {pid}) exited during startup:\n{log_tail(data)}")
        if answers(bootstrap):
            return
        time.sleep(0.5)
    raise BrokerError(
        f"Kafka broker at {bootstrap} did not answer within {timeout:.0f}s:\n{log_tail(data)}"
    )


def _reuse(data: DataDir, pid: int, port: int, timeout: float) -> str:
    """Return the address of the broker already running from ``data`` after checking its port."""
    actual = port_of(parse_properties(data.properties.read_text()))
    if actual != port:
        raise BrokerError(
            f"the broker of {data.root} (pid {pid}) already runs on port {actual}, not {port}; "
            "stop it first"
        )
    bootstrap = f"{HOST}:{port}"
    _wait_ready(data, pid, bootstrap, timeout)
    log.info("reusing Kafka broker pid %s at %s", pid, bootstrap)
    return bootstrap


def _write_config(data: DataDir, config: BrokerConfig) -> None:
    """Write server.properties and the log4j2 config into the data dir."""
    data.root.mkdir(parents=True, exist_ok=True)
    data.logs.mkdir(exist_ok=True)
    data.properties.write_text(render_properties(config))
    shutil.copyfile(deploy_dir() / "log4j2.properties", data.log4j_config)


def _format_storage(data: DataDir, libs: Path) -> None:
    """Format the KRaft log dir with a fresh cluster id, unless it is already formatted."""
    if data.meta_properties.is_file():
        return
    cmd = _java_cmd(libs, data, STORAGE_TOOL, "format", "--cluster-id", new_cluster_id(),
                    "--config", str(data.properties), "--ignore-formatted")  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    if done.returncode != 0:
        raise BrokerError(
            f"kafka storage format failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )


def _launch(data: DataDir, libs: Path) -> int:
    """Start the broker detached in its own session, record and return its pid."""
    cmd = _java_cmd(libs, data, MAIN_CLASS, str(data.properties))
    with data.console_log.open("ab") as out:
        proc = subprocess.Popen(cmd, cwd=data.root, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    data.pid_file.write_text(f"{proc.pid}\n")
    return proc.pid


def start(
    port: int = DEFAULT_PORT,
    controller_port: int | None = None,
    data_dir: Path | str | None = None,
    timeout: float = START_TIMEOUT_S,
) -> str:
    """Start (or reuse) the broker of ``data_dir`` on localhost:``port`` and return its address."""
    data = DataDir.of(data_dir or default_data_dir())
    pid = running_pid(data.root)
    if pid is not None:
        return _reuse(data, pid, port, timeout)
    data.pid_file.unlink(missing_ok=True)
    if port_in_use(port):
        raise BrokerError(f"port {port} is already in use; pick another with --port")
    libs = install()
    config = BrokerConfig(port, controller_port or free_port(), data.log_dirs)
    _write_config(data, config)
    _format_storage(data, libs)
    pid = _launch(data, libs)
    log.info("started Kafka broker pid %s from %s", pid, data.root)
    try:
        _wait_ready(data, pid, config.bootstrap, timeout)
    except BrokerError:
        stop(data.root)
        raise
    return config.bootstrap


def _signal_and_wait(pid: int, sig: signal.Signals, timeout: float) -> bool:
    """Send ``sig`` to ``pid`` and return whether it exited within ``timeout`` seconds."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return not _alive(pid)


def stop(data_dir: Path | str | None = None, timeout: float = STOP_TIMEOUT_S) -> bool:
    """Stop the broker whose pid file is in ``data_dir``; return False if there was none."""
    data = DataDir.of(data_dir or default_data_dir())
    pid = _read_pid(data)
    if pid is None:
        log.debug("no Kafka broker pid file in %s", data.root)
        return False
    if not _is_broker_of(pid, data):
        log.debug("pid %s is not a Kafka broker of %s; removing stale pid file", pid, data.root)
        data.pid_file.unlink(missing_ok=True)
        return False
    if not _signal_and_wait(pid, signal.SIGTERM, timeout):
        log.warning("Kafka broker pid %s ignored SIGTERM for %.0fs; sending SIGKILL", pid, timeout)
        if not _signal_and_wait(pid, signal.SIGKILL, 10.0):
            raise BrokerError(f"Kafka broker pid {pid} survived SIGKILL")
    data.pid_file.unlink(missing_ok=True)
    log.info("stopped Kafka broker pid %s of %s", pid, data.root)
    return True
