"""mtqa: find, explain and repair machine-translation artifacts in news text.

The public Python API is `check` and `fix`; everything else is reachable
through the `mtqa` command.
"""

from __future__ import annotations

__version__ = "0.1.0"

from mtqa.api import Result, check, fix  # noqa: E402

__all__ = ["Result", "check", "fix", "__version__"]
