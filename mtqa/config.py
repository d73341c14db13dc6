"""Project configuration: `mtqa.toml`, or `[tool.mtqa]` in `pyproject.toml`.

A newsroom repository pins its choices (rules, severities, ignore terms,
threshold) in one file so that every editor and the CI step agree; command-line
options override it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from mtqa.errors import ConfigError
from mtqa.findings import Severity

KNOWN_KEYS = {
    "lang",
    "select",
    "extend-select",
    "ignore",
    "fail-on",
    "min-confidence",
    "model",
    "use-model",
    "severity",
    "ignore-terms",
    "baseline",
    "max-size",
    "rule-options",
}


@dataclass
class Config:
    path: Path | None = None
    lang: str | None = None
    select: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity | None = None
    min_confidence: float | None = None
    model: str | None = None
    use_model: bool | None = None
    severity: dict[str, Severity] = field(default_factory=dict)
    ignore_terms: list[str] = field(default_factory=list)
    baseline: Path | None = None
    max_size_mb: float | None = None
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)


def find_config(start: Path) -> Path | None:
    """The nearest mtqa.toml, or pyproject.toml with [tool.mtqa], upwards from start."""
    for directory in [start, *start.parents]:
        candidate = directory / "mtqa.toml"
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "tool" in _read_toml(pyproject) and "mtqa" in _read_toml(pyproject)["tool"]:
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration: {error}") from None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Load explicit `path`, or discover one from `start` (default: cwd)."""
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Config()
    elif not path.is_file():
        raise ConfigError(f"{path}: configuration file not found")
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("mtqa", {})
    return parse_config(data, path)


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    where = str(path) if path else "configuration"
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(KNOWN_KEYS))}")
    try:
        config = Config(
            path=path,
            lang=_optional(data, "lang", str, where),
            select=_string_list(data, "select", where),
            extend_select=_string_list(data, "extend-select", where),
            ignore=_string_list(data, "ignore", where),
            fail_on=Severity.parse(data["fail-on"]) if "fail-on" in data else None,
            min_confidence=_optional(data, "min-confidence", (int, float), where),
            model=_optional(data, "model", str, where),
            use_model=_optional(data, "use-model", bool, where),
            severity={rule: Severity.parse(level) for rule, level in _table(data, "severity", where).items()},
            ignore_terms=_string_list(data, "ignore-terms", where),
            max_size_mb=_optional(data, "max-size", (int, float), where),
            rule_options=_table(data, "rule-options", where),
        )
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from None
    if "baseline" in data:
        baseline = Path(_optional(data, "baseline", str, where) or "")
        config.baseline = baseline if baseline.is_absolute() or path is None else path.parent / baseline
    return config


def _optional(data: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ConfigError(f"{where}: {key} has the wrong type ({type(value).__name__})")
    return value


def _string_list(data: dict[str, Any], key: str, where: str) -> list[str]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: {key} must be a list of strings")
    return list(value)


def _table(data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a table")
    return value
