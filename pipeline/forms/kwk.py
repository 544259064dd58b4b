"""The layout of the demo's Pilkada form (C.Hasil-KWK style, A4): corner marks, a page code,
three digit boxes per number, and under each vote-count box a column of bubbles 0-9.

`kwk_template()` returns the template data written to schemas/forms/kwk-2024-demo.json.
"""

from __future__ import annotations

from typing import Any

A4 = (595.3, 841.9)
MARK = 16.0  # side of a corner mark (pt)
BOX = 26.0  # side of a digit box
GAP = 6.0  # between the boxes of one number
BUBBLE_R = 5.0
BUBBLE_PITCH = 13.0

PAGE1_ROWS = [
    ("I.A", "Pemilih dalam DPT", "pemilih_dpt"),
    ("I.B.1", "Pengguna hak pilih dalam DPT", "pengguna_dpt"),
    ("I.B.2", "Pengguna hak pilih DPTb", "pengguna_dptb"),
    ("I.B.3", "Pengguna hak pilih DPK", "pengguna_non_dpt"),
    ("I.B.4", "Jumlah pengguna hak pilih", "pengguna_total"),
    ("II.1", "Surat suara diterima", "surat_suara_diterima"),
    ("II.2", "Surat suara digunakan", "surat_suara_digunakan"),
    ("II.3", "Surat suara dikembalikan", "surat_suara_dikembalikan"),
    ("II.4", "Surat suara tidak digunakan", "surat_suara_tidak_digunakan"),
    ("III", "Pemilih disabilitas", "pemilih_disabilitas"),
]
SINGLE = {"surat_suara_diterima", "surat_suara_digunakan", "surat_suara_dikembalikan",
          "surat_suara_tidak_digunakan"}


def _marks() -> dict[str, list[float]]:
    w, h = A4
    m = 22.0 + MARK / 2
    return {"tl": [m, m], "tr": [round(w - m, 1), m], "bl": [m, round(h - m, 1)],
            "br": [round(w - m, 1), round(h - m, 1)]}


def _number(x: float, y: float, bubbles: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {"boxes": [[round(x + i * (BOX + GAP), 1), y, BOX, BOX]
                                      for i in range(3)]}
    if bubbles:
        spec["bubbles"] = [[[round(x + i * (BOX + GAP) + BOX / 2, 1),
                             round(y + BOX + 12 + d * BUBBLE_PITCH, 1)] for d in range(10)]
                           for i in range(3)]
        spec["bubble_radius"] = BUBBLE_R
    return spec


def kwk_template(paslon: int = 4) -> dict[str, Any]:
    page1: dict[str, Any] = {}
    labels: dict[str, str] = {}
    y = 190.0
    for code, label, stem in PAGE1_ROWS:
        if stem in SINGLE:
            page1[stem] = _number(455.0, y, False)
            labels[stem] = f"{code} {label}"
        else:
            for x, suffix in ((235.0, "l"), (345.0, "p"), (455.0, "j")):
                page1[f"{stem}_{suffix}"] = _number(x, y, False)
            labels[stem] = f"{code} {label}"
        y += 52.0
    page2: dict[str, Any] = {}
    for n in range(1, paslon + 1):
        column, row = (n - 1) % 2, (n - 1) // 2
        page2[f"suara_paslon_{n}"] = _number(120.0 + column * 250.0, 190.0 + row * 290.0, True)
    page3 = {name: _number(70.0 + i * 170.0, 230.0, True)
             for i, name in enumerate(["suara_sah", "suara_tidak_sah", "suara_total"])}
    pages = [{"page": i, "code": f"KWK-{i}", "marks": _marks(), "fields": fields}
             for i, fields in ((1, page1), (2, page2), (3, page3))]
    return {"name": "kwk-2024-demo",
            "title": "Model C.Hasil-KWK (demo, Pilkada 2024 Bupati/Walikota)",
            "unit": "pt", "page_size": list(A4), "labels": labels, "pages": pages}
