"""One normaliser from a language tag to the language a rule speaks of.

`en-US`, `EN`, `pt_BR`, `zh-Hant`, `sr@latin`, `iw` -> `en`, `en`, `pt`, `zh`,
`sr`, `he`. Documents and text units are normalised when they are built, and
rules compare the result, so no rule family carries its own variant (there
were a dozen, each with its own idea of `_` and case). Validation against the
languages mtqa knows is mtqa.langid.normalise_language's job.
"""

from __future__ import annotations

from functools import lru_cache

# Old or detector-specific codes for the same language (CLD2 still says `iw`, `jw`).
ALIASES = {"iw": "he", "jw": "jv", "in": "id", "ji": "yi", "un": "und"}


@lru_cache(maxsize=1024)  # asked for every unit and check context, of a handful of tags
def rule_language(tag: str | None) -> str | None:
    """The base language of a BCP 47 / POSIX locale tag, lower case; None for none."""
    if not tag:
        return None
    base = tag.strip().split("@", 1)[0].replace("_", "-").split("-", 1)[0].lower()
    return ALIASES.get(base, base) or None


__all__ = ["ALIASES", "rule_language"]
