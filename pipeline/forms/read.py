"""Read C1 form pages and decide, number by number, what may be published.

Every number is read in every way the form offers (the handwritten digit boxes, the OMR
bubbles under them) and checked against the form's arithmetic. A number is **accepted**
only when its readings agree, each is confident, and every identity it takes part in holds
(DPT also against the region master when one is given). Anything else goes to review, with
the best guess pre-filled and the reasons in words.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..validate.rules import load_rules
from .digits import CLASSES, box_crop, digit_model, features
from .load import LoadedPage, form_files, load_pages, tps_code_of
from .omr import read_column
from .register import Registration, register
from .templates import FieldSpec, Template, all_templates, load_template

DIGIT_AGREEING = 0.5  # each box, when the bubbles say the same number
DIGIT_ALONE = 0.75  # each box, for a number the form gives no bubbles for (its rules must hold)
BUBBLE_CONFIDENT = 0.5
LEADING = {"blank", "X", "-", "0"}


@dataclass
class Reading:
    value: int | None
    confidence: float
    note: str = ""


@dataclass
class FieldResult:
    name: str
    digits: Reading
    bubbles: Reading | None
    page: int
    value: int | None = None  # accepted value, or the best guess for review
    source: str = "image"  # image (digit boxes and bubbles) or text (a PDF's text layer)
    accepted: bool = False
    reasons: list[str] = field(default_factory=list)
    crops: list[np.ndarray] = field(default_factory=list, repr=False)

    @property
    def confidence(self) -> float:
        readings = [self.digits.confidence]
        if self.bubbles is not None:
            readings.append(self.bubbles.confidence)
        return float(min(readings))


@dataclass
class PageRead:
    file: Path
    page: int
    registration: Registration | None
    error: str = ""


@dataclass
class FormRead:
    kode_tps: str | None
    template: Template | None
    pages: list[PageRead]
    fields: dict[str, FieldResult]
    review_reasons: list[str]

    @property
    def accepted(self) -> bool:
        return not self.review_reasons and all(f.accepted for f in self.fields.values())

    def as_json(self) -> dict[str, Any]:
        pages = []
        for p in self.pages:
            entry: dict[str, Any] = {"file": str(p.file), "page": p.page,
                                     "registered": p.registration is not None
                                     and not p.registration.reason}
            if p.registration is not None:
                entry.update({"form_page": p.registration.page.number,
                              "quality": round(p.registration.quality, 3),
                              "layout": round(p.registration.layout_score, 3)})
            if p.error or (p.registration and p.registration.reason):
                entry["error"] = p.error or p.registration.reason
            pages.append(entry)
        fields = {}
        for name, f in self.fields.items():
            readings: dict[str, Any] = ({"text": f.digits.value} if f.source == "text"
                                        else {"digits": f.digits.value})
            if f.bubbles is not None:
                readings["bubbles"] = f.bubbles.value
            fields[name] = {"value": f.value, "confidence": round(f.confidence, 3),
                            "accepted": f.accepted, "readings": readings}
            if f.reasons:
                fields[name]["reasons"] = f.reasons
        return {"kode_tps": self.kode_tps,
                "template": self.template.name if self.template else None,
                "pages": pages, "fields": fields, "accepted": self.accepted,
                "review_reasons": self.review_reasons}


def _digits_reading(probabilities: np.ndarray) -> Reading:
    """A number from its three boxes: leading boxes may be blank, X, dash or 0."""
    labels = [CLASSES[int(i)] for i in probabilities.argmax(axis=1)]
    confidence = float(probabilities.max(axis=1).min())
    if all(label in ("blank", "X", "-") for label in labels):
        return Reading(None, confidence, "kotak kosong")
    text = ""
    for position, label in enumerate(labels):
        if label.isdigit():
            text += label
        elif text.lstrip("0") or position == len(labels) - 1:
            return Reading(None, 0.0, f"kotak ke-{position + 1} terbaca '{label}'")
        # a leading blank, X or dash: nothing written there
    return Reading(int(text), confidence)


def _bubbles_reading(columns) -> Reading:
    digits = ""
    confidence = 1.0
    for position, column in enumerate(columns):
        if column.digit is not None:
            digits += str(column.digit)
            confidence = min(confidence, column.confidence)
        elif column.blank and not digits.lstrip("0") and position < len(columns) - 1:
            confidence = min(confidence, column.confidence)  # a leading position left empty
        elif column.blank:
            return Reading(None, 0.0, f"bulatan kolom ke-{position + 1} tidak dihitamkan")
        else:
            return Reading(None, 0.0, f"bulatan kolom ke-{position + 1} tidak jelas")
    if not digits:
        return Reading(None, 0.0, "tidak ada bulatan yang dihitamkan")
    return Reading(int(digits), confidence)


def _text_reading(chars: list[tuple[str, float, float]], matrix: np.ndarray,
                  spec: FieldSpec) -> Reading:
    """The characters a digital PDF has inside the number's boxes (its text layer is exact:
    no recognition, so confidence 1)."""
    import cv2

    found = []
    for x, y, w, h in spec.boxes:
        corners = np.float32([[[x, y]], [[x + w, y]], [[x + w, y + h]], [[x, y + h]]])
        quad = cv2.perspectiveTransform(corners, matrix).reshape(-1, 2)
        for text, cx, cy in chars:
            if cv2.pointPolygonTest(quad, (float(cx), float(cy)), False) >= 0:
                found.append((cx, text))
    text = "".join(t for _, t in sorted(found)).strip().lstrip("X-x ").replace(" ", "")
    if not text:
        return Reading(None, 1.0, "kotak kosong (teks PDF)")
    if not text.isdigit() or len(text) > len(spec.boxes):
        return Reading(None, 0.0, f"teks PDF di kotak: {text!r}")
    return Reading(int(text), 1.0, "teks PDF")


@lru_cache(maxsize=8)
def _identities(paslon: int) -> tuple:
    """The form's hard arithmetic (schemas/rules.json), once per number of paslon."""
    return tuple(r for r in load_rules(list(range(1, paslon + 1)))
                 if r.severity == "hard" and r.check in ("sum_equals", "equals"))


