"""Render a single-node KRaft ``server.properties`` and pick ports and cluster ids."""

from __future__ import annotations

import base64
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

HOST = "localhost"


@dataclass(frozen=True)
class BrokerConfig:
    """What varies between local brokers: the two ports and the log directory."""

    port: int
    controller_port: int
    log_dirs: Path

    @property
    def bootstrap(self) -> str:
        """The address clients bootstrap from, ``localhost:<port>``."""
        return f"{HOST}:{self.port}"


def render_properties(config: BrokerConfig) -> str:
    """Return the text of a combined broker+controller ``server.properties``."""
    props = {
        "process.roles": "broker,controller",
        "node.id": "1",
        "controller.quorum.voters": f"1@{HOST}:{config.controller_port}",
        "listeners": f"PLAINTEXT://{HOST}:{config.port},CONTROLLER://{HOST}:{config.controller_port}",
        "advertised.listeners": f"PLAINTEXT://{HOST}:{config.port}",
        "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.listener.names": "CONTROLLER",
        "inter.broker.listener.name": "PLAINTEXT",
        "log.dirs": str(config.log_dirs),
        "num.partitions": "1",
        "auto.create.topics.enable": "true",
        "offsets.topic.replication.factor": "1",
        "offsets.topic.num.partitions": "1",
        "transaction.state.log.replication.factor": "1",
        "transaction.state.log.min.isr": "1",
        "share.coordinator.state.topic.replication.factor": "1",
        "share.coordinator.state.topic.min.isr": "1",
        "group.initial.rebalance.delay.ms": "0",
    }
    lines = ["# Written by newsflow (workers.broker); rewritten on every start."]
    lines += [f"{key}={value}" for key, value in props.items()]
    return "\n".join(lines) + "\n"


def parse_properties(text: str) -> dict[str, str]:
    """Parse the simple ``key=value`` lines of a properties file, skipping comments."""
    result: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", "!")) and "=" in line:
            key, _, value = line.partition("=")
            result[key.strip()] = value.strip()
    return result


def port_of(properties: dict[str, str]) -> int | None:
    """Return the PLAINTEXT port advertised in parsed properties, or None."""
    for listener in properties.get("advertised.listeners", "").split(","):
        if listener.startswith("PLAINTEXT://"):
            return int(listener.rsplit(":", 1)[1])
    return None


def free_port() -> int:
    """Return a TCP port on localhost that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def port_in_use(port: int) -> bool:
    """Tell whether something already listens on (or holds) localhost:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return True
        return False


def new_cluster_id() -> str:
    """Return a random cluster id in Kafka's format (url-safe base64 of 16 bytes, no padding)."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id
