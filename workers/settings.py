"""All configuration in one frozen settings object, read from environment variables."""

from __future__ import annotations

import os
import socket
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


def _default_worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Settings(BaseSettings):
    """newsflow settings; every field is the env var ``NEWSFLOW_<FIELD>`` unless noted."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSFLOW_", frozen=True, extra="ignore", populate_by_name=True
    )

    # Kafka connection (KAFKA_* names are shared with other Kafka tools).
    bootstrap_servers: str = Field(
        default="localhost:9092",
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "NEWSFLOW_BOOTSTRAP_SERVERS"),
    )
    security_protocol: SecurityProtocol = Field(
        default="PLAINTEXT",
        validation_alias=AliasChoices("KAFKA_SECURITY_PROTOCOL", "NEWSFLOW_SECURITY_PROTOCOL"),
    )
    sasl_mechanism: SaslMechanism = Field(
        default="PLAIN",
        validation_alias=AliasChoices("KAFKA_SASL_MECHANISM", "NEWSFLOW_SASL_MECHANISM"),
    )
    sasl_username: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_SASL_USERNAME", "NEWSFLOW_SASL_USERNAME"),
    )
    sasl_password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_SASL_PASSWORD", "NEWSFLOW_SASL_PASSWORD"),
    )
    ssl_cafile: Path | None = Field(
        default=None, validation_alias=AliasChoices("KAFKA_SSL_CAFILE", "NEWSFLOW_SSL_CAFILE")
    )
    ssl_certfile: Path | None = Field(
        default=None, validation_alias=AliasChoices("KAFKA_SSL_CERTFILE", "NEWSFLOW_SSL_CERTFILE")
    )
    ssl_keyfile: Path | None = Field(
        default=None, validation_alias=AliasChoices("KAFKA_SSL_KEYFILE", "NEWSFLOW_SSL_KEYFILE")
    )

    # Application and topics.
    app_id: str = "newsflow"
    topic_raw: str = "raw-articles"
    topic_military: str = "military"
    topic_diplomatic: str = "diplomatic"
    topic_unclassified: str = "unclassified"
    topic_duplicates: str = "duplicates"
    topic_dead_letter: str = "dead-letter"
    raw_partitions: int = Field(default=4, ge=1)
    output_partitions: int = Field(default=4, ge=1)
    replication_factor: int = Field(default=1, ge=1)

    # Processing.
    max_record_bytes: int = Field(default=1_000_000, ge=1024)
    batch_size: int = Field(default=200, ge=1)
    batch_within_seconds: float = Field(default=0.02, gt=0)
    commit_interval_seconds: float = Field(default=2.8, gt=0)
    forward_duplicates: bool = False
    dedup_retention_days: float = Field(default=7.0, gt=0)

    # Worker process.
    worker_name: str = Field(default_factory=_default_worker_name)
    web_host: str = "0.0.0.0"
    web_port: int = Field(default=6066, ge=0, le=65535)
    data_dir: Path = Path("var/worker")
    log_level: str = "INFO"

    @property
    def topic_dedup(self) -> str:
        """The internal single-partition topic through which every dedup decision passes."""
        return f"{self.app_id}-dedup"

    @property
    def label_topics(self) -> dict[str, str]:
        """Map each classifier label to the topic that receives it."""
        return {"military": self.topic_military, "diplomatic": self.topic_diplomatic}

    @property
    def output_topics(self) -> list[str]:
        """Every topic the worker writes to, in a stable order."""
        return [
            self.topic_military,
            self.topic_diplomatic,
            self.topic_unclassified,
            self.topic_duplicates,
            self.topic_dead_letter,
        ]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once from the environment."""
    return Settings()
