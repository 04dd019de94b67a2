"""A logging call used by the tests to check that kmr's logs can be enabled."""

from loguru import logger


def say(message: str) -> None:
    """Logs `message` at DEBUG level under the `kmr` logger name."""
    logger.debug(message)
