"""Language identification, offline.

pycld2 bundles its model and is fast enough to run per sentence; langdetect
(declared dependency, also bundled) is the fallback when CLD2 is unsure or
missing. Both return ISO 639-1 codes where they exist.
"""

from __future__ import annotations

from dataclasses import dataclass

try:  # pragma: no cover - exercised implicitly when installed
    import pycld2 as _cld2
except ImportError:  # pragma: no cover
    _cld2 = None

# CLD2 reports a few languages under legacy or script-specific codes.
_CLD2_ALIASES = {"iw": "he", "zh-Hant": "zh", "zh": "zh", "jw": "jv", "un": "und"}


@dataclass(frozen=True)
class Guess:
    language: str
    confidence: float  # 0..1
    reliable: bool


def _clean_for_cld2(text: str) -> str:
    # CLD2 rejects some control characters and invalid surrogates.
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").encode(
        "utf-8", "ignore"
    ).decode("utf-8")


def detect(text: str) -> Guess:
    """Best guess of the language of `text`; `und` when nothing can be said."""
    if not text.strip():
        return Guess("und", 0.0, False)
    if _cld2 is not None:
        try:
            reliable, _, details = _cld2.detect(_clean_for_cld2(text))
        except _cld2.error:
            reliable, details = False, ()
        if details:
            _name, code, percent, _score = details[0]
            code = _CLD2_ALIASES.get(code, code)
            if code != "und" and reliable:
                return Guess(code, percent / 100.0, True)
    return _detect_with_langdetect(text)


def _detect_with_langdetect(text: str) -> Guess:
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = 0  # deterministic results
    try:
        ranked = detect_langs(text)
    except LangDetectException:
        return Guess("und", 0.0, False)
    best = ranked[0]
    code = best.lang.split("-", 1)[0]
    return Guess(code, float(best.prob), best.prob > 0.9)


def known_languages() -> set[str]:
    """Language codes mtqa can be told with --lang (those its detectors know)."""
    codes = {"en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "cs", "pl", "ja", "zh", "ko"}
    if _cld2 is not None:
        codes |= {code for _name, code in _cld2.LANGUAGES if code.isalpha() and 2 <= len(code) <= 3}
    codes |= {_CLD2_ALIASES.get(code, code) for code in list(codes)}
    codes.discard("und")
    codes.discard("un")
    return codes


def normalise_language(code: str) -> str:
    """`en-US`, `EN`, `pt_BR` -> `en`, `en`, `pt`; raises ValueError when unknown."""
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    base = _CLD2_ALIASES.get(base, base)
    if base not in known_languages():
        raise ValueError(f"unknown language {code!r}: use an ISO 639-1 code such as en, de, fr, ja")
    return base
