"""Per-language typography that the spacing rules must respect.

The same characters are right in one language and wrong in another: French
puts a (narrow) no-break space before `: ; ! ?` and inside `« »`, German
closes a quotation with `“` (which opens one in English), Swedish uses `”`
on both sides, and `5 %` is correct in French, German, Czech or Russian but
not in English. Keeping these facts in one table lets the checks stay
language-neutral code.
"""

from __future__ import annotations

from dataclasses import dataclass

from mtqa.languages import rule_language

# Opening quote -> the closing marks that may end it, per quoting convention.
_EN = {"\u201c": "\u201d"}  # “…”
_DE = {"\u201e": "\u201c", "\u00bb": "\u00ab", "\u00ab": "\u00bb"}  # „…“  »…«  (Swiss «…»)
_LOW_HIGH = {"\u201e": "\u201c", "\u00bb": "\u00ab"}  # „…“  »…«
_PL = {"\u201e": "\u201d", "\u00ab": "\u00bb", "\u00bb": "\u00ab"}  # „…”  «…»  »…«
_SV = {"\u201d": "\u201d", "\u00bb": "\u00bb"}  # ”…”  »…»
_GUILLEMETS = {"\u00ab": "\u00bb", "\u201e": "\u201c", "\u201c": "\u201d"}  # «…» „…“ “…”
_FR = {"\u00ab": "\u00bb", "\u2039": "\u203a", "\u201c": "\u201d"}  # « … »  ‹ … ›  “…”
_CJK = {"\u201c": "\u201d", "\u300c": "\u300d", "\u300e": "\u300f", "\u300a": "\u300b"}  # “” 「」 『』 《》
_HE = {"\u201c": "\u201d", "\u201e": "\u201d", "\u201d": "\u201d"}


@dataclass(frozen=True)
class Profile:
    """What is correct spacing and quoting in one language."""

    language: str
    # Double-quote conventions: opening mark -> closing marks.
    quotes: dict[str, str]
    # Quote marks whose inner spaces are correct typography (French « texte »).
    spaced_quotes: frozenset[str] = frozenset()
    # Punctuation that correctly follows a space (French `mot :`).
    space_before: frozenset[str] = frozenset()
    # Straight double quotes may be spaced inside (French `" texte "`, mimicking « »).
    spaced_straight_quotes: bool = False
    # English clitics (`do n't`, `it 's`) and symbol attachment (`$5`, `5%`).
    english: bool = False
    # Romance elision (`l' homme` -> `l'homme`).
    elision: bool = False
    # Chinese/Japanese: full-width punctuation, no spaces around it.
    cjk: bool = False

    @property
    def openers(self) -> frozenset[str]:
        return frozenset(self.quotes)

    @property
    def closers(self) -> frozenset[str]:
        return frozenset("".join(self.quotes.values()))


_FRENCH_SPACED = frozenset(":;!?\u00bb\u203a%")

PROFILES: dict[str, Profile] = {
    "en": Profile("en", _EN, english=True),
    "fr": Profile(
        "fr",
        _FR,
        spaced_quotes=frozenset("\u00ab\u00bb\u2039\u203a"),
        space_before=_FRENCH_SPACED,
        spaced_straight_quotes=True,
        elision=True,
    ),
    "ja": Profile("ja", _CJK, cjk=True),
    "zh": Profile("zh", _CJK, cjk=True),
    "ko": Profile("ko", _CJK),
    "he": Profile("he", _HE),
    "it": Profile("it", _GUILLEMETS, elision=True),
    "ca": Profile("ca", _GUILLEMETS, elision=True),
}
PROFILES["de"] = Profile("de", _DE)
for _code in ("cs", "sk", "sl", "lt", "is", "bg", "et", "lv", "ka", "lb"):
    PROFILES[_code] = Profile(_code, _LOW_HIGH)
for _code in ("pl", "ro", "hu", "hr", "bs", "sr", "nl"):
    PROFILES[_code] = Profile(_code, _PL if _code != "nl" else {**_PL, "\u201c": "\u201d"})
for _code in ("sv", "fi"):
    PROFILES[_code] = Profile(_code, _SV)
for _code in ("ru", "uk", "be", "kk", "es", "pt", "el", "no", "nb", "nn", "tr", "ar", "fa", "eu", "gl"):
    PROFILES[_code] = Profile(_code, _GUILLEMETS)
PROFILES["da"] = Profile("da", {**_DE, "\u201d": "\u201d"})
DEFAULT = Profile("", {})  # unknown language: straight quotes and brackets only


def profile_for(language: str | None) -> Profile:
    """The profile for a language tag (`fr`, `fr-CA`, `zh-Hans`); DEFAULT if unknown."""
    if not language:
        return DEFAULT
    base = rule_language(language) or ""
    return PROFILES.get(base, DEFAULT)
