"""Row hashes behind the site's incremental rendering: a change anywhere changes the hash,
the dtype a number arrived in does not."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.columnar import positions
from pipeline.site.fingerprint import column_hash, hex_digests, row_hash


def test_numbers_hash_the_same_whatever_their_dtype():
    ints = pd.Series([1, 2, 0], dtype="int64")
    nullable = pd.Series([1, 2, 0], dtype="Int64")
    floats = pd.Series([1.0, 2.0, -0.0])
    assert (column_hash(ints) == column_hash(nullable)).all()
    assert (column_hash(ints) == column_hash(floats)).all()
    missing = column_hash(pd.Series([1, None, 0], dtype="Int64"))
    assert missing[1] != column_hash(ints)[1] and missing[0] == column_hash(ints)[0]


def test_strings_hash_by_content_not_position():
    values = ["7322012001001", "", None, "Desa <b>&", "7322012001001", "é", "x" * 5000]
    hashes = column_hash(pd.Series(values, dtype="str"))
    assert hashes[0] == hashes[4]
    assert len(set(hashes[[0, 1, 2, 3, 5, 6]].tolist())) == 6  # empty and missing differ
    alone = column_hash(pd.Series(["Desa <b>&"], dtype="str"))
    assert alone[0] == hashes[3]
    # Long repeated texts go through the dictionary path: same hashes as one by one.
    sha = [f"{i % 3:064d}" for i in range(3000)]
    assert (column_hash(pd.Series(sha, dtype="str"))[:3]
            == [column_hash(pd.Series([s], dtype="str"))[0] for s in sha[:3]]).all()
    # Object columns and Arrow-backed ones agree.
    assert (column_hash(pd.Series(values, dtype=object)) == hashes).all()


def test_one_changed_cell_or_swapped_columns_change_the_row_hash():
    frame = pd.DataFrame({"kode": [f"73220120010{i:02d}" for i in range(50)],
                          "suara_paslon_1": np.arange(50), "suara_paslon_2": np.arange(50)[::-1]})
    before = row_hash(frame)
    changed = frame.copy()
    changed.loc[17, "suara_paslon_1"] += 1
    after = row_hash(changed)
    assert (before != after).sum() == 1 and before[17] != after[17]
    swapped = frame.rename(columns={"suara_paslon_1": "suara_paslon_2",
                                    "suara_paslon_2": "suara_paslon_1"})
    assert (row_hash(swapped) != before).all()
    assert len(set(before.tolist())) == 50


def test_hex_digests_and_positions():
    assert hex_digests(np.array([1, 2**64 - 1], dtype=np.uint64)) == [
        "0000000000000001", "ffffffffffffffff"]
    codes = pd.Series(["a", "b", "c"], dtype="str")
    assert positions(pd.Series(["c", "z", None, "a"], dtype="str"), codes).tolist() == [
        2, -1, -1, 0]
