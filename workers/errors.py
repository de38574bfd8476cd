"""The exception root of newsflow: every error the package raises derives from NewsflowError."""

from __future__ import annotations


class NewsflowError(Exception):
    """Root of all newsflow errors."""


class ConfigError(NewsflowError):
    """The configuration is invalid or incomplete."""


class InvalidArticle(NewsflowError):
    """A raw record cannot become an article; ``reason`` is a stable machine-readable code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class StageError(NewsflowError):
    """A pipeline stage failed on one article; carries the stage name and the cause."""

    def __init__(self, step: str, cause: BaseException) -> None:
        super().__init__(f"step {step!r} failed: {type(cause).__name__}: {cause}")
        self.step = step
        self.cause = cause


class BrokerError(NewsflowError):
    """The local Kafka broker could not be installed, started or stopped."""
