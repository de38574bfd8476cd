"""Download the Kafka broker jars with Maven into the cache, once."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import shutil
import subprocess
from pathlib import Path

from workers.broker.paths import KAFKA_VERSION, deploy_dir, kafka_home, libs_dir
from workers.errors import BrokerError

log = logging.getLogger(__name__)

MARKER_NAME = ".installed"
REQUIRED_JARS = (
    f"kafka_2.13-{KAFKA_VERSION}.jar",
    f"kafka-server-{KAFKA_VERSION}.jar",
    f"kafka-storage-{KAFKA_VERSION}.jar",
    f"kafka-clients-{KAFKA_VERSION}.jar",
)
MVN_TIMEOUT_S = 900


def pom_path() -> Path:
    """Return the pom that lists the broker's jars."""
    return deploy_dir() / "pom.xml"


def _pom_digest() -> str:
    """Return the sha256 of the pom, so a changed pom triggers a reinstall."""
    path = pom_path()
    if not path.is_file():
        raise BrokerError(f"Kafka pom not found at {path}")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def is_installed() -> bool:
    """Tell whether the libs dir is complete and was installed from the current pom."""
    marker = kafka_home() / MARKER_NAME
    if not marker.is_file() or marker.read_text().strip() != _pom_digest():
        return False
    return all((libs_dir() / jar).is_file() for jar in REQUIRED_JARS)


def _run_maven(target: Path) -> None:
    """Run ``mvn dependency:copy-dependencies`` into ``target``, raising BrokerError on failure."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BrokerError("mvn not found on PATH; install Maven (apt-get install maven)")
    cmd = [
        mvn, "-q", "-B", "-f", str(pom_path()),
        "dependency:copy-dependencies", f"-Dkafka.libs.dir={target}",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=MVN_TIMEOUT_S, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as exc:
        raise BrokerError(f"mvn timed out after {MVN_TIMEOUT_S}s") from exc
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
        raise BrokerError(f"mvn failed with exit code {done.returncode}:\n{tail}")


def install(force: bool = False) -> Path:
    """Make sure the Kafka jars are in the libs dir and return that dir."""
    home = kafka_home()
    home.mkdir(parents=True, exist_ok=True)
    with (home / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not force and is_installed():
            return libs_dir()
        log.info("installing Kafka %s jars into %s", KAFKA_VERSION, libs_dir())
        marker = home / MARKER_NAME
        marker.unlink(missing_ok=True)
        shutil.rmtree(libs_dir(), ignore_errors=True)
        _run_maven(libs_dir())
        marker.write_text(_pom_digest() + "\n")
        if not is_installed():
            raise BrokerError(f"mvn ran but {libs_dir()} lacks the Kafka jars")
    return libs_dir()
