"""Load on `mtqa serve`, over loopback only: concurrent /check requests of
an article, their median and p99 latency, errors, and the service's memory.

Starts `mtqa serve` on a free local port (with --no-model unless --model),
sends --requests concurrent POST /check of an ~4.6 KB article (the English
corpus text, written for this project), then the same again while one
pathological request (1.8 MB of mojibake, past the request time limit) runs.
Prints, for each round, the median and p99 latency, the errors, and the
resident memory of the service and its check process before and after.

    python bench/server_load.py [--requests 200] [--model] [--timeout 20] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def article(size: int = 4600) -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora" / "en").glob("*.txt"))]
    joined = "\n\n".join(texts)
    return joined[:size]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def post(url: str, body: dict, timeout: float) -> tuple[int, float]:
    data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    began = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status, time.perf_counter() - began
    except urllib.error.HTTPError as error:
        return error.code, time.perf_counter() - began
    except OSError:
        return 0, time.perf_counter() - began


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children (the check process), MiB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


_numbers = iter(range(1, 10**9))


def round_of(url: str, count: int, body: dict, timeout: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(number: int) -> None:
        nonlocal errors
        # every sentence differs from every other request's: no cached analysis answers it
        varied = dict(body, text=body["text"].replace(". ", f" {number}. "))
        status, seconds = post(url, varied, timeout)
        with lock:
            latencies.append(seconds)
            errors += status != 200

    threads = [threading.Thread(target=one, args=(next(_numbers),)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def describe(name: str, latencies: list[float], errors: int) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return (f"{name:34s} {len(latencies):4d} requests  median {statistics.median(ordered):6.2f} s  "
            f"p99 {p99:6.2f} s  errors {errors}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=None, help="default 200, or 20 with --model")
    parser.add_argument("--model", action="store_true")
    parser.add_argument("--timeout", type=float, default=20.0, help="mtqa serve --request-timeout")
    parser.add_argument("--workers", type=int, default=1, help="mtqa serve --workers")
    args = parser.parse_args()
    count = args.requests or (20 if args.model else 200)
    port = free_port()
    command = [sys.executable, "-m", "mtqa", "serve", "--port", str(port), "--request-timeout", str(args.timeout),
               "--max-connections", str(count + 16), "--workers", str(args.workers)]
    if not args.model:
        command.append("--no-model")
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, NO_COLOR="1"))
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(base + "/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        body = {"text": article(), "lang": "en", "id": "load"}
        post(base + "/check", body, 120)  # the check process starts and warms
        print(f"mtqa serve {'with the model' if args.model else '--no-model'}; article {len(body['text'])} chars; "
              f"request time limit {args.timeout:g} s; {args.workers} worker(s)")
        before = rss_mib(server.pid)
        latencies, errors = round_of(base + "/check", count, body, timeout=600)
        print(describe("concurrent /check", latencies, errors))
        slow_result: dict = {}

        def slow() -> None:
            slow_result["status"], slow_result["seconds"] = post(
                base + "/check", {"text": "cafÃ© " * 300_000, "lang": "en"}, timeout=600)

        slow_thread = threading.Thread(target=slow)
        slow_thread.start()
        time.sleep(0.5)
        began = time.perf_counter()
        with urllib.request.urlopen(base + "/health", timeout=30) as response:
            response.read()
        health_seconds = time.perf_counter() - began  # while the pathological check runs
        latencies, errors = round_of(base + "/check", count, body, timeout=600)
        slow_thread.join()
        print(describe("the same, behind one pathological", latencies, errors))
        print(f"{'':34s} the pathological request: HTTP {slow_result.get('status')} after "
              f"{slow_result.get('seconds', 0):.1f} s; /health answered in {health_seconds:.2f} s")
        after = rss_mib(server.pid)
        print(f"resident memory of the service and its check processes: {before:.0f} MiB before, {after:.0f} MiB after")
    finally:
        server.terminate()
        server.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
