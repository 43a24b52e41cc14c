"""The zip writer that keeps compressed entries writes, byte for byte, what zipfile writes."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from icbt_content.render.offline.zipwriter import DeflateMemo, zip_bytes, zipfile_bytes

DATE = (1980, 1, 1, 0, 0, 0)
NOISE = random.Random(16).randbytes(70_000)

#: Each case: the zip's entries, in order.
CASES: dict[str, list[tuple[str, bytes]]] = {
    "no entries": [],
    "one page": [("copy/en/index.html", b"<!doctype html><p>Hello</p>" * 40)],
    "an empty file": [("copy/empty.txt", b"")],
    "a name that is not ASCII": [("copy/ar/مرحبا/index.html", "نص".encode() * 100)],
    "bytes that do not compress": [("copy/media/noise.bin", NOISE)],
    "the same bytes twice": [("a/index.html", b"same" * 500), ("b/index.html", b"same" * 500)],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_zip_is_zipfiles(case: str) -> None:
    entries = CASES[case]
    memo = DeflateMemo()
    expected = zipfile_bytes(entries, DATE)
    assert zip_bytes(entries, DATE, memo) == expected
    assert zip_bytes(entries, DATE, memo) == expected, "again, from the memo"
    with zipfile.ZipFile(io.BytesIO(expected)) as archive:
        assert [(i.filename, archive.read(i)) for i in archive.infolist()] == entries


def test_the_memo_keeps_at_most_its_limit() -> None:
    memo = DeflateMemo(limit=100_000)
    entries = [(f"page-{n}.html", NOISE[n : n + 30_000]) for n in range(5)]
    assert zip_bytes(entries, DATE, memo) == zipfile_bytes(entries, DATE)
    assert memo._size <= 100_000 and len(memo._kept) < len(entries)
