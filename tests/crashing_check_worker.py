"""A check process that dies on the document whose id is `boom` (as an out-of-memory
kill would), and is mtqa's own check process otherwise: for tests/test_pool.py."""

from __future__ import annotations

import os
import sys

from mtqa import check_worker

_real_check_one = check_worker.check_one


def _check_one(document, options):
    if document.id == "boom":
        os._exit(137)
    return _real_check_one(document, options)


check_worker.check_one = _check_one

if __name__ == "__main__":
    sys.exit(check_worker.main())
