"""Which submission of a TPS counts: the latest by explicit order, never a guess.

Order is explicit only: a higher `revisi` supersedes a lower one (empty = 0); within the same
revisi, a later Sirekap `ts` supersedes an earlier one when both have one. Identical copies
collapse into one. Differing submissions with no order between them make the TPS *konflik*:
nobody can say which is right, so neither is counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

USABLE = ("accepted", "bermasalah")


def select_current(subs: pd.DataFrame, form_fields: list[str]) -> pd.DataFrame:
    """Add `selection` (current | duplicate | superseded | konflik | unused), `superseded_by`.

    `subs` has tps_pos (the TPS's row in the region master), outcome, revisi (Int64), waktu
    (text), submission_id and the typed form fields. Rows keep their order.
    """
    out = subs.copy()
    outcome = out["outcome"].to_numpy(dtype=object)
    usable = (outcome == USABLE[0]) | (outcome == USABLE[1])
    selection = np.full(len(out), "unused", dtype=object)
    superseded_by = np.full(len(out), "", dtype=object)
    if usable.any():
        part = out.loc[usable, ["tps_pos", "submission_id", "revisi", *form_fields]]
        key = part["tps_pos"].to_numpy()
        rev = part["revisi"].fillna(0).to_numpy(dtype=np.int64)
        # Times with an offset are compared in UTC; a time without one is taken as UTC too
        # (mixed sources must not stop the run).
        ts = pd.to_datetime(out.loc[usable, "waktu"], errors="coerce", format="ISO8601",
                            utc=True)
        content = pd.util.hash_pandas_object(part[form_fields], index=False).to_numpy()
        frame = pd.DataFrame({"key": key, "rev": rev, "ts": ts.to_numpy(), "content": content,
                              "pos": np.arange(len(part))})
        group = frame.groupby("key", sort=False)
        top = (rev == group["rev"].transform("max").to_numpy())
        # Within the top revisi, order by time only when every candidate has a time.
        top_ts = frame["ts"].where(top)
        untimed = (top & frame["ts"].isna().to_numpy())
        any_untimed = pd.Series(untimed).groupby(key).transform("any").to_numpy()
        latest = top_ts.groupby(key).transform("max").to_numpy()
        top &= any_untimed | (frame["ts"].to_numpy() == latest)
        distinct = frame["content"].where(top).groupby(key).transform("nunique").to_numpy()
        konflik = top & (distinct > 1)
        # Among identical top candidates the first (by file order) is current.
        eligible = frame["pos"].where(top & ~konflik)
        first = eligible.groupby(key).transform("min").to_numpy()
        current = top & ~konflik & (frame["pos"].to_numpy() == first)
        duplicate = top & ~konflik & ~current
        chosen = np.select([current, duplicate, konflik], ["current", "duplicate", "konflik"],
                           default="superseded")
        ids = part["submission_id"].to_numpy(dtype=object)
        current_id = pd.Series(np.where(current, ids, None)).groupby(key).transform(
            "first").fillna("").to_numpy(dtype=object)
        selection[usable] = chosen
        superseded_by[usable] = np.where((chosen == "duplicate") | (chosen == "superseded"),
                                         current_id, "")
    out["selection"] = selection
    out["superseded_by"] = superseded_by
    return out


def tps_status(subs: pd.DataFrame, master_kode: pd.Series) -> pd.DataFrame:
    """One row per TPS of the region master, in master order: status, submissions received,
    and `current_row`, the row of the current submission in `subs` (-1: none)."""
    n_tps = len(master_kode)
    pos = subs["tps_pos"].to_numpy()
    known = pos >= 0
    counts = np.bincount(pos[known], minlength=n_tps)
    selection = subs["selection"].to_numpy(dtype=object)
    outcome = subs["outcome"].to_numpy(dtype=object)
    current_row = np.full(n_tps, -1, dtype=np.int64)
    is_current = selection == "current"
    current_row[pos[is_current]] = np.flatnonzero(is_current)
    status = np.full(n_tps, "belum_masuk", dtype=object)
    status[pos[is_current & (outcome == "accepted")]] = "masuk"
    status[pos[is_current & (outcome == "bermasalah")]] = "bermasalah"
    status[pos[selection == "konflik"]] = "konflik"
    return pd.DataFrame({"kode_tps": master_kode.to_numpy(dtype=object), "status": status,
                         "jumlah_kiriman": counts.astype(np.int64), "current_row": current_row})
