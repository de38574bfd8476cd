"""Where the local Kafka broker's jars, deployment files and per-data-dir files live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

KAFKA_VERSION = "4.1.1"
KAFKA_HOME_ENV = "NEWSFLOW_KAFKA_HOME"
DEFAULT_PORT = 9092


def kafka_home() -> Path:
    """Return the directory holding the Kafka jars, ``$NEWSFLOW_KAFKA_HOME`` or the user cache."""
    override = os.environ.get(KAFKA_HOME_ENV)
    if override:
        return Path(override).expanduser().resolve()
    return Path.home() / ".cache" / "newsflow" / f"kafka-{KAFKA_VERSION}"


def libs_dir() -> Path:
    """Return the directory the broker's classpath jars are copied into."""
    return kafka_home() / "libs"


def deploy_dir() -> Path:
    """Return the repository's ``deploy/kafka`` directory (pom and log4j2 config)."""
    return Path(__file__).resolve().parents[2] / "deploy" / "kafka"


def default_data_dir() -> Path:
    """Return the default broker data dir, ``var/kafka`` under the current directory."""
    return Path.cwd() / "var" / "kafka"


@dataclass(frozen=True)
class DataDir:
    """The files a broker keeps in its data dir, all derived from one absolute root."""

    root: Path

    @classmethod
    def of(cls, path: Path | str) -> DataDir:
        """Build a DataDir from any path, made absolute so pid checks compare exact strings."""
        return cls(Path(path).expanduser().resolve())

    @property
    def properties(self) -> Path:
        """The broker's ``server.properties``."""
        return self.root / "server.properties"

    @property
    def pid_file(self) -> Path:
        """The file holding the broker's process id."""
        return self.root / "broker.pid"

    @property
    def log_dirs(self) -> Path:
        """Kafka's ``log.dirs``: topic partitions and KRaft metadata."""
        return self.root / "kraft-logs"

    @property
    def meta_properties(self) -> Path:
        """The file the storage tool writes when it formats ``log_dirs``."""
        return self.log_dirs / "meta.properties"

    @property
    def logs(self) -> Path:
        """Directory of the broker's log4j2 logs (``kafka.logs.dir``)."""
        return self.root / "logs"

    @property
    def server_log(self) -> Path:
        """The broker's main log file, written by log4j2."""
        return self.logs / "server.log"

    @property
    def console_log(self) -> Path:
        """The file receiving the broker process's stdout and stderr."""
        return self.root / "broker.out"

    @property
    def log4j_config(self) -> Path:
        """The data dir's copy of the log4j2 configuration."""
        return self.root / "log4j2.properties"
