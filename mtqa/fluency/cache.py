"""Convert a GGUF model once and keep it in the user cache as safetensors.

`from_pretrained(gguf_file=...)` dequantizes every tensor and builds the
tokenizer from GGUF metadata: more than a minute on a small machine. The
converted copy reloads in seconds. Preparation is guarded two ways:

- a lock file, so two processes (a CI matrix, an editor plugin and a CLI run)
  that start at once convert the model once, the second waiting for the first;
- conversion into a temporary directory next to the target, which is renamed
  into place only when complete, so a killed run never leaves a half-written
  model that later runs would load.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from mtqa.fluency.errors import ModelUnavailable
from mtqa.fluency.sources import KnownModel

READY = "mtqa-ready.json"
LOCK_TIMEOUT_S = 900


def cache_root() -> Path:
    """MTQA_CACHE_DIR, else the platform's user cache directory for mtqa."""
    override = os.environ.get("MTQA_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("mtqa"))


def model_dir(name: str) -> Path:
    return cache_root() / "models" / name


def is_prepared(name: str) -> bool:
    return (model_dir(name) / READY).is_file()


def remember(path: Path, data: bytes) -> None:
    """Keep `data` in the cache file `path` (a temp file renamed into place,
    so that a reader never sees half of it); nothing where the cache cannot
    be written (a read-only cache on a build image): the caller computes the
    value again next time."""
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_bytes(data)
        os.replace(scratch, path)
    except OSError:
        try:
            scratch.unlink(missing_ok=True)
        except OSError:
            pass


Converter = Callable[[Path, Path], None]  # (scratch dir, output dir)


def prepare(known: KnownModel, *, converter: Converter | None = None) -> Path:
    """Return the cached model directory, converting the GGUF first if needed."""
    target = model_dir(known.name)
    if (target / READY).is_file():
        return target
    if not known.is_installed():
        raise ModelUnavailable(f"model {known.name} is not installed: {known.install}")
    return prepare_dir(target, converter or _gguf_converter(known), info={"model": known.name})


def prepare_in_dtype(known: KnownModel, dtype: str) -> Path:
    """The cached model stored in `dtype`, made from the float32 copy once:
    a bfloat16 copy (544 MB) loads in less time and memory than converting
    the float32 one (1.07 GB) at every start (cold start 5.4 s, 2.1 GB peak).
    The copy names the float32 weights it was made from (size and time), so
    a float32 copy prepared again makes it again. Where it cannot be written
    (a read-only cache on a build image), the float32 copy is the answer and
    the loader converts it in memory, as before the copy existed."""
    full = prepare(known)
    if dtype == "float32":
        return full
    target = model_dir(f"{known.name}.{dtype}")
    made_from = _weights_stamp(full)

    def current(directory: Path) -> bool:
        try:
            return json.loads((directory / READY).read_text(encoding="utf-8")).get("from") == made_from
        except (OSError, ValueError, AttributeError):
            return False

    if current(target):
        return target
    try:
        return prepare_dir(target, _dtype_converter(full, dtype),
                           info={"model": known.name, "dtype": dtype, "from": made_from}, is_current=current)
    except ModelUnavailable:
        return full


def _weights_stamp(directory: Path) -> list:
    """Size and modification time of each weights file: what a derived copy was made from."""
    return sorted([item.name, item.stat().st_size, item.stat().st_mtime_ns]
                  for item in directory.glob("*.safetensors"))


def prepare_dir(target: Path, converter: Converter, *, info: dict | None = None,
                is_current: Callable[[Path], bool] | None = None) -> Path:
    """Build `target` with `converter` under a lock, atomically (again where
    `is_current` says the ready copy is out of date)."""
    from filelock import FileLock, Timeout

    target.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(target) + ".lock")
    try:
        with lock.acquire(timeout=LOCK_TIMEOUT_S):
            if (target / READY).is_file() and (is_current is None or is_current(target)):
                return target  # ready, perhaps made by another process while we waited
            work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
            try:
                output = work / "model"
                output.mkdir()
                converter(work, output)
                (output / READY).write_text(json.dumps(info or {}), encoding="utf-8")
                if target.exists():  # a broken leftover without READY, or an out-of-date copy
                    shutil.rmtree(target)
                os.replace(output, target)
            finally:
                shutil.rmtree(work, ignore_errors=True)
    except Timeout as error:
        raise ModelUnavailable(f"timed out waiting for another process preparing {target}") from error
    except ModelUnavailable:
        raise
    except Exception as error:  # conversion failures come in many types
        raise ModelUnavailable(f"could not prepare the model in {target}: {error}") from error
    return target


def _gguf_converter(known: KnownModel) -> Converter:
    def convert(scratch: Path, output: Path) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        gguf = known.gguf(scratch)
        tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(
            str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32
        )
        # The GGUF loader dequantizes to plain tensors but still marks the model
        # as quantized, which blocks saving; the weights themselves are dense.
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.save_pretrained(str(output), safe_serialization=True)
        tokenizer.save_pretrained(str(output))

    return convert


def _dtype_converter(source: Path, dtype: str) -> Converter:
    def convert(scratch: Path, output: Path) -> None:
        import torch
        from transformers import AutoModelForCausalLM
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        model = AutoModelForCausalLM.from_pretrained(str(source), dtype=getattr(torch, dtype))
        model.save_pretrained(str(output), safe_serialization=True)
        for item in source.iterdir():  # the tokenizer's files, as they are
            if item.is_file() and item.suffix != ".safetensors" and item.name != READY and not (output / item.name).exists():
                shutil.copy2(item, output / item.name)

    return convert
