"""The one error the fluency layer raises for a missing or broken model.

The CLI catches it and prints its one-line message instead of a traceback, so
it derives from MtqaError (a problem the user can fix).
"""

from __future__ import annotations

from mtqa.errors import MtqaError


class ModelUnavailable(MtqaError):
    """The fluency model is not installed, cannot be prepared, or fails to load."""