def read_fields(gray: np.ndarray, registration: Registration,
                chars: list[tuple[str, float, float]] | None = None
                ) -> dict[str, FieldResult]:
    page = registration.page
    matrix = registration.homography
    if chars:  # a digital PDF: its text layer, read inside the template's boxes
        return {name: FieldResult(name, _text_reading(chars, matrix, spec), None, page.number,
                                  source="text")
                for name, spec in page.fields.items()}
    crops, owners = [], []
    for name, spec in page.fields.items():
        for box in spec.boxes:
            crops.append(box_crop(gray, matrix, box))
            owners.append(name)
    if not crops:
        return {}
    probabilities = digit_model().probabilities(np.stack([features(c) for c in crops]))
    out: dict[str, FieldResult] = {}
    for name, spec in page.fields.items():
        rows = [i for i, owner in enumerate(owners) if owner == name]
        bubbles = _read_bubbles(gray, matrix, spec) if spec.bubbles else None
        out[name] = FieldResult(name, _digits_reading(probabilities[rows]), bubbles,
                                page.number, crops=[crops[i] for i in rows])
    return out


def _read_bubbles(gray: np.ndarray, matrix: np.ndarray, spec: FieldSpec) -> Reading:
    return _bubbles_reading([read_column(gray, matrix, column, spec.bubble_radius)
                             for column in spec.bubbles])


def gate(fields: dict[str, FieldResult], template: Template,
         master_dpt: float | None = None) -> None:
    """Decide each field: agreeing, confident readings whose identities all hold."""
    for f in fields.values():
        d, b = f.digits, f.bubbles
        f.value = d.value if d.value is not None else (b.value if b is not None else None)
        if b is not None:
            if d.value is None or b.value is None:
                f.reasons.append(f"tidak terbaca ({d.note or b.note})")
            elif d.value != b.value:
                f.reasons.append(f"angka ({d.value}) dan bulatan ({b.value}) tidak sama")
            elif d.confidence < DIGIT_AGREEING or b.confidence < BUBBLE_CONFIDENT:
                f.reasons.append(f"pembacaan kurang yakin ({f.confidence:.2f})")
        elif d.value is None:
            f.reasons.append(f"tidak terbaca ({d.note})")
        elif d.confidence < DIGIT_ALONE:
            f.reasons.append(f"angka kurang yakin ({d.confidence:.2f}) dan tanpa bulatan")
    # The arithmetic is checked on what was read; a rule that holds exactly is itself a
    # reading that agrees, one that fails or cannot be checked keeps its numbers in review.
    # Only readings that passed their own checks take part: a doubtful operand must not
    # make a rule hold by accident (X read as 6 in two boxes: 60 + 1 = 61).
    read = {name: f.digits.value for name, f in fields.items() if not f.reasons}
    rules = _identities(template.paslon)
    for rule in rules:
        names = [n for n in rule.fields if n in fields]
        if not names:
            continue
        missing = [n for n in rule.fields if n not in read]
        if missing:
            for n in names:
                if n in read:
                    fields[n].reasons.append(f"aturan '{rule.title}' tidak dapat diperiksa "
                                             f"({', '.join(missing)} belum terbaca)")
            continue
        if rule.check == "sum_equals":
            holds = sum(read[t] for t in rule.terms) == read[rule.total]
        else:
            holds = read[rule.left] == read[rule.right]
        if not holds:
            for n in names:
                fields[n].reasons.append(f"aturan '{rule.title}' tidak terpenuhi")
    if master_dpt is not None and "pemilih_dpt_j" in fields:
        f = fields["pemilih_dpt_j"]
        if f.value != int(master_dpt):
            f.reasons.append(f"tidak sama dengan DPT di daftar wilayah ({int(master_dpt)})")
    for f in fields.values():
        f.accepted = not f.reasons
    _best_guess(fields, rules)


