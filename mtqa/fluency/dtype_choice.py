"""Which floating-point type the model runs in on this CPU, measured once.

bfloat16 halves the bytes every matrix product reads. Whether that makes the
model faster depends on the CPU, not on its flags: on this project's 2-core
machines with AVX512-BF16 its matrix products were 1.5-2x slower than
float32's on one kind (the whole model 1.1-1.2x), and the whole model took
0.44x the time of float32 on another (same verdicts on the preference pairs
of bench/fluency_dtype.py). So the choice is measured, the way the
shape of the model uses it (a batch of hidden states through a 640-wide
projection, one thread), in a few milliseconds, and remembered per CPU and
torch version in the cache directory, so that every later run on the same
machine makes the same choice without measuring. A probe of the whole model
(the thread probe issue 9 removed) cost seconds; this costs ~0.1 s once.

MTQA_DTYPE=float32|bfloat16 overrides it (a bench, or a machine where the
measurement misleads).
"""

from __future__ import annotations

import hashlib
import json
import platform
import statistics
import time
from pathlib import Path

from mtqa.fluency.cache import remember

DTYPES = ("bfloat16", "float32")
CHOICE_FILE = "dtype-choice.json"
# bfloat16 must take at most this share of float32's time to be chosen: a
# small gain is not worth the log-prob changes (mean 0.03 nats per token).
BFLOAT16_AT_MOST = 0.75
_PROBE_ROWS, _PROBE_IN, _PROBE_OUT, _PROBE_RUNS = 128, 640, 2048, 7


def cpu_signature() -> str:
    """The CPU's model name and flags with torch's version: what decides the
    speed of a bfloat16 product (hashed, so the file names no hardware)."""
    import torch

    described = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.startswith(("model name", "flags")):
                    described += line
                if line.startswith("flags"):
                    break
    except OSError:
        pass
    return hashlib.sha256(f"{described}|{torch.__version__}".encode()).hexdigest()[:16]


def measure() -> dict[str, float]:
    """Median seconds of one projection per dtype, on one thread, the runs of
    the two dtypes interleaved so that a busy moment weighs on both."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        generator = torch.Generator().manual_seed(0)
        states = torch.randn(_PROBE_ROWS, _PROBE_IN, generator=generator)
        weight = torch.randn(_PROBE_OUT, _PROBE_IN, generator=generator)
        pairs = {"float32": (states, weight), "bfloat16": (states.bfloat16(), weight.bfloat16())}
        times: dict[str, list[float]] = {name: [] for name in pairs}
        with torch.inference_mode():
            for name, (x, w) in pairs.items():
                torch.nn.functional.linear(x, w)  # first call: kernel selection
            for _ in range(_PROBE_RUNS):
                for name, (x, w) in pairs.items():
                    began = time.perf_counter()
                    torch.nn.functional.linear(x, w)
                    times[name].append(time.perf_counter() - began)
        return {name: statistics.median(values) for name, values in times.items()}
    finally:
        torch.set_num_threads(threads)


def chosen(cache: Path) -> str:
    """The dtype remembered for this CPU in `cache`, measured and remembered
    first where there is none (a cache that cannot be written: measured again
    next time, nothing fails)."""
    signature = cpu_signature()
    path = cache / CHOICE_FILE
    try:
        remembered = json.loads(path.read_text(encoding="utf-8"))
        if remembered.get("cpu") == signature and remembered.get("dtype") in DTYPES:
            return remembered["dtype"]
    except (OSError, ValueError, AttributeError):
        pass
    seconds = measure()
    dtype = "bfloat16" if seconds["bfloat16"] <= BFLOAT16_AT_MOST * seconds["float32"] else "float32"
    record = {"cpu": signature, "dtype": dtype, "seconds": seconds}
    remember(path, json.dumps(record).encode("utf-8"))
    return dtype
