"""Read a column of OMR bubbles (0-9 under one digit box): how much of each bubble is
blackened, beyond what is printed in it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .register import warp_region

FILLED = 0.45  # share of the bubble's inside that is ink, beyond the printed digit
EMPTY = 0.2


@dataclass
class BubbleColumn:
    digit: int | None  # the blackened bubble; None when none is (or several are)
    confidence: float
    fills: list[float]
    blank: bool  # no bubble blackened at all


def read_column(gray: np.ndarray, matrix: np.ndarray, centres, radius: float) -> BubbleColumn:
    fills = []
    size = 16
    yy, xx = np.mgrid[0:size, 0:size]
    disk = ((xx - size / 2 + 0.5) ** 2 + (yy - size / 2 + 0.5) ** 2) <= (size * 0.3) ** 2
    crops = []
    for cx, cy in centres:
        crops.append(warp_region(gray, matrix, cx - radius, cy - radius, 2 * radius,
                                 2 * radius, size, size).astype(np.float32))
    paper = max(float(np.percentile(np.stack(crops), 90)), 1.0)
    for crop in crops:
        ink = np.clip((paper - crop) / (0.75 * paper), 0, 1)
        fills.append(float(ink[disk].mean()))
    base = float(np.median(fills))  # the printed digit and ring, as in an empty bubble
    excess = [max(0.0, f - base) / max(1e-6, 1 - base) for f in fills]
    order = np.argsort(excess)[::-1]
    first, second = excess[order[0]], excess[order[1]]
    if first < EMPTY:
        return BubbleColumn(None, float(1 - first / EMPTY), excess, True)
    if first >= FILLED and second < EMPTY:
        confidence = float(min(1.0, (first - second) / 0.5))
        return BubbleColumn(int(order[0]), confidence, excess, False)
    return BubbleColumn(None, 0.0, excess, False)  # partial, or two bubbles blackened
