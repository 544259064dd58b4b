"""The consistency rules of one C1 form (schemas/rules.json), evaluated a column at a time.

A rule is checked only where all its operands are present: a missing number is never taken
as zero, so an absent section II neither passes nor fails its rule.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..config import Election
from ..fields import paslon_field, read_schema_file

RULES_FILE = "rules.json"


@dataclass(frozen=True)
class Rule:
    id: str
    check: str
    severity: str  # hard | warning
    title: str
    title_en: str
    terms: tuple[str, ...] = ()
    total: str = ""
    left: str = ""
    right: str = ""
    limit: str = ""
    factor: str = ""
    master: str = ""
    except_tps_number_from: int | None = None

    @property
    def fields(self) -> list[str]:
        out = [*self.terms, self.total, self.left, self.right]
        return [f for f in out if f]


def load_rules(nomor_urut: list[int]) -> list[Rule]:
    """Rules with `{placeholders}` and `suara_paslon_*` expanded for this election."""
    spec = read_schema_file(RULES_FILE)
    rules = []
    for item in spec["rules"]:
        loops = item.get("for_each", {})
        keys = list(loops)
        for combo in itertools.product(*(loops[k] for k in keys)) if keys else [()]:
            text = json.dumps({k: v for k, v in item.items() if k != "for_each"})
            for key, value in zip(keys, combo, strict=True):
                text = text.replace("{" + key + "}", value)
            data: dict[str, Any] = json.loads(text)
            terms: list[str] = []
            for term in data.get("terms", []):
                terms.extend([paslon_field(n) for n in nomor_urut]
                             if term == "suara_paslon_*" else [term])
            rules.append(Rule(
                id=data["id"], check=data["check"], severity=data["severity"],
                title=data["title"], title_en=data["title_en"], terms=tuple(terms),
                total=data.get("total", ""), left=data.get("left", ""),
                right=data.get("right", ""), limit=data.get("limit", ""),
                factor=data.get("factor", ""), master=data.get("master", ""),
                except_tps_number_from=data.get("except_tps_number_from")))
    return rules


@dataclass
class RuleFailures:
    """One row per (submission, failed rule): positions into the checked frame."""

    frame: pd.DataFrame  # row_index, rule, severity, fields, values, message, message_en


def _limit_value(rule: Rule, election: Election) -> float:
    return float(getattr(election.limits, rule.limit))


def evaluate_rules(values: pd.DataFrame, rules: list[Rule], election: Election,
                   master_dpt: pd.Series | None = None) -> RuleFailures:
    """Evaluate every rule on every row of `values` (nullable Int64 columns)."""
    frames = []
    for rule in rules:
        needed = rule.fields
        if any(f not in values.columns for f in needed):
            continue
        operands = values[needed]
        present = operands.notna().all(axis=1).to_numpy()
        if rule.check == "sum_equals":
            lhs = values[list(rule.terms)].sum(axis=1, min_count=1).to_numpy(dtype=float,
                                                                             na_value=np.nan)
            rhs = values[rule.total].to_numpy(dtype=float, na_value=np.nan)
            fail = present & (lhs != rhs)
            shown = [(rule.terms, lhs, rule.total, rhs)]
        elif rule.check == "equals":
            lhs = values[rule.left].to_numpy(dtype=float, na_value=np.nan)
            rhs = values[rule.right].to_numpy(dtype=float, na_value=np.nan)
            fail = present & (lhs != rhs)
            shown = [((rule.left,), lhs, rule.right, rhs)]
        elif rule.check == "at_most":
            lhs = values[rule.left].to_numpy(dtype=float, na_value=np.nan)
            if rule.limit:
                rhs = np.full(len(values), _limit_value(rule, election))
            else:
                factor = 1 + (float(getattr(election.limits, rule.factor)) if rule.factor else 0)
                rhs = values[rule.right].to_numpy(dtype=float, na_value=np.nan) * factor
            fail = present & (lhs > rhs + 1e-9)
            right_label = rule.limit or (f"{rule.right} × {factor:g}" if rule.factor
                                         else rule.right)
            if rule.except_tps_number_from is not None and "kode_tps" in values.columns:
                number = pd.to_numeric(values["kode_tps"].str[-3:], errors="coerce").to_numpy()
                fail &= ~(number >= rule.except_tps_number_from)
            shown = [((rule.left,), lhs, right_label, rhs)]
        elif rule.check == "equals_master":
            if master_dpt is None:
                continue
            lhs = values[rule.left].to_numpy(dtype=float, na_value=np.nan)
            rhs = master_dpt.to_numpy(dtype=float, na_value=np.nan)
            fail = present & ~np.isnan(rhs) & (lhs != rhs)
            shown = [((rule.left,), lhs, f"{rule.master} (daftar wilayah)", rhs)]
        else:
            raise ValueError(f"rules.json: unknown check {rule.check!r} in rule {rule.id}")
        idx = np.flatnonzero(fail)
        if len(idx) == 0:
            continue
        frames.append(_describe(rule, idx, values, shown[0]))
    if not frames:
        return RuleFailures(pd.DataFrame(columns=["row_index", "rule", "severity", "fields",
                                                  "values", "message", "message_en"]))
    return RuleFailures(pd.concat(frames, ignore_index=True))


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _describe(rule: Rule, idx: np.ndarray, values: pd.DataFrame, shown) -> pd.DataFrame:
    terms, lhs, right_name, rhs = shown
    sub = values.iloc[idx]
    field_values = [";".join(f"{f}={'' if pd.isna(v) else int(v)}" for f, v in zip(
        rule.fields, row, strict=True)) for row in sub[rule.fields].itertuples(index=False)]
    left_text = " + ".join(terms)
    messages, messages_en = [], []
    for i in idx:
        left_value, right_value = _fmt(lhs[i]), _fmt(rhs[i])
        if rule.check == "at_most":
            messages.append(f"{rule.title}: {left_text} = {left_value} melebihi "
                            f"{right_name} = {right_value}")
            messages_en.append(f"{rule.title_en}: {left_text} = {left_value} exceeds "
                               f"{right_name} = {right_value}")
        else:
            messages.append(f"{rule.title}: {left_text} = {left_value}, tetapi "
                            f"{right_name} = {right_value}")
            messages_en.append(f"{rule.title_en}: {left_text} = {left_value}, but "
                               f"{right_name} = {right_value}")
    return pd.DataFrame({"row_index": idx, "rule": rule.id, "severity": rule.severity,
                         "fields": ";".join(rule.fields), "values": field_values,
                         "message": messages, "message_en": messages_en})
