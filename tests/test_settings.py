"""Tests of the settings object: environment names, overrides and secrets."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from workers.errors import ConfigError
from workers.settings import Settings
from workers.stream.security import aiokafka_security


def test_kafka_settings_come_from_the_shared_kafka_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """KAFKA_BOOTSTRAP_SERVERS and NEWSFLOW_* variables configure the settings."""
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "broker-a:9093,broker-b:9093")
    monkeypatch.setenv("NEWSFLOW_RAW_PARTITIONS", "8")
    monkeypatch.setenv("NEWSFLOW_FORWARD_DUPLICATES", "true")
    settings = Settings()
    assert settings.bootstrap_servers == "broker-a:9093,broker-b:9093"
    assert settings.raw_partitions == 8
    assert settings.forward_duplicates is True


def test_field_names_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value passed by field name wins over the environment, aliases notwithstanding."""
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "from-env:9092")
    assert Settings(bootstrap_servers="explicit:1234").bootstrap_servers == "explicit:1234"


def test_settings_are_frozen_and_validated() -> None:
    """Settings cannot be changed after creation and reject impossible values."""
    settings = Settings()
    with pytest.raises(ValidationError):
        settings.web_port = 1  # type: ignore[misc]
    with pytest.raises(ValidationError):
        Settings(raw_partitions=0)


def test_sasl_password_is_secret_and_required(monkeypatch: pytest.MonkeyPatch) -> None:
    """The SASL password never shows in the settings' repr and SASL without it is an error."""
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "newsflow")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "hunter2")
    settings = Settings()
    assert "hunter2" not in repr(settings)
    assert aiokafka_security(settings)["sasl_plain_password"] == "hunter2"
    monkeypatch.delenv("KAFKA_SASL_PASSWORD")
    with pytest.raises(ConfigError, match="KAFKA_SASL_PASSWORD"):
        aiokafka_security(Settings())
