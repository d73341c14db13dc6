"""Errors the CLI turns into one clear message and exit code 2.

Anything a user can cause with bad input or bad options is an `MtqaError`;
everything else is a bug and may show a traceback.
"""

from __future__ import annotations


class MtqaError(Exception):
    """A problem the user can fix; the message says how."""


class InputError(MtqaError):
    """An input file that cannot be read as the requested format."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.detail = message


class ConfigError(MtqaError):
    """An invalid mtqa.toml / [tool.mtqa] setting."""
