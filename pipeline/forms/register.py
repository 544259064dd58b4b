"""Register a page photo or scan to its template: find the four corner marks, fit the
homography from template space (pt) to the image, recognise which page of which form it
is from its layout, and measure how well the boxes land where the template says."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .draw import THUMB_WIDTH, make_thumbnail, stored_thumbnail
from .templates import PageSpec, Template

CORNERS = ("tl", "tr", "bl", "br")
WORK_SIDE = 900  # marks are looked for on a copy this long (px)


@dataclass
class Registration:
    template: Template
    page: PageSpec
    homography: np.ndarray  # template pt -> image px
    layout_score: float  # correlation with the page's blank layout (0-1)
    quality: float  # how well the digit boxes sit where expected (0-1)
    reason: str = ""
    runner_up: float = 0.0  # the best score of any other page


def find_marks(gray: np.ndarray) -> dict[str, tuple[float, float]] | None:
    """The centre of each corner mark in image px, or None when one cannot be found."""
    factor = WORK_SIDE / max(gray.shape)
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    block = (max(small.shape) // 12) | 1
    local = cv2.blur(small.astype(np.float32), (block, block))
    dark = ((small.astype(np.float32) < local - 25) & (small < 140)).astype(np.uint8)
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(dark, connectivity=8)
    side = max(small.shape)
    candidates = []
    for i in range(1, count):
        x, y, w, h, area = stats[i]
        big = max(w, h) / side
        if not (0.006 < big < 0.07) or not (0.55 < w / max(h, 1) < 1.8):
            continue
        if area / float(w * h) < 0.42:
            continue
        # A mark is printed on paper: bright all around it (not the table beside the page).
        m = max(2, max(w, h) // 2)
        y0, y1, x0, x1 = max(0, y - m), min(small.shape[0], y + h + m), max(0, x - m), \
            min(small.shape[1], x + w + m)
        ring = small[y0:y1, x0:x1].astype(np.float32)
        inside = labels[y0:y1, x0:x1] == i
        ink = float(ring[inside].mean())
        around = ring[~dark[y0:y1, x0:x1].astype(bool)]
        touches = x == 0 or y == 0 or x + w == small.shape[1] or y + h == small.shape[0]
        if touches or around.size == 0 or float((around > ink + 45).mean()) < 0.85:
            continue
        candidates.append((float(centroids[i][0]), float(centroids[i][1]), float(area),
                           float(max(w, h))))
    if len(candidates) < 4:
        return None
    height, width = small.shape
    corners = {"tl": (0, 0), "tr": (width, 0), "bl": (0, height), "br": (width, height)}
    found: dict[str, tuple[float, float]] = {}
    for name, (cx, cy) in corners.items():
        best = min(candidates, key=lambda c: (c[0] - cx) ** 2 + (c[1] - cy) ** 2)
        if abs(best[0] - cx) > width * 0.45 or abs(best[1] - cy) > height * 0.45:
            return None
        # An L-shaped mark may fall apart into two squares: take both.
        group = [c for c in candidates
                 if (c[0] - best[0]) ** 2 + (c[1] - best[1]) ** 2 < (1.6 * best[3]) ** 2]
        total = sum(c[2] for c in group)
        found[name] = (sum(c[0] * c[2] for c in group) / total / factor,
                       sum(c[1] * c[2] for c in group) / total / factor)
    return found


def homography(page: PageSpec, marks: dict[str, tuple[float, float]]) -> np.ndarray:
    src = np.float32([page.marks[c] for c in CORNERS])
    dst = np.float32([marks[c] for c in CORNERS])
    return cv2.getPerspectiveTransform(src, dst)


def warp_region(gray: np.ndarray, matrix: np.ndarray, x: float, y: float, w: float,
                h: float, out_w: int, out_h: int) -> np.ndarray:
    """The template-space rectangle (pt) as an out_w x out_h image."""
    to_region = np.array([[out_w / w, 0, -x * out_w / w], [0, out_h / h, -y * out_h / h],
                          [0, 0, 1]], dtype=np.float64)
    return cv2.warpPerspective(gray, matrix @ np.linalg.inv(to_region), (out_w, out_h),
                               flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                               borderMode=cv2.BORDER_REPLICATE)


def _layout(gray: np.ndarray, template: Template, matrix: np.ndarray) -> np.ndarray:
    width, height = template.page_size
    out_w = THUMB_WIDTH * 4
    out_h = round(out_w * height / width)
    return make_thumbnail(warp_region(gray, matrix, 0, 0, width, height, out_w, out_h))


def box_quality(gray: np.ndarray, matrix: np.ndarray, page: PageSpec) -> float:
    """Median over the digit boxes of how dark their printed border is compared with just
    inside and outside it: near 1 when registration is right, near 0 when it is off."""
    scores = []
    for spec in page.fields.values():
        for x, y, w, h in spec.boxes:
            pad = 0.25
            size = 40
            crop = warp_region(gray, matrix, x - pad * w, y - pad * h, w * (1 + 2 * pad),
                               h * (1 + 2 * pad), size, size).astype(np.float32)
            paper = np.percentile(crop, 90) or 1.0
            ink = np.clip(1 - crop / paper, 0, 1)
            lo = round(size * pad / (1 + 2 * pad))
            hi = size - 1 - lo
            border = np.concatenate([ink[lo - 1:lo + 2, lo:hi + 1].ravel(),
                                     ink[hi - 1:hi + 2, lo:hi + 1].ravel(),
                                     ink[lo:hi + 1, lo - 1:lo + 2].ravel(),
                                     ink[lo:hi + 1, hi - 1:hi + 2].ravel()]).mean()
            outside = np.concatenate([ink[:lo - 3].ravel(), ink[hi + 4:].ravel()]).mean()
            scores.append(float(np.clip((border - outside) / 0.35, 0, 1)))
    return float(np.median(scores)) if scores else 0.0


def register(gray: np.ndarray, templates: list[Template]) -> Registration | None:
    """The best (template, page) for this image, with its homography and quality; None
    when no corner marks are found."""
    marks = find_marks(gray)
    if marks is None:
        return None
    best: tuple[float, Template, PageSpec, np.ndarray] | None = None
    scores = []
    for template in templates:
        matrix = homography(template.pages[0], marks)
        layout = _layout(gray, template, matrix)
        for page in template.pages:
            page_matrix = (matrix if page.marks == template.pages[0].marks
                           else homography(page, marks))
            score = float((layout * stored_thumbnail(template.name, page.number)).sum())
            scores.append(score)
            if best is None or score > best[0]:
                best = (score, template, page, page_matrix)
    assert best is not None
    score, template, page, matrix = best
    runner_up = sorted(scores)[-2] if len(scores) > 1 else -1.0
    quality = box_quality(gray, matrix, page)
    reason = ""
    if score < 0.3 or score - runner_up < 0.05:
        reason = f"halaman tidak dikenali dengan yakin (skor tata letak {score:.2f})"
    elif quality < 0.35:
        reason = f"registrasi halaman buruk (kualitas {quality:.2f})"
    return Registration(template, page, matrix, score, quality, reason, runner_up)
