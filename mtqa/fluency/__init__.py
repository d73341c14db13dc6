"""The fluency model layer: packaged weights, a conversion cache, one scorer.

Importing this package is cheap: torch and transformers load only when a
scorer is first built, so `--no-model` runs never pay for them.
"""

from mtqa.fluency.errors import ModelUnavailable

__all__ = ["ModelUnavailable"]
