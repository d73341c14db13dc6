"""The cyclic collector is off while a document is checked, and back as it was after."""

import contextlib
import gc
import subprocess
import sys
import threading

import pytest

import mtqa
from mtqa.gc_pause import collection_paused


@contextlib.contextmanager
def _counted():
    """The generations of the collector's runs inside the block."""
    runs: list[int] = []

    def count(phase, info):
        if phase == "start":
            runs.append(info["generation"])

    gc.callbacks.append(count)
    try:
        yield runs
    finally:
        gc.callbacks.remove(count)


def test_a_long_check_runs_no_collection_and_leaves_the_collector_on():
    mtqa.check("A first check imports what checks need.", lang="en", source="Ein erster Satz.", source_lang="de")
    # 22,000 changed numbers: hundreds of collections of the young generations without the pause;
    # with it, at most the one that runs when the collector is turned back on.
    with _counted() as collections:
        mtqa.check("5 and 70 " * 11111, lang="en", source="6 und 71 " * 11111, source_lang="de")
    assert len(collections) <= 1
    assert gc.isenabled()


def test_nested_pauses_turn_the_collector_back_on_at_the_outermost_end():
    assert gc.isenabled()
    with collection_paused():
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_turns_it_back_on_and_a_collector_that_was_off_stays_off():
    with pytest.raises(ValueError):
        with collection_paused():
            raise ValueError("bad input")
    assert gc.isenabled()
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_another_thread_leaves_the_collector_alone():
    seen = []

    def check() -> None:
        with collection_paused():
            seen.append(gc.isenabled())

    thread = threading.Thread(target=check)
    thread.start()
    thread.join()
    assert seen == [True]


def test_langdetect_profiles_are_kept_out_of_every_later_collection():
    # langdetect's profiles (92,000 lists of probabilities) sat in the collected generations, and
    # each collection walked them: a quarter of a second over a 5 MB export. A fresh process, so
    # that the profiles load here.
    script = (
        "import gc\n"
        "from mtqa import langid\n"
        "before = len(gc.get_objects())\n"
        "assert langid.langdetect_probabilities('Le gouvernement a annoncé une réforme des retraites.')\n"
        "print(before, len(gc.get_objects()), gc.get_freeze_count())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    before, after, frozen = map(int, done.stdout.split())
    assert frozen > 80_000
    assert after - before < 5_000


def test_reading_a_large_html_file_runs_no_collection(tmp_path):
    # The reader's objects (tags, entities, runs of text) outgrew the young generations again and
    # again: reading 1 MB of unclosed tags took 17x as long as 100 KB.
    from mtqa.formats import ReadOptions
    from mtqa.inputs import Input, read_documents

    path = tmp_path / "article.html"
    path.write_text("<div><p><b><i>x &amp; y" * 3000, encoding="utf-8")
    list(read_documents(Input(path.name, path), None, ReadOptions()))  # formats load on first use
    with _counted() as collections:
        documents = list(read_documents(Input(path.name, path), None, ReadOptions()))
    assert len(documents) == 1 and documents[0].units
    assert len(collections) <= 1
    assert gc.isenabled()
