#!/usr/bin/env python3
"""Render an HTML report for an article and photograph it with headless Chromium.

The report is meant for people; this is how we check that what a browser
actually paints shows the highlights (tests only see the markup).

    python scripts/screenshot_report.py [ARTICLE] --lang en --out report.png

Needs Debian's `chromium` (apt-get install chromium) or any Chrome/Chromium
on PATH (set CHROMIUM to its path otherwise).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import mtqa
from mtqa.report import RENDERERS, ReportContext, load_renderers

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARTICLE = ROOT / "tests" / "fixtures" / "report" / "article_en.txt"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")

# Flags that keep a headless run from touching the network or a real profile.
QUIET_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def find_chromium() -> str | None:
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def screenshot(html_path: Path, png_path: Path, browser: str, size: str = "1280,1600", timeout: int = 120) -> None:
    with tempfile.TemporaryDirectory(prefix="mtqa-chromium-") as profile:
        command = [
            browser,
            *QUIET_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={png_path}",
            f"--window-size={size}",
            html_path.resolve().as_uri(),
        ]
        subprocess.run(command, check=True, timeout=timeout, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("article", nargs="?", type=Path, default=DEFAULT_ARTICLE)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path, default=Path("mtqa-report.png"), help="PNG to write")
    parser.add_argument("--html", type=Path, help="also keep the HTML report here")
    parser.add_argument("--size", default="1280,1600", help="window WIDTH,HEIGHT")
    args = parser.parse_args(argv)

    browser = find_chromium()
    if browser is None:
        print("no chromium found: apt-get install chromium, or set CHROMIUM", file=sys.stderr)
        return 2
    text = args.article.read_text(encoding="utf-8")
    result = mtqa.check(text, args.lang, id=args.article.name)
    load_renderers()
    report = RENDERERS["html"]([result], ReportContext())
    with tempfile.TemporaryDirectory(prefix="mtqa-report-") as workdir:
        html_path = args.html or Path(workdir) / "report.html"
        html_path.write_text(report, encoding="utf-8")
        screenshot(html_path, args.out, browser, args.size)
    print(f"{len(result.findings)} finding(s); screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
