"""Tests of workers.broker: properties rendering, pid safety and a real broker's lifecycle."""

from __future__ import annotations

import asyncio
import os
import socket
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

import workers.broker as local_broker
from workers.broker.config import (
    BrokerConfig,
    new_cluster_id,
    parse_properties,
    port_of,
    render_properties,
)
from workers.broker.paths import DataDir
from workers.broker.probe import answers
from workers.errors import BrokerError

# --- unit tests (no broker) -------------------------------------------------------------------


def _rendered(tmp_path: Path) -> dict[str, str]:
    """Render and parse the properties of a broker on ports 19092/19093."""
    return parse_properties(render_properties(BrokerConfig(19092, 19093, tmp_path / "logs")))


def test_properties_make_a_single_node_kraft_broker(tmp_path: Path) -> None:
    """The rendered properties describe one combined broker+controller node in KRaft mode."""
    props = _rendered(tmp_path)
    assert props["process.roles"] == "broker,controller"
    assert props["node.id"] == "1"
    assert props["controller.quorum.voters"] == "1@localhost:19093"
    assert props["controller.listener.names"] == "CONTROLLER"
    assert props["log.dirs"] == str(tmp_path / "logs")


def test_properties_listen_on_the_requested_ports(tmp_path: Path) -> None:
    """PLAINTEXT listens and is advertised on the port; CONTROLLER uses the controller port."""
    props = _rendered(tmp_path)
    assert props["listeners"] == "PLAINTEXT://localhost:19092,CONTROLLER://localhost:19093"
    assert props["advertised.listeners"] == "PLAINTEXT://localhost:19092"
    assert port_of(props) == 19092


def test_properties_suit_a_one_node_development_cluster(tmp_path: Path) -> None:
    """Internal topics have replication 1, topics auto-create and rebalances start at once."""
    props = _rendered(tmp_path)
    assert props["offsets.topic.replication.factor"] == "1"
    assert props["transaction.state.log.replication.factor"] == "1"
    assert props["transaction.state.log.min.isr"] == "1"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["auto.create.topics.enable"] == "true"
    assert props["num.partitions"] == "1"


def test_cluster_id_has_kafka_format() -> None:
    """A new cluster id is 22 url-safe base64 characters not starting with a dash."""
    cluster_id = new_cluster_id()
    assert len(cluster_id) == 22
    assert not cluster_id.startswith("-")
    assert set(cluster_id) <= set(string.ascii_letters + string.digits + "-_")


def test_kafka_home_follows_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """NEWSFLOW_KAFKA_HOME moves the jar cache, and the libs dir lives inside it."""
    monkeypatch.setenv("NEWSFLOW_KAFKA_HOME", str(tmp_path))
    assert local_broker.kafka_home() == tmp_path.resolve()
    assert local_broker.libs_dir() == tmp_path.resolve() / "libs"


def test_stop_without_pid_file_is_a_noop(tmp_path: Path) -> None:
    """Stopping a data dir that has no pid file returns False and raises nothing."""
    assert local_broker.stop(tmp_path) is False


def test_stop_never_signals_a_process_that_is_not_its_broker(tmp_path: Path) -> None:
    """A pid file naming some other process (here pytest itself) is discarded, not signalled."""
    DataDir.of(tmp_path).pid_file.write_text(f"{os.getpid()}\n")
    assert local_broker.stop(tmp_path) is False
    assert not DataDir.of(tmp_path).pid_file.exists()


def test_start_refuses_a_busy_port(tmp_path: Path) -> None:
    """Starting on a port another process listens on fails fast with a BrokerError."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        with pytest.raises(BrokerError, match="already in use"):
            local_broker.start(port=sock.getsockname()[1], data_dir=tmp_path)


# --- integration tests (real broker) ----------------------------------------------------------


@pytest.fixture(scope="module")
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int, str]]:
    """Yield (data dir, port, address) of a broker started for this module only."""
    data_dir = tmp_path_factory.mktemp("own-kafka")
    port = local_broker.free_port()
    address = local_broker.start(port=port, data_dir=data_dir)
    try:
        yield data_dir, port, address
    finally:
        local_broker.stop(data_dir)


async def _round_trip(bootstrap: str, topic: str) -> bytes:
    """Produce one record to ``topic`` and return the value a consumer group reads back."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(topic, b"hello newsflow")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, group_id=topic, auto_offset_reset="earliest"
    )
    await consumer.start()
    try:
        record = await asyncio.wait_for(consumer.getone(), 30)
    finally:
        await consumer.stop()
    return bytes(record.value)


@pytest.mark.integration
async def test_started_broker_round_trips_a_record(
    own_broker: tuple[Path, int, str], unique_name: str
) -> None:
    """The address start returns accepts a produce and a consumer-group read of the record."""
    _, port, address = own_broker
    assert address == f"localhost:{port}"
    assert await _round_trip(address, unique_name) == b"hello newsflow"


@pytest.mark.integration
def test_start_again_reuses_the_running_broker(own_broker: tuple[Path, int, str]) -> None:
    """A second start on the same data dir returns the same address and keeps the same process."""
    data_dir, port, address = own_broker
    pid = local_broker.running_pid(data_dir)
    assert pid is not None
    assert local_broker.start(port=port, data_dir=data_dir) == address
    assert local_broker.running_pid(data_dir) == pid


@pytest.mark.integration
def test_start_again_on_another_port_is_refused(own_broker: tuple[Path, int, str]) -> None:
    """Asking the running data dir's broker for a different port raises a BrokerError."""
    data_dir, port, _ = own_broker
    with pytest.raises(BrokerError, match="already runs on port"):
        local_broker.start(port=local_broker.free_port(), data_dir=data_dir)


@pytest.mark.integration
def test_stop_of_another_data_dir_leaves_the_broker_running(
    own_broker: tuple[Path, int, str], tmp_path: Path
) -> None:
    """Stopping a different data dir is a no-op and the broker keeps answering."""
    data_dir, _, address = own_broker
    pid = local_broker.running_pid(data_dir)
    assert local_broker.stop(tmp_path) is False
    assert local_broker.running_pid(data_dir) == pid
    assert answers(address)


@pytest.mark.integration
def test_stop_stops_the_broker_and_a_second_stop_is_a_noop(tmp_path: Path) -> None:
    """Stop ends the broker process and frees its port; stopping again returns False."""
    port = local_broker.free_port()
    local_broker.start(port=port, data_dir=tmp_path)
    pid = local_broker.running_pid(tmp_path)
    assert pid is not None
    assert local_broker.stop(tmp_path) is True
    assert local_broker.running_pid(tmp_path) is None
    assert not Path(f"/proc/{pid}").exists()
    assert not answers(f"localhost:{port}")
    assert local_broker.stop(tmp_path) is False


@pytest.mark.integration
def test_restart_after_stop_keeps_the_formatted_storage(tmp_path: Path) -> None:
    """Starting a stopped data dir again reuses its storage (same cluster id) and answers."""
    port = local_broker.free_port()
    local_broker.start(port=port, data_dir=tmp_path)
    meta = DataDir.of(tmp_path).meta_properties.read_text()
    local_broker.stop(tmp_path)
    try:
        address = local_broker.start(port=port, data_dir=tmp_path)
        assert answers(address)
        assert DataDir.of(tmp_path).meta_properties.read_text() == meta
    finally:
        local_broker.stop(tmp_path)


@pytest.mark.integration
def test_session_fixture_gives_an_answering_broker(kafka_bootstrap: str) -> None:
    """The shared kafka_bootstrap fixture yields the address of a broker that answers."""
    assert answers(kafka_bootstrap)
