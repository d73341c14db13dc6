"""The fluency model layer: packaged weights, a conversion cache, one scorer.

Importing this package is cheap: torch and transformers load only when a
scorer is first built, so `--no-model` runs never pay for them.
"""

from __future__ import annotations

import importlib.util

from mtqa.fluency.errors import ModelUnavailable


def ensure_available(model: str | None) -> None:
    """Fail fast, without loading torch, when the model cannot possibly load.

    Called by the CLI before any document is read, so a missing package is
    one message up front rather than an error in the middle of a batch.
    """
    from mtqa.fluency.sources import resolve

    missing = [name for name in ("torch", "transformers") if importlib.util.find_spec(name) is None]
    if missing:
        raise ModelUnavailable(
            f"the fluency model needs {' and '.join(missing)}: pip install 'mtqa[model]'"
        )
    spec = resolve(model)
    if spec.known is not None and not spec.known.is_installed():
        raise ModelUnavailable(f"fluency model {spec.name} is not installed: {spec.known.install}")


__all__ = ["ModelUnavailable", "ensure_available"]
