"""Draw a blank page of a template (the demo Pilkada form, or any template when its PDF is
not at hand), and the small layout thumbnails by which the reader recognises a page.

Drawing uses Pillow only, with its bundled font: nothing is downloaded.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .templates import PageSpec, Template, forms_dir

GUIDE_GREY = 185  # the dotted 7-segment guide printed in each digit box
THUMB_WIDTH = 48


@lru_cache(maxsize=32)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=max(6, size))


def guide_segments(x: float, y: float, w: float, h: float) -> list[tuple[float, float, float,
                                                                           float]]:
    """The seven segments of the printed '8' guide inside a box, as line ends (pt)."""
    left, right = x + 0.28 * w, x + 0.72 * w
    top, middle, bottom = y + 0.18 * h, y + 0.5 * h, y + 0.82 * h
    return [(left, top, right, top), (left, middle, right, middle),
            (left, bottom, right, bottom), (left, top, left, middle),
            (right, top, right, middle), (left, middle, left, bottom),
            (right, middle, right, bottom)]


def draw_box(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], scale: float,
             guide: str = "dots") -> None:
    """A digit box with its printed guide: dotted (the demo form) or light solid segments
    (as on the PPWP form)."""
    bx, by, bw, bh = box
    s = scale
    draw.rectangle([bx * s, by * s, (bx + bw) * s, (by + bh) * s], outline=0,
                   width=max(1, round(1.6 * s)))
    for x0, y0, x1, y1 in guide_segments(bx, by, bw, bh) if guide != "none" else []:
        if guide == "solid":
            draw.line([(x0 * s, y0 * s), (x1 * s, y1 * s)], fill=GUIDE_GREY + 20,
                      width=max(1, round(0.8 * s)))
            continue
        steps = 5
        for k in range(steps + 1):
            px = (x0 + (x1 - x0) * k / steps) * s
            py = (y0 + (y1 - y0) * k / steps) * s
            r = max(0.6, 0.5 * s)
            draw.ellipse([px - r, py - r, px + r, py + r], fill=GUIDE_GREY)


def draw_page(template: Template, page: PageSpec, scale: float) -> Image.Image:
    """A blank page at `scale` px per pt (grayscale)."""
    width, height = template.page_size
    image = Image.new("L", (round(width * scale), round(height * scale)), 255)
    draw = ImageDraw.Draw(image)
    s = scale
    mark = float(template.data.get("mark_size", 16.0))
    for cx, cy in page.marks.values():
        draw.rectangle([(cx - mark / 2) * s, (cy - mark / 2) * s, (cx + mark / 2) * s,
                        (cy + mark / 2) * s], fill=0)
    draw.text((60 * s, 40 * s), template.title.upper(), fill=0, font=_font(round(11 * s)))
    draw.text((width * 0.72 * s, 40 * s), f"Halaman {page.number} · {page.code}", fill=0,
              font=_font(round(10 * s)))
    for bit in range(3):  # the page number, in three squares (filled = 1)
        x0 = (width * 0.72 + bit * 14) * s
        shape = [x0, 58 * s, x0 + 10 * s, 68 * s]
        draw.rectangle(shape, outline=0, width=max(1, round(s)),
                       fill=0 if page.number >> (2 - bit) & 1 else 255)
    for i, label in enumerate(("Provinsi", "Kabupaten/Kota", "Kecamatan", "Kelurahan/Desa",
                               "Nomor TPS")):
        y = (88 + i * 16) * s
        draw.text((60 * s, y), f"{label} :", fill=0, font=_font(round(8 * s)))
        draw.line([(150 * s, y + 9 * s), (400 * s, y + 9 * s)], fill=120,
                  width=max(1, round(0.5 * s)))
    labels = template.data.get("labels", {})
    for name, spec in page.fields.items():
        x, y, w, h = spec.boxes[0]
        stem = name.rsplit("_", 1)[0] if name.endswith(("_l", "_p", "_j")) else name
        if not name.endswith(("_p", "_j")):
            text = labels.get(stem, name.replace("_", " ").replace("suara paslon", "Paslon"))
            tx = 60 * s if page.number == 1 else x * s
            ty = (y + h / 3) * s if page.number == 1 else (y - 16) * s
            draw.text((tx, ty), text, fill=0, font=_font(round(8 * s)))
        if page.number == 1 and name.endswith(("_l", "_p", "_j")):
            draw.text((x * s, (y - 10) * s), {"l": "L", "p": "P", "j": "L+P"}[name[-1]],
                      fill=0, font=_font(round(7 * s)))
        for box in spec.boxes:
            draw_box(draw, box, s)
        for column in spec.bubbles:
            for digit, (cx, cy) in enumerate(column):
                r = spec.bubble_radius
                draw.ellipse([(cx - r) * s, (cy - r) * s, (cx + r) * s, (cy + r) * s],
                             outline=0, width=max(1, round(0.6 * s)))
                draw.text((cx * s, cy * s), str(digit), fill=110, anchor="mm",
                          font=_font(round(6.5 * s)))
    return image


def render_blank(template: Template, page: PageSpec, scale: float,
                 pdf: Path | None = None) -> np.ndarray:
    """The blank page as a grayscale array: rasterised from the form's PDF when given (the
    real form), else drawn from the template."""
    if pdf is not None:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(pdf))
        try:
            bitmap = document[page.number - 1].render(scale=scale, grayscale=True)
            image = bitmap.to_pil().convert("L")
        finally:
            document.close()
        return np.asarray(image)
    return np.asarray(draw_page(template, page, scale))


def thumbnail_path(template: Template, page: PageSpec) -> Path:
    return forms_dir() / "thumbs" / f"{template.name}-{page.number}.png"


def make_thumbnail(image: np.ndarray, width: int = THUMB_WIDTH) -> np.ndarray:
    """A page in template space, shrunk to a few thousand pixels and normalised: what page
    recognition compares."""
    height = round(width * image.shape[0] / image.shape[1])
    import cv2

    small = np.asarray(Image.fromarray(image).resize((width, height), Image.BOX),
                       dtype=np.float32)
    # Divided by the paper's own brightness around each point: shadows do not count.
    small = small / np.maximum(cv2.GaussianBlur(small, (0, 0), width / 8), 1.0)
    small = small - small.mean()
    return small / (np.linalg.norm(small) or 1.0)


def write_thumbnails(template: Template, pdf: Path | None = None) -> list[Path]:
    """Layout thumbnails of each page, stored beside the template (run again when a template
    changes; a test checks they are current)."""
    written = []
    for page in template.pages:
        image = render_blank(template, page, 1.0 if pdf is None else 0.25, pdf)
        small = Image.fromarray(image).resize(
            (THUMB_WIDTH * 4, round(THUMB_WIDTH * 4 * image.shape[0] / image.shape[1])),
            Image.BOX)
        path = thumbnail_path(template, page)
        path.parent.mkdir(parents=True, exist_ok=True)
        small.save(path, optimize=True)
        written.append(path)
    return written


@lru_cache(maxsize=32)
def stored_thumbnail(name: str, number: int) -> np.ndarray:
    from .templates import load_template

    template = load_template(name)
    image = np.asarray(Image.open(thumbnail_path(template, template.page(number))).convert("L"))
    return make_thumbnail(image)
