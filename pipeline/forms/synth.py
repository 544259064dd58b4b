"""A corpus of filled C1 forms with ground truth: the real blank PPWP form or the demo
Pilkada form, filled by synthetic officials (handwriting-style digits, bubbles blackened
mostly right, sometimes partial, missing or contradicting the digit, a few arithmetic
mistakes), then degraded like phone photos or scanners.

Used by the tests, the demo election and benchmarks/forms.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .draw import render_blank
from .handwriting import Writer, fill_bubble, write_glyph
from .templates import Template

BUBBLE_HABITS = ("good", "good", "good", "good", "partial", "missing", "contradict", "none")


@dataclass
class FilledForm:
    template: str
    kode_tps: str
    values: dict[str, int]  # what is written on the paper (the truth a reader must find)
    writer_id: int
    bubbles: str  # how the bubbles were filled
    mistakes: list[str] = field(default_factory=list)  # fields written inconsistently
    bubble_digits: dict[str, list[int | None]] = field(default_factory=dict)
    pages: list[Image.Image] = field(default_factory=list, repr=False)


def tps_numbers(rng: np.random.Generator, paslon: int, dpt_max: int = 300) -> dict[str, int]:
    """One TPS whose numbers satisfy every identity of the form."""
    v: dict[str, int] = {}
    v["pemilih_dpt_l"] = int(rng.integers(dpt_max // 4, dpt_max // 2))
    v["pemilih_dpt_p"] = int(rng.integers(dpt_max // 4, dpt_max // 2))
    for side in ("l", "p"):
        v[f"pengguna_dpt_{side}"] = int(v[f"pemilih_dpt_{side}"] * rng.uniform(0.55, 0.9))
        v[f"pengguna_dptb_{side}"] = int(rng.integers(0, 4))
        v[f"pengguna_non_dpt_{side}"] = int(rng.integers(0, 5))
        v[f"pengguna_total_{side}"] = (v[f"pengguna_dpt_{side}"] + v[f"pengguna_dptb_{side}"]
                                      + v[f"pengguna_non_dpt_{side}"])
        v[f"pemilih_disabilitas_{side}"] = int(rng.integers(0, 3))
    for group in ("pemilih_dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_non_dpt",
                  "pengguna_total", "pemilih_disabilitas"):
        v[f"{group}_j"] = v[f"{group}_l"] + v[f"{group}_p"]
    total = v["pengguna_total_j"]
    v["surat_suara_diterima"] = min(999, v["pemilih_dpt_j"] + round(v["pemilih_dpt_j"] * 0.02))
    v["surat_suara_digunakan"] = total
    v["surat_suara_dikembalikan"] = int(rng.integers(0, 4))
    v["surat_suara_tidak_digunakan"] = (v["surat_suara_diterima"] - total
                                        - v["surat_suara_dikembalikan"])
    v["suara_tidak_sah"] = int(rng.integers(0, max(2, total // 25)))
    v["suara_sah"] = total - v["suara_tidak_sah"]
    shares = rng.dirichlet(np.ones(paslon) * 2.0)
    votes = np.floor(shares * v["suara_sah"]).astype(int)
    votes[0] += v["suara_sah"] - votes.sum()
    for n in range(paslon):
        v[f"suara_paslon_{n + 1}"] = int(votes[n])
    v["suara_total"] = total
    return v


def _mistake(values: dict[str, int], rng: np.random.Generator) -> list[str]:
    """An official's slip: one number written off by a few, so the form does not add up."""
    name = str(rng.choice(["suara_paslon_1", "suara_tidak_sah", "pengguna_dpt_l",
                           "surat_suara_dikembalikan"]))
    values[name] = int(min(999, max(0, values[name] + int(rng.choice([-10, -2, 1, 3, 9])))))
    return [name]


@lru_cache(maxsize=8)
def _blank(name: str, number: int, scale: float, pdf: str | None) -> np.ndarray:
    from .templates import load_template

    template = load_template(name)
    return render_blank(template, template.page(number), scale, Path(pdf) if pdf else None)


