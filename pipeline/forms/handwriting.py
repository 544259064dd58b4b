"""Handwriting-style digits for the synthetic corpus and for training the recogniser.

Each digit is a few strokes in a unit box (several shapes per digit, as people write them).
A *writer* is a seeded style: slant, size, width, pen pressure, which shape of each digit,
how shaky. Writers used to train or tune the recogniser (ids below EVAL_WRITERS) are never
used for evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import ImageDraw

EVAL_WRITERS = 1000  # writer ids from here on are for evaluation only


def _arc(cx: float, cy: float, rx: float, ry: float, start: float, stop: float,
         steps: int = 12) -> list[tuple[float, float]]:
    angles = np.radians(np.linspace(start, stop, steps))
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in angles]


# Strokes per shape, per digit; angles in degrees, y grows downwards.
SHAPES: dict[str, list[list[list[tuple[float, float]]]]] = {
    "0": [[_arc(0.5, 0.5, 0.32, 0.45, -90, 270, 20)],
          [_arc(0.5, 0.5, 0.27, 0.46, -100, 255, 20)]],
    "1": [[[(0.55, 0.04), (0.52, 0.96)]],
          [[(0.3, 0.25), (0.56, 0.04), (0.54, 0.96)]],
          [[(0.32, 0.22), (0.55, 0.04), (0.55, 0.96)], [(0.32, 0.96), (0.78, 0.96)]]],
    "2": [[_arc(0.5, 0.3, 0.3, 0.25, 200, 360, 10) + [(0.78, 0.38), (0.18, 0.95), (0.86, 0.95)]],
          [_arc(0.5, 0.28, 0.28, 0.23, 190, 380, 10) + [(0.2, 0.94), (0.85, 0.92)]]],
    "3": [[_arc(0.48, 0.28, 0.3, 0.23, 200, 450, 12) + _arc(0.48, 0.72, 0.33, 0.24, 270, 520, 12)],
          [[(0.2, 0.06), (0.8, 0.06), (0.45, 0.45)] + _arc(0.48, 0.7, 0.32, 0.26, 280, 520, 12)]],
    "4": [[[(0.68, 0.96), (0.68, 0.04), (0.12, 0.66), (0.9, 0.66)]],
          [[(0.22, 0.04), (0.16, 0.6), (0.88, 0.6)], [(0.66, 0.3), (0.66, 0.96)]]],
    "5": [[[(0.8, 0.05), (0.28, 0.05), (0.24, 0.44)] + _arc(0.48, 0.68, 0.32, 0.27, 240, 510, 12)],
          [[(0.28, 0.05), (0.24, 0.45)] + _arc(0.5, 0.68, 0.3, 0.26, 240, 500, 12),
           [(0.28, 0.05), (0.8, 0.07)]]],
    "6": [[[(0.72, 0.05), (0.4, 0.3), (0.22, 0.62)] + _arc(0.5, 0.7, 0.28, 0.25, 180, 540, 16)],
          [_arc(0.7, 0.55, 0.5, 0.5, 235, 180, 6) + _arc(0.48, 0.72, 0.28, 0.23, 180, 540, 16)]],
    "7": [[[(0.14, 0.06), (0.86, 0.06), (0.4, 0.96)]],
          [[(0.14, 0.06), (0.86, 0.06), (0.42, 0.96)], [(0.32, 0.5), (0.76, 0.5)]]],
    "8": [[_arc(0.5, 0.27, 0.24, 0.22, 90, 450, 16) + _arc(0.5, 0.72, 0.3, 0.24, -90, 270, 16)],
          [_arc(0.5, 0.28, 0.26, 0.23, 120, 480, 16) + _arc(0.5, 0.71, 0.28, 0.25, -60, 300, 16)]],
    "9": [[_arc(0.5, 0.3, 0.28, 0.25, 0, 360, 16) + [(0.78, 0.3), (0.7, 0.96)]],
          [_arc(0.48, 0.3, 0.27, 0.24, 20, 380, 16) + [(0.75, 0.32), (0.52, 0.96)]]],
    "X": [[[(0.15, 0.15), (0.85, 0.85)], [(0.85, 0.15), (0.15, 0.85)]]],
    "-": [[[(0.2, 0.52), (0.8, 0.5)]]],
}


@dataclass(frozen=True)
class Writer:
    writer_id: int
    slant: float  # shear
    width: float  # stroke width, share of the box
    size: float  # share of the box the digit fills
    aspect: float
    ink: int  # grey level of the pen
    shake: float
    shapes: tuple[int, ...]  # which shape of each digit

    @classmethod
    def of(cls, writer_id: int) -> Writer:
        rng = np.random.default_rng(1_000_003 + writer_id)
        shapes = tuple(int(rng.integers(len(SHAPES[str(d)]))) for d in range(10))
        return cls(writer_id, slant=float(rng.uniform(-0.25, 0.3)),
                   width=float(rng.uniform(0.06, 0.13)), size=float(rng.uniform(0.55, 0.85)),
                   aspect=float(rng.uniform(0.6, 0.95)), ink=int(rng.integers(10, 90)),
                   shake=float(rng.uniform(0.005, 0.035)), shapes=shapes)


def write_glyph(draw: ImageDraw.ImageDraw, glyph: str, box: tuple[float, float, float, float],
                writer: Writer, rng: np.random.Generator) -> None:
    """Write one digit (or X or dash) into a box given in pixels, as this writer does."""
    x, y, w, h = box
    shape = SHAPES[glyph][writer.shapes[int(glyph)] if glyph.isdigit() else 0]
    size = writer.size * rng.uniform(0.9, 1.08)
    gh = h * size
    gw = gh * writer.aspect * 0.75
    cx = x + w / 2 + rng.normal(0, 0.06) * w
    cy = y + h / 2 + rng.normal(0, 0.05) * h
    angle = rng.normal(0, 0.05)
    cos, sin = np.cos(angle), np.sin(angle)
    width = max(1, round(writer.width * h * rng.uniform(0.85, 1.15)))
    for stroke in shape:
        points = np.array(stroke, dtype=float)
        points += rng.normal(0, writer.shake, points.shape)
        u = (points[:, 0] - 0.5) * gw
        v = (points[:, 1] - 0.5) * gh
        u = u - writer.slant * v
        px = cx + cos * u - sin * v
        py = cy + sin * u + cos * v
        draw.line(list(zip(px.tolist(), py.tolist(), strict=True)), fill=writer.ink,
                  width=width, joint="curve")


def fill_bubble(draw: ImageDraw.ImageDraw, centre: tuple[float, float], radius: float,
                ink: int, share: float, rng: np.random.Generator) -> None:
    """Blacken a bubble as a pen does: scribbled lines covering `share` of it."""
    cx, cy = centre
    if share >= 0.95:
        r = radius * rng.uniform(0.85, 1.05)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=ink)
        return
    lines = max(2, round(10 * share))
    for k in range(lines):
        t = -1 + 2 * (k + 0.5) / lines * share
        half = radius * np.sqrt(max(0.0, 1 - t * t)) * 0.9
        yy = cy + t * radius
        draw.line([(cx - half, yy + rng.normal(0, 0.5)), (cx + half, yy + rng.normal(0, 0.5))],
                  fill=ink, width=max(1, round(radius * 0.35)))
