"""Language identification, offline.

pycld2 bundles its model and is fast enough to run per sentence; langdetect
(declared dependency, also bundled) is the fallback when CLD2 is unsure or
missing. Both return ISO 639-1 codes where they exist.
"""

from __future__ import annotations

import functools
import gc
from dataclasses import dataclass

from mtqa.languages import rule_language

try:  # pragma: no cover - exercised implicitly when installed
    import pycld2 as _cld2
except ImportError:  # pragma: no cover
    _cld2 = None


def _code(detected: str) -> str:
    """A detector's code as mtqa's languages are written: CLD2's legacy and
    script codes (`iw`, `zh-Hant`) and langdetect's regions (`zh-cn`) go
    through the one normaliser (mtqa.languages)."""
    return rule_language(detected) or "und"


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
            code = _code(code)
            if code != "und" and reliable:
                return Guess(code, percent / 100.0, True)
    return _detect_with_langdetect(text)


def _load_langdetect() -> None:
    """Load langdetect's profiles, once.

    Its 55 profiles are 92,000 objects (a list of 55 probabilities per
    n-gram) that live as long as the process. The cyclic collector walked
    them at every collection of a generation they were in: 0.1 s a young
    one, 0.15 s a full one, over a 5 MB export 0.25 s of 4 s. Right after
    the load they are frozen (`gc.freeze`: left to reference counting, out
    of every later collection), and with them whatever the process holds
    then; the only cost is that cyclic garbage alive at that moment, if
    any, is never collected."""
    global _langdetect_loaded
    if _langdetect_loaded:
        return
    from langdetect import detector_factory

    detector_factory.init_factory()
    gc.freeze()
    _langdetect_loaded = True


_langdetect_loaded = False


def _langdetect_ranked(text: str) -> list:
    """langdetect's languages for the text, most probable first, the same on
    every call (seeded); empty where it finds nothing to go by (no letters)."""
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    _load_langdetect()
    DetectorFactory.seed = 0  # deterministic results
    try:
        return detect_langs(text)
    except LangDetectException:
        return []


def _detect_with_langdetect(text: str) -> Guess:
    ranked = _langdetect_ranked(text)
    if not ranked:
        return Guess("und", 0.0, False)
    best = ranked[0]
    code = _code(best.lang)
    return Guess(code, float(best.prob), best.prob > 0.9)


@functools.lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """Language codes mtqa can be told with --lang (those its detectors know).

    Built once: every JSONL record's `lang` is normalised against it, and
    building it walks CLD2's whole language table (0.3 ms, more than the
    record's mechanical check)."""
    codes = {"en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "cs", "pl", "ja", "zh", "ko"}
    if _cld2 is not None:
        codes |= {code for _name, code in _cld2.LANGUAGES if code.isalpha() and 2 <= len(code) <= 3}
    codes |= {_code(code) for code in list(codes)}
    codes.discard("und")
    codes.discard("un")
    return frozenset(codes)


def normalise_language(code: str) -> str:
    """`en-US`, `EN`, `pt_BR` -> `en`, `en`, `pt`; raises ValueError when unknown."""
    base = rule_language(code) or ""
    if base not in known_languages():
        raise ValueError(f"unknown language {code!r}: use an ISO 639-1 code such as en, de, fr, ja")
    return base


# --- Helpers for checks that must only speak when sure (language family) ---

# Languages CLD2 identifies from text (its model lists more names than it detects).
_CLD2_DETECTABLE: frozenset[str] = frozenset()
_NAMES: dict[str, str] = {}
if _cld2 is not None:  # pragma: no branch
    _detectable_names = set(_cld2.DETECTED_LANGUAGES)
    _CLD2_DETECTABLE = frozenset(
        _code(code) for name, code in _cld2.LANGUAGES if name in _detectable_names
    )
    # A language's own entry names it before a regional one (`sr` is
    # Serbian, `sr-ME` Montenegrin).
    for _name, _raw in sorted(_cld2.LANGUAGES, key=lambda entry: "-" in entry[1]):
        _NAMES.setdefault(_code(_raw), _name.title())


def detect_cld2(text: str) -> Guess | None:
    """CLD2's verdict alone, or None when CLD2 is missing or says nothing.

    `detect` falls back to langdetect for short text; a check that reports
    a sentence as foreign needs the stricter detector's own word.
    """
    if _cld2 is None or not text.strip():
        return None
    cleaned = text if text.isprintable() else _clean_for_cld2(text)
    try:
        reliable, _, details = _cld2.detect(cleaned)
    except _cld2.error:
        return None
    if not details:
        return None
    _name, code, percent, _score = details[0]
    code = _code(code)
    if code in ("und", "un", "xxx") or percent == 0:
        return None
    return Guess(code, percent / 100.0, bool(reliable))


def can_identify(language: str) -> bool:
    """Can CLD2 recognise text in this language at all?

    A document in a language no detector knows (Livonian, Yakut) would have
    every sentence "detected" as something else.
    """
    return language in _CLD2_DETECTABLE


def language_name(code: str) -> str:
    """English name of a language code, for messages (`de` -> `German`)."""
    return _NAMES.get(code, code)


def langdetect_probabilities(text: str) -> dict[str, float]:
    """langdetect's probability for each language it considers (deterministic).

    A sentence that is mostly one language but carries the document's
    language too (an English sentence quoting Czech titles) shows both.
    """
    return {_code(item.lang): float(item.prob) for item in _langdetect_ranked(text)}


def langdetect_knows(language: str) -> bool:
    """Does langdetect have a profile for this language?

    Without one it answers with the nearest language it knows, confidently.
    """
    import os

    from langdetect import detector_factory

    try:
        profiles = os.listdir(detector_factory.PROFILES_DIRECTORY)
    except OSError:
        return False
    return language in {_code(name) for name in profiles}
