"""Measure a form template from the official vector PDF (Model C.HASIL-PPWP 2024).

The blank form has no text layer, but its drawing is vector: the digit boxes are square
paths with a heavy border, the OMR bubbles small circles under them, the corner marks
filled squares. Their positions become `schemas/forms/<name>.json`; a test measures the
real PDF again and compares, so the template cannot drift from the form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PPWP_FIELDS = {  # rows of digit-box groups, top to bottom, per page (DOMAIN.md §3a names)
    1: [["pemilih_dpt_l", "pemilih_dpt_p", "pemilih_dpt_j"],
        ["pengguna_dpt_l", "pengguna_dpt_p", "pengguna_dpt_j"],
        ["pengguna_dptb_l", "pengguna_dptb_p", "pengguna_dptb_j"],
        ["pengguna_non_dpt_l", "pengguna_non_dpt_p", "pengguna_non_dpt_j"],
        ["pengguna_total_l", "pengguna_total_p", "pengguna_total_j"],
        ["surat_suara_diterima"], ["surat_suara_digunakan"], ["surat_suara_dikembalikan"],
        ["surat_suara_tidak_digunakan"],
        ["pemilih_disabilitas_l", "pemilih_disabilitas_p", "pemilih_disabilitas_j"]],
    2: [["suara_paslon_1"], ["suara_paslon_2"], ["suara_paslon_3"]],
    3: [["suara_sah"], ["suara_tidak_sah"], ["suara_total"]],
}


def _r(value: float) -> float:
    return round(float(value), 1)


def _square(obj: dict, low: float, high: float) -> bool:
    width, height = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
    return low < width < high and abs(width - height) < 2


def measure_pdf(pdf_path: Path, name: str = "ppwp-2024",
                fields: dict[int, list[list[str]]] | None = None) -> dict[str, Any]:
    """The template of a C.HASIL form: per page its marks, digit boxes and bubbles (pt,
    origin top left)."""
    import pdfplumber

    fields = fields or PPWP_FIELDS
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            curves = page.curves
            marks = sorted(((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2)
                           for c in curves if c.get("fill") and _square(c, 19, 22)
                           and c.get("non_stroking_color") in ((0, 0, 0, 1), (0.0, 0.0, 0.0, 1.0)))
            # Each L-shaped mark is two squares touching at a corner: its centre is theirs.
            corners = []
            width, height = float(page.width), float(page.height)
            for left in (True, False):
                for top in (True, False):
                    near = [m for m in marks if (m[0] < width / 2) == left
                            and (m[1] < height / 2) == top]
                    corners.append([_r(sum(m[0] for m in near) / len(near)),
                                    _r(sum(m[1] for m in near) / len(near))])
            tl, bl, tr, br = corners
            boxes = sorted((c for c in curves if (c.get("linewidth") or 0) > 2
                            and _square(c, 40, 70)), key=lambda c: (round(c["top"]), c["x0"]))
            bubbles = [c for c in curves if not c.get("fill") and _square(c, 20, 25)]
            rows: list[list[dict]] = []
            for box in boxes:
                if rows and abs(rows[-1][0]["top"] - box["top"]) < 3:
                    rows[-1].append(box)
                else:
                    rows.append([box])
            names = fields[number]
            if len(rows) != len(names):
                raise ValueError(f"{pdf_path} page {number}: {len(rows)} rows of digit boxes, "
                                 f"expected {len(names)}")
            page_fields: dict[str, Any] = {}
            for row, row_names in zip(rows, names, strict=True):
                if len(row) != 3 * len(row_names):
                    raise ValueError(f"{pdf_path} page {number}: a row of {len(row)} boxes for "
                                     f"{row_names}")
                for i, field in enumerate(row_names):
                    spec: dict[str, Any] = {"boxes": []}
                    for box in row[3 * i:3 * i + 3]:
                        spec["boxes"].append([_r(box["x0"]), _r(box["top"]),
                                              _r(box["x1"] - box["x0"]),
                                              _r(box["bottom"] - box["top"])])
                        middle = (box["x0"] + box["x1"]) / 2
                        below = sorted((b for b in bubbles
                                        if abs((b["x0"] + b["x1"]) / 2 - middle) < 3
                                        and 0 < b["top"] - box["bottom"] < 360),
                                       key=lambda b: b["top"])[:10]
                        if len(below) == 10:
                            spec.setdefault("bubbles", []).append(
                                [[_r((b["x0"] + b["x1"]) / 2), _r((b["top"] + b["bottom"]) / 2)]
                                 for b in below])
                    if "bubbles" in spec:
                        spec["bubble_radius"] = _r((below[0]["x1"] - below[0]["x0"]) / 2)
                    page_fields[field] = spec
            pages.append({"page": number, "code": str(100 + number),
                          "marks": {"tl": tl, "tr": tr, "bl": bl, "br": br},
                          "fields": page_fields})
        size = [_r(pdf.pages[0].width), _r(pdf.pages[0].height)]
    return {"name": name, "title": "Model C.HASIL-PPWP (Pemilu 2024, PKPU 25/2023)",
            "unit": "pt", "page_size": size, "source": "C.HASIL-PPWP-2024-blank.pdf",
            "pages": pages}
