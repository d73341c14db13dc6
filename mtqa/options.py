"""One validation of check options for the CLI, the Python API and the HTTP service.

The CLI refused a misspelt rule (`--select entitie`) while the API and the
service accepted it and silently returned nothing; `lang="xx"` and a
confidence of NaN got through the same way. Every entry point now builds its
Options and passes them through `validated`, so the same mistake gets the
same message everywhere (the CLI exits 2, the service answers 422, the API
raises OptionsError).
"""

from __future__ import annotations

import math
from dataclasses import replace

from mtqa.errors import MtqaError
from mtqa.langid import normalise_language
from mtqa.pipeline import Options
from mtqa.rules import RULES, load_checks, matches


class OptionsError(MtqaError):
    """An option the user set that cannot be used; `param` names it."""

    def __init__(self, message: str, param: str) -> None:
        super().__init__(message)
        self.param = param


def validated(options: Options) -> Options:
    """The options with the language as its rule language (`en-US` -> `en`),
    after checking that every rule pattern names a rule or family and that
    the confidence is a number from 0 to 1."""
    language = options.language
    if language:
        try:
            language = normalise_language(language)
        except ValueError as error:
            raise OptionsError(str(error), "lang") from None
    load_checks()
    for param, patterns in (("select", options.select), ("extend_select", options.extend_select),
                            ("ignore", options.ignore), ("severity", list(options.severity_overrides))):
        for pattern in patterns:
            if not isinstance(pattern, str) or not any(matches(rule_id, [pattern]) for rule_id in RULES):
                raise OptionsError(f"no rule or family named {pattern!r} (see `mtqa rules`)", param)
    confidence = options.min_confidence
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not math.isfinite(confidence) \
            or not 0 <= confidence <= 1:
        raise OptionsError(f"min_confidence must be a number from 0 to 1, not {confidence!r}", "min_confidence")
    return replace(options, language=language)


def built(base: Options, **given) -> Options:
    """The one way every entry point makes its options: `base` (the CLI's
    configuration file, the service's start-up options, the defaults for
    the API) with each option the caller gave in its place, then validated.
    An option not given is None, empty (`lang: ""` too), or a switch left off: it keeps the
    base's value (a request without `select` checks what the server does)."""
    overrides = {name: list(value) if isinstance(value, (list, tuple)) else value
                 for name, value in given.items() if value is not None and value is not False
                 and value not in ([], (), "")}
    return validated(replace(base, **overrides))


__all__ = ["OptionsError", "built", "validated"]
