"""`mtqa models`: which fluency models are installed, and preparing one.

Attached to the main CLI by mtqa/cli.py. Listing never loads torch; preparing
converts the packaged GGUF into the user cache once (see cache.py).
"""

from __future__ import annotations

import sys

import click

from mtqa.fluency import cache, sources
from mtqa.fluency.errors import ModelUnavailable


@click.command("models")
@click.option("--prepare", "prepare_name", metavar="NAME", help="Convert and cache a model now (e.g. gemma3-270m).")
@click.option("--check", "check_name", metavar="NAME", help="Load a model and score a test sentence.")
def models_command(prepare_name: str | None, check_name: str | None) -> None:
    """List fluency models: installed, prepared (cached), licence, languages."""
    if prepare_name:
        spec = _resolve(prepare_name)
        if spec.known is None:
            click.echo(f"{spec.name}: a local directory or hub id is loaded as is; nothing to prepare")
            return
        click.echo(f"preparing {spec.name} in {cache.model_dir(spec.name).parent} (once; may take a minute or two)…",
                   err=True)
        try:
            from mtqa.fluency.scorer import model_dtype

            dtype = model_dtype()  # the copy this machine loads (bfloat16 where measured faster)
            path = cache.prepare_in_dtype(spec.known, dtype)
        except ModelUnavailable as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"{spec.name}: ready in {path} ({dtype})")
        return
    if check_name:
        from mtqa.fluency.scorer import get_scorer

        try:
            scorer = get_scorer(check_name)
            good, bad = scorer.sequence_logprob(
                ["The minister has no intention of resigning.", "The minister will no intention of resigning."]
            )
        except ModelUnavailable as error:
            raise click.ClickException(str(error)) from None
        verdict = "ok" if good > bad else "unexpected ranking"
        click.echo(f"{scorer.name}: {verdict} (log-prob {good:.2f} vs {bad:.2f}; {scorer.threads} thread(s))")
        return
    click.echo(f"cache: {cache.cache_root() / 'models'}")
    for name, known in sources.KNOWN.items():
        installed = known.is_installed()
        prepared = cache.is_prepared(name)
        state = "prepared" if prepared else "installed, not prepared" if installed else f"not installed ({known.install})"
        default = " (default)" if name == sources.DEFAULT_MODEL else ""
        click.echo(f"{name}{default}: {state}")
        click.echo(f"    {known.description}; licence: {known.licence}; languages: {known.languages}")
    click.echo("any local causal-LM directory or hub id: --model PATH_OR_ID")


def _resolve(name: str) -> sources.ModelSpec:
    try:
        return sources.resolve(name)
    except ModelUnavailable as error:
        raise click.ClickException(str(error)) from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(models_command())
