"""The demo's photographed and scanned forms: a few TPS of the demo election arrive only
as phone photos or a scanned PDF of the demo Pilkada form (C.Hasil-KWK style), written by
synthetic officials; one more arrives as a photo whose bubbles contradict its digits, as
a second copy of a TPS also in a sheet (it waits in the review queue; the sheet counts).

Deterministic: the same code gives the same bytes, whatever the recogniser's build. Which
writer fills each form (ATTEMPTS) was chosen by `find_attempts()`, which reads each scan
back until every number is accepted (the review copy: until one is not); the demo tests
check that they still are, so the published totals stay equal to the real ones. Run it
again when the reader changes.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..forms.digital import digital_pdf
from ..forms.handwriting import EVAL_WRITERS
from ..forms.load import LoadedPage
from ..forms.read import read_form
from ..forms.synth import degrade, encode_jpeg, fill_form, scanned_pdf
from ..forms.templates import all_templates, load_template

TEMPLATE = "kwk-2024-demo"
SCALE = 1.6  # px per pt: a phone photo of an A4 page, about 950 x 1350 px
SEED = 20241127
ATTEMPTS = {"7322092003002": 0, "7322092004001": 2, "7322092005001": 1, "7322111005001": 0}


def _fixed_pdf(data: bytes) -> bytes:
    """Pillow stamps PDFs with the clock: a fixed date (same length) keeps them identical."""
    return re.sub(rb"\(D:\d{14}[^)]*\)", lambda m: b"(D:20241127180000" +
                  b"Z" * (len(m.group(0)) - 19) + b")", data)


def _pages(values: dict[str, int], kode: str, attempt: int, bubbles: str, mode: str
           ) -> list[np.ndarray]:
    rng = np.random.default_rng([SEED, int(kode), attempt])
    form = fill_form(load_template(TEMPLATE), kode, rng, EVAL_WRITERS + 700 + attempt,
                     scale=SCALE, values=values, bubbles=bubbles, leading="blank")
    return [degrade(page, rng, mode) for page in form.pages]


def _accepted(pages: list[np.ndarray], kode: str, dpt: float | None) -> bool:
    """Read back as ingest will (from the encoded bytes it will find)."""
    loaded = [LoadedPage(Path(f"{kode}-{i + 1}.jpg"), i + 1, _decoded(page))
              for i, page in enumerate(pages)]
    return read_form(loaded, all_templates(), kode, dpt).accepted


def _decoded(page: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.imdecode(np.frombuffer(encode_jpeg(page, 72), np.uint8), cv2.IMREAD_GRAYSCALE)


def scanned_forms(rows: list[dict[str, int | str]], review_row: dict[str, int | str],
                  attempts: dict[str, int] | None = None) -> dict[str, bytes]:
    """Files (path -> bytes): rows[0] as photos named by kode, rows[1] as photos in a
    folder named by kode, rows[2] as a scanned PDF, rows[3] as a digital PDF (text layer);
    review_row as photos whose bubbles contradict the digits."""
    attempts = ATTEMPTS if attempts is None else attempts
    files: dict[str, bytes] = {}
    layouts = ["photo-named", "photo-folder", "pdf", "digital"]
    for row, layout in zip(rows, layouts, strict=False):
        kode = str(row["kode_tps"])
        values = {k: int(v) for k, v in row.items() if k != "kode_tps"}
        if layout == "digital":  # typed into the form by a tally application: a text layer
            files[f"formulir-digital/{kode}.pdf"] = digital_pdf(load_template(TEMPLATE),
                                                                values)
            continue
        mode = "scan" if layout == "pdf" else "photo"
        pages = _pages(values, kode, attempts.get(kode, 0), "good", mode)
        if layout == "pdf":
            files[f"formulir-pindaian/{kode}.pdf"] = _fixed_pdf(scanned_pdf(pages, 110))
        else:
            for number in (2, 3, 1):  # photos arrive in any order
                name = (f"formulir-foto/{kode}-hal{number}.jpg" if layout == "photo-named"
                        else f"formulir-foto/{kode}/IMG_{4100 + number}.jpg")
                files[name] = encode_jpeg(pages[number - 1], 72)
    kode = str(review_row["kode_tps"])
    values = {k: int(v) for k, v in review_row.items() if k != "kode_tps"}
    pages = _pages(values, kode, attempts.get(kode, 0), "contradict", "photo")
    for number in (1, 2, 3):
        files[f"formulir-foto/{kode}-salinan-hal{number}.jpg"] = encode_jpeg(
            pages[number - 1], 72)
    return files


def find_attempts(rows: list[dict[str, int | str]], review_row: dict[str, int | str],
                  dpt: dict[str, float]) -> dict[str, int]:
    """For maintainers: the first writer whose photos/scan of each TPS read back accepted
    (and, for the review copy, not accepted). Paste the result into ATTEMPTS."""
    found = {}
    for row, mode in zip(rows[:3], ["photo", "photo", "scan"], strict=False):
        kode = str(row["kode_tps"])
        values = {k: int(v) for k, v in row.items() if k != "kode_tps"}
        found[kode] = next(a for a in range(60) if _accepted(
            _pages(values, kode, a, "good", mode), kode, dpt.get(kode)))
    kode = str(review_row["kode_tps"])
    values = {k: int(v) for k, v in review_row.items() if k != "kode_tps"}
    found[kode] = next(a for a in range(60) if not _accepted(
        _pages(values, kode, a, "contradict", "photo"), kode, dpt.get(kode)))
    return found
