"""A real local Apache Kafka broker (single-node KRaft) for development, tests and demos."""

from __future__ import annotations

from workers.broker.config import BrokerConfig, free_port, render_properties
from workers.broker.install import install, is_installed
from workers.broker.paths import (
    DEFAULT_PORT,
    KAFKA_VERSION,
    default_data_dir,
    kafka_home,
    libs_dir,
)
from workers.broker.process import log_tail, running_pid, start, stop

__all__ = [
    "DEFAULT_PORT",
    "KAFKA_VERSION",
    "BrokerConfig",
    "default_data_dir",
    "free_port",
    "install",
    "is_installed",
    "kafka_home",
    "libs_dir",
    "log_tail",
    "render_properties",
    "running_pid",
    "start",
    "stop",
]