def _best_guess(fields: dict[str, FieldResult], rules) -> None:
    """Pre-fill for review: where readings disagree or one is missing, the value the form's
    own arithmetic asks for, when the other numbers of a rule are settled (never accepted
    for that: a person confirms it)."""
    choices = {name: {r.value for r in (f.digits, f.bubbles) if r is not None
                      and r.value is not None} for name, f in fields.items()}
    settled = {name: next(iter(c)) for name, c in choices.items() if len(c) == 1}
    for _ in range(3):
        changed = False
        for rule in rules:
            if rule.check != "sum_equals" or any(n not in fields for n in rule.fields):
                continue
            open_ = [n for n in rule.fields if n not in settled]
            if not open_ or any(len(choices[n]) > 4 for n in open_) or len(open_) > 4:
                continue
            fits = []
            for combo in itertools.product(*[sorted(choices[n]) or [None] for n in open_]):
                known = {**settled, **dict(zip(open_, combo, strict=True))}
                missing = [n for n in open_ if known[n] is None]
                if len(missing) > 1:
                    break
                if missing:  # one number unread: the arithmetic gives it
                    name = missing[0]
                    rest = [t for t in rule.terms if t != name]
                    known[name] = (sum(known[t] for t in rule.terms) if name == rule.total
                                   else known[rule.total] - sum(known[t] for t in rest))
                    if not 0 <= known[name] <= 999:
                        continue
                if sum(known[t] for t in rule.terms) == known[rule.total]:
                    fits.append({n: known[n] for n in open_})
            if len(fits) != 1:
                continue
            for name, value in fits[0].items():
                settled[name] = value
                fields[name].value = value
            changed = True
        if not changed:
            break


def read_form(pages: list[LoadedPage], templates: list[Template],
              kode_tps: str | None, master_dpt: float | None = None) -> FormRead:
    """All pages of one TPS: register each, read its fields, gate the whole form."""
    reads: list[PageRead] = []
    by_page: dict[tuple[str, int], list[tuple[Registration, LoadedPage]]] = defaultdict(list)
    for loaded in pages:
        if loaded.gray is None:
            reads.append(PageRead(loaded.file, loaded.page, None, loaded.error))
            continue
        registration = register(loaded.gray, templates)
        if registration is None:
            reads.append(PageRead(loaded.file, loaded.page, None,
                                  "tanda sudut halaman tidak ditemukan"))
            continue
        reads.append(PageRead(loaded.file, loaded.page, registration))
        if not registration.reason:
            key = (registration.template.name, registration.page.number)
            by_page[key].append((registration, loaded))
    reasons = [f"{r.file.name} hal. {r.page}: {r.error or r.registration.reason}"
               for r in reads if r.error or (r.registration and r.registration.reason)]
    names = {name for name, _ in by_page}
    template = None
    if len(names) == 1:
        template = load_template(next(iter(names)))
    elif len(names) > 1:
        reasons.append("halaman dari beberapa jenis formulir: " + ", ".join(sorted(names)))
    fields: dict[str, FieldResult] = {}
    if template is not None:
        for page in template.pages:
            found = by_page.get((template.name, page.number), [])
            if not found:
                reasons.append(f"halaman {page.number} ({page.code}) tidak ada")
                continue
            if len(found) > 1:
                reasons.append(f"halaman {page.number} ada {len(found)} kali; dipakai yang "
                               "registrasinya terbaik")
            registration, loaded = max(found, key=lambda item: item[0].quality)
            fields.update(read_fields(loaded.gray, registration, loaded.chars))
        gate(fields, template, master_dpt)
    elif not reasons:
        reasons.append("tidak ada halaman formulir yang terbaca")
    if fields and not all(f.accepted for f in fields.values()):
        waiting = sum(1 for f in fields.values() if not f.accepted)
        reasons.append(f"{waiting} angka perlu diperiksa")
    return FormRead(kode_tps, template, reads, fields, reasons)


def read_paths(paths: list[Path], template: str | None = None,
               master_dpt: dict[str, float] | None = None) -> list[FormRead]:
    """Read form files, grouped by the TPS their name or folder gives."""
    templates = [load_template(template)] if template else all_templates()
    groups: dict[str | None, list[Path]] = defaultdict(list)
    for path in form_files(paths):
        groups[tps_code_of(path)].append(path)
    out = []
    for kode in sorted(groups, key=lambda k: (k is None, k or "")):
        pages = [page for path in groups[kode] for page in load_pages(path)]
        out.append(read_form(pages, templates, kode,
                             (master_dpt or {}).get(kode) if kode else None))
    return out
