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

    `subs` has kode_tps, outcome, revisi (Int64), waktu (text), submission_id and the typed
    form fields. Rows are returned in the same order.
    """
    out = subs.copy()
    out["selection"] = "unused"
    out["superseded_by"] = ""
    usable = out["outcome"].isin(USABLE).to_numpy()
    if not usable.any():
        return out
    part = out.loc[usable, ["kode_tps", "submission_id", "revisi", *form_fields]].copy()
    part["_rev"] = part["revisi"].fillna(0).astype("int64")
    part["_ts"] = pd.to_datetime(out.loc[usable, "waktu"], errors="coerce", format="ISO8601")
    part["_content"] = pd.util.hash_pandas_object(part[form_fields], index=False).to_numpy()
    part["_pos"] = np.arange(len(part))
    group = part.groupby("kode_tps", sort=False)
    top = part["_rev"] == group["_rev"].transform("max")
    # Within the top revisi, order by time only when every candidate has a time.
    top_ts = part["_ts"].where(top)
    all_timed = top_ts.notna() | ~top
    all_timed = all_timed.groupby(part["kode_tps"]).transform("all")
    latest_ts = top_ts.groupby(part["kode_tps"]).transform("max")
    top &= ~all_timed | (part["_ts"] == latest_ts)
    distinct = part["_content"].where(top).groupby(part["kode_tps"]).transform("nunique")
    konflik = top & (distinct > 1)
    # Among identical top candidates the first (by file order) is current, others duplicates.
    first_pos = part["_pos"].where(top & ~konflik).groupby(part["kode_tps"]).transform("min")
    current = top & ~konflik & (part["_pos"] == first_pos)
    duplicate = top & ~konflik & ~current
    selection = np.select([current, duplicate, konflik], ["current", "duplicate", "konflik"],
                          default="superseded")
    current_id = part["submission_id"].where(current).groupby(part["kode_tps"]).transform(
        "first").fillna("")
    superseded_by = np.where(np.isin(selection, ["duplicate", "superseded"]), current_id, "")
    out.loc[usable, "selection"] = selection
    out.loc[usable, "superseded_by"] = superseded_by
    return out


def tps_status(subs: pd.DataFrame) -> pd.DataFrame:
    """One row per TPS that has any submission: status and the current submission."""
    counts = subs.groupby("kode_tps").size().rename("jumlah_kiriman")
    current = subs[subs["selection"] == "current"].set_index("kode_tps")
    konflik = subs.loc[subs["selection"] == "konflik", "kode_tps"].unique()
    frame = counts.to_frame()
    frame["submission_id"] = current["submission_id"].reindex(frame.index).fillna("")
    outcome = current["outcome"].reindex(frame.index)
    status = np.where(outcome == "accepted", "masuk",
                      np.where(outcome == "bermasalah", "bermasalah", "belum_masuk"))
    status = np.where(frame.index.isin(konflik), "konflik", status)
    frame["status"] = status
    return frame.reset_index()
