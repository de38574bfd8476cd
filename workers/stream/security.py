"""Kafka security settings turned into Faust credentials and aiokafka client arguments."""

from __future__ import annotations

import ssl
from typing import Any

from workers.errors import ConfigError
from workers.settings import Settings


def ssl_context(settings: Settings) -> ssl.SSLContext:
    """An SSL context trusting the configured CA and presenting the client certificate if any."""
    cafile = str(settings.ssl_cafile) if settings.ssl_cafile else None
    context = ssl.create_default_context(purpose=ssl.Purpose.SERVER_AUTH, cafile=cafile)
    if settings.ssl_certfile:
        keyfile = str(settings.ssl_keyfile) if settings.ssl_keyfile else None
        context.load_cert_chain(str(settings.ssl_certfile), keyfile=keyfile)
    return context


def _uses_ssl(settings: Settings) -> bool:
    return settings.security_protocol in ("SSL", "SASL_SSL")


def _uses_sasl(settings: Settings) -> bool:
    return settings.security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")


def _password(settings: Settings) -> str:
    if settings.sasl_username is None or settings.sasl_password is None:
        raise ConfigError(
            f"{settings.security_protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
        )
    return settings.sasl_password.get_secret_value()


def faust_credentials(settings: Settings) -> Any:
    """Faust broker credentials; ``SSLCredentials`` always gets an explicit context."""
    # Imported here: importing faust reads sys.argv for "--loop" to pick an event loop,
    # which would break `newsflow replay --loop N` if this module imported it at the top.
    import faust

    if settings.security_protocol == "PLAINTEXT":
        return None
    if settings.security_protocol == "SSL":
        return faust.SSLCredentials(context=ssl_context(settings))
    return faust.SASLCredentials(
        username=settings.sasl_username,
        password=_password(settings),
        mechanism=settings.sasl_mechanism,
        ssl_context=ssl_context(settings) if _uses_ssl(settings) else None,
    )


def aiokafka_security(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for aiokafka clients matching the configured security protocol."""
    options: dict[str, Any] = {"security_protocol": settings.security_protocol}
    if _uses_ssl(settings):
        options["ssl_context"] = ssl_context(settings)
    if _uses_sasl(settings):
        options["sasl_mechanism"] = settings.sasl_mechanism
        options["sasl_plain_username"] = settings.sasl_username
        options["sasl_plain_password"] = _password(settings)
    return options
