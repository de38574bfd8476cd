"""Where agents publish: Kafka in the worker, a list in agent tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

Headers = Sequence[tuple[str, bytes]]


class Outbox(Protocol):
    """Publishes one record and returns an awaitable that completes when the broker acked it."""

    async def send(
        self, topic: str, key: bytes, value: bytes, headers: Headers = ()
    ) -> Awaitable[Any]: ...


class KafkaOutbox:
    """Publishes through the Faust app's producer (acks=all); topics are raw bytes in and out."""

    def __init__(self, app: Any, topic_configs: dict[str, dict[str, Any]]) -> None:
        self._app = app
        self._topic_configs = topic_configs
        self._topics: dict[str, Any] = {}

    def topic(self, name: str) -> Any:
        """The Faust topic for a name, created once with raw serialisers."""
        if name not in self._topics:
            self._topics[name] = self._app.topic(
                name,
                key_serializer="raw",
                value_serializer="raw",
                **self._topic_configs.get(name, {}),
            )
        return self._topics[name]

    async def send(
        self, topic: str, key: bytes, value: bytes, headers: Headers = ()
    ) -> Awaitable[Any]:
        return await self.topic(topic).send(key=key, value=value, headers=list(headers))  # type: ignore[no-any-return]


@dataclass(slots=True)
class SentRecord:
    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]]


@dataclass(slots=True)
class MemoryOutbox:
    """Keeps what was published, for agent tests that run without a broker."""

    sent: list[SentRecord] = field(default_factory=list)

    async def send(
        self, topic: str, key: bytes, value: bytes, headers: Headers = ()
    ) -> Awaitable[Any]:
        self.sent.append(SentRecord(topic, key, value, list(headers)))
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        done.set_result(None)
        return done

    def on_topic(self, topic: str) -> list[SentRecord]:
        """The records published to one topic, in order."""
        return [record for record in self.sent if record.topic == topic]