def fill_form(template: Template, kode_tps: str, rng: np.random.Generator, writer_id: int,
              scale: float = 2.0, pdf: Path | None = None, values: dict[str, int] | None = None,
              bubbles: str | None = None, mistake: bool = False,
              leading: str | None = None) -> FilledForm:
    """Fill every page of the template for one TPS (clean pages; see `degrade`)."""
    values = dict(values) if values is not None else tps_numbers(
        rng, template.paslon, 300 if template.paslon == 3 else 600)
    mistakes = _mistake(values, rng) if mistake else []
    writer = Writer.of(writer_id)
    habit = bubbles or str(rng.choice(BUBBLE_HABITS))
    leading = leading or str(rng.choice(["blank", "blank", "zero", "X", "-"]))
    form = FilledForm(template.name, kode_tps, values, writer_id, habit, mistakes)
    contradicted = False
    for page in template.pages:
        blank = _blank(template.name, page.number, scale, str(pdf) if pdf else None)
        image = Image.fromarray(blank)
        draw = ImageDraw.Draw(image)
        for name, spec in page.fields.items():
            value = values.get(name)
            if value is None:
                continue
            text = f"{value:03d}"
            significant = len(str(value))
            marks: list[int | None] = []
            for position, (box, digit) in enumerate(zip(spec.boxes, text, strict=True)):
                is_leading = position < 3 - significant
                glyph = digit if not is_leading else {"blank": "", "zero": "0", "X": "X",
                                                      "-": "-"}[leading]
                x, y, w, h = (c * scale for c in box)
                if glyph:
                    write_glyph(draw, glyph, (x, y, w, h), writer, rng)
                if not spec.bubbles:
                    continue
                chosen: int | None = int(digit)
                if habit == "none" or (habit == "missing" and rng.random() < 0.35):
                    chosen = None
                elif is_leading and leading == "blank" and rng.random() < 0.5:
                    chosen = None  # no digit written, no bubble either
                if habit == "contradict" and not contradicted and not is_leading:
                    chosen = (int(digit) + int(rng.integers(1, 10))) % 10
                    contradicted = True
                marks.append(chosen)
                if chosen is None:
                    continue
                share = 1.0 if habit != "partial" or rng.random() < 0.5 else rng.uniform(0.3, 0.7)
                cx, cy = spec.bubbles[position][chosen]
                fill_bubble(draw, (cx * scale, cy * scale), spec.bubble_radius * scale,
                            writer.ink, share, rng)
            if spec.bubbles:
                form.bubble_digits[name] = marks
        form.pages.append(image)
    return form


def degrade(image: Image.Image, rng: np.random.Generator, mode: str = "photo") -> np.ndarray:
    """A page as a phone photo (perspective, rotation, shadow, blur, noise) or a scan
    (slight rotation and blur); returns the grayscale result."""
    page = np.asarray(image, dtype=np.uint8)
    if mode == "clean":
        return page.copy()
    h, w = page.shape
    margin = 0.06 if mode == "photo" else 0.02
    canvas_w, canvas_h = round(w * (1 + 2 * margin)), round(h * (1 + 2 * margin))
    tilt = 0.035 if mode == "photo" else 0.004
    src = np.float32([[0, 0], [w, 0], [0, h], [w, h]])
    angle = np.radians(rng.uniform(-6, 6) if mode == "photo" else rng.uniform(-1.5, 1.5))
    centre = np.array([w / 2, h / 2])
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    dst = (src - centre) @ rot.T + centre + np.array([margin * w, margin * h])
    dst += rng.uniform(-tilt, tilt, dst.shape) * np.array([w, h])
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    background = int(rng.uniform(60, 150)) if mode == "photo" else 250
    out = cv2.warpPerspective(page, matrix, (canvas_w, canvas_h), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=background)
    if mode == "photo":
        # Uneven light: a gradient across the page (computed small, then enlarged).
        yy, xx = np.mgrid[0:32, 0:32].astype(np.float32) / 31
        direction = rng.uniform(0, 2 * np.pi)
        ramp = np.cos(direction) * xx + np.sin(direction) * yy
        ramp = (ramp - ramp.min()) / (np.ptp(ramp) or 1)
        low = rng.uniform(0.5, 0.8)
        light = (low + (rng.uniform(0.9, 1.0) - low) * ramp).astype(np.float32)
        light = cv2.resize(light, (canvas_w, canvas_h), interpolation=cv2.INTER_LINEAR)
        out = cv2.multiply(out.astype(np.float32), light).astype(np.uint8)
        sigma = rng.uniform(0.4, 1.3)
    else:
        sigma = rng.uniform(0.3, 0.7)
    out = cv2.GaussianBlur(out, (0, 0), sigma)
    noise = np.empty(out.shape, dtype=np.int16)
    cv2.setRNGSeed(int(rng.integers(2**31)))
    cv2.randn(noise, 0, 3.0 if mode == "photo" else 1.5)
    return np.clip(out.astype(np.int16) + noise, 0, 255).astype(np.uint8)


def encode_jpeg(gray: np.ndarray, quality: int) -> bytes:
    ok, data = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError("could not encode JPEG")
    return data.tobytes()


def scanned_pdf(pages: list[np.ndarray], dpi: float = 150.0) -> bytes:
    """Pages as an image-only PDF, as a scanner writes them."""
    images = [Image.fromarray(p) for p in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:],
                   resolution=dpi)
    return buffer.getvalue()
