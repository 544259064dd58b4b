"""Form templates are data: `schemas/forms/<name>.json` gives, per page, the corner marks and
the position of every digit box and OMR bubble (in pt, origin top left).

`ppwp-2024` is measured from the official blank PDF (pipeline/forms/measure.py);
`kwk-2024-demo` is the demo Pilkada form (pipeline/forms/kwk.py lays it out).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..paths import schemas_dir


@dataclass(frozen=True)
class FieldSpec:
    name: str
    boxes: tuple[tuple[float, float, float, float], ...]  # x, y, w, h per digit (pt)
    bubbles: tuple[tuple[tuple[float, float], ...], ...] = ()  # per digit: 10 centres, 0..9
    bubble_radius: float = 0.0


@dataclass(frozen=True)
class PageSpec:
    number: int
    code: str
    marks: dict[str, tuple[float, float]]  # tl, tr, bl, br: mark centres
    fields: dict[str, FieldSpec]


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    page_size: tuple[float, float]
    pages: tuple[PageSpec, ...]
    paslon: int
    data: dict[str, Any] = field(repr=False, compare=False, hash=False, default_factory=dict)

    def page(self, number: int) -> PageSpec:
        return next(p for p in self.pages if p.number == number)

    @property
    def field_names(self) -> list[str]:
        return [name for page in self.pages for name in page.fields]

    @property
    def box_size(self) -> float:
        first = next(f for p in self.pages for f in p.fields.values())
        return first.boxes[0][2]


def forms_dir() -> Path:
    return schemas_dir() / "forms"


def template_from_dict(data: dict[str, Any]) -> Template:
    pages = []
    for page in data["pages"]:
        fields = {}
        for name, spec in page["fields"].items():
            fields[name] = FieldSpec(
                name, tuple(tuple(b) for b in spec["boxes"]),
                tuple(tuple(tuple(c) for c in column) for column in spec.get("bubbles", [])),
                float(spec.get("bubble_radius", 0.0)))
        pages.append(PageSpec(int(page["page"]), str(page["code"]),
                              {k: tuple(v) for k, v in page["marks"].items()}, fields))
    paslon = sum(1 for p in pages for name in p.fields if name.startswith("suara_paslon_"))
    return Template(data["name"], data.get("title", data["name"]), tuple(data["page_size"]),
                    tuple(pages), paslon, data)


@lru_cache(maxsize=16)
def load_template(name: str) -> Template:
    path = forms_dir() / f"{name}.json"
    if not path.is_file():
        known = ", ".join(template_names()) or "none"
        raise ValueError(f"unknown form template {name!r} (known: {known})")
    return template_from_dict(json.loads(path.read_text(encoding="utf-8")))


def template_names() -> list[str]:
    return sorted(p.stem for p in forms_dir().glob("*.json"))


def all_templates() -> list[Template]:
    return [load_template(name) for name in template_names()]
