"""Read the handwritten digit in one box: features from the registered crop, and a small
neural network (two layers, numpy inference) trained at build time by
`pipeline/forms/training.py` on synthetic writers and scikit-learn's bundled digits.

Classes: the ten digits, and blank, X and dash (how officials fill leading positions).
The printed dotted guide is in every training crop, so it reads as blank, never as 8.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from ..paths import REPO_DIR
from .register import warp_region

CLASSES = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "blank", "X", "-")
CROP = 32  # px of the box interior
INSET = 0.1  # share of the box left out on each side (its printed border)
FEATURE_VERSION = "v2"


def box_crop(gray: np.ndarray, matrix: np.ndarray, box: tuple[float, float, float, float]
             ) -> np.ndarray:
    """The interior of a digit box, registered, as CROP x CROP px."""
    x, y, w, h = box
    return warp_region(gray, matrix, x + INSET * w, y + INSET * h, w * (1 - 2 * INSET),
                       h * (1 - 2 * INSET), CROP, CROP)


def ink_map(crop: np.ndarray) -> np.ndarray:
    """0 paper .. 1 ink, relative to the paper's own brightness in this crop."""
    crop = crop.astype(np.float32)
    paper = max(float(np.percentile(crop, 85)), 1.0)
    return np.clip((paper - crop) / (0.75 * paper), 0, 1)


def _directions(ink: np.ndarray, cells: int = 4, bins: int = 8) -> np.ndarray:
    """Histograms of stroke direction per cell, weighted by gradient strength (HOG-like)."""
    gx = cv2.Sobel(ink, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(ink, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = np.hypot(gx, gy)
    angle = (np.arctan2(gy, gx) % np.pi) / np.pi * bins
    index = np.minimum(angle.astype(np.int32), bins - 1)
    step = ink.shape[0] // cells
    cell = (np.arange(ink.shape[0]) // step)[:, None] * cells + (np.arange(ink.shape[1])
                                                                 // step)[None, :]
    hist = np.bincount((cell * bins + index).ravel(), weights=magnitude.ravel(),
                       minlength=cells * cells * bins).astype(np.float32)
    return hist / (np.linalg.norm(hist) + 1e-3)


def features(crop: np.ndarray) -> np.ndarray:
    """Ink at 16 x 16 and histograms of stroke directions (HOG), which tell a 1 from a 7
    and a 3 from an 8 better than pixels do."""
    ink = ink_map(crop)
    small = cv2.resize(ink, (16, 16), interpolation=cv2.INTER_AREA)
    hog = _directions(ink)
    strong = float((ink > 0.5).mean())
    return np.concatenate([small.ravel(), hog, [strong, float(ink.mean())]]
                          ).astype(np.float32)


@dataclass
class DigitModel:
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    mean: np.ndarray
    scale: np.ndarray

    def probabilities(self, batch: np.ndarray) -> np.ndarray:
        out = (batch - self.mean) / self.scale
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            out = out @ w + b
            if i < len(self.weights) - 1:
                np.maximum(out, 0, out=out)
        out -= out.max(axis=1, keepdims=True)
        np.exp(out, out=out)
        return out / out.sum(axis=1, keepdims=True)

    def save(self, path: Path) -> None:
        arrays = {"mean": self.mean, "scale": self.scale}
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            arrays[f"w{i}"] = w
            arrays[f"b{i}"] = b
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(scratch, **arrays)
        os.replace(scratch, path)

    @classmethod
    def load(cls, path: Path) -> DigitModel:
        with np.load(path) as data:
            layers = sum(1 for k in data.files if k.startswith("w"))
            return cls([data[f"w{i}"] for i in range(layers)],
                       [data[f"b{i}"] for i in range(layers)], data["mean"], data["scale"])


def model_key() -> str:
    """Changes whenever the training code or the features change (then it is retrained)."""
    digest = hashlib.sha256(FEATURE_VERSION.encode())
    here = Path(__file__).resolve().parent
    for name in ("digits.py", "training.py", "handwriting.py", "draw.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def model_path() -> Path:
    base = Path(os.environ.get("C1_MODEL_DIR", REPO_DIR / "build" / "models"))
    return base / f"digits-{model_key()}.npz"


@lru_cache(maxsize=1)
def digit_model() -> DigitModel:
    """The trained recogniser; trained once (about a minute on 2 cores) when missing."""
    path = model_path()
    if not path.is_file():
        from .training import train_model

        train_model().save(path)
    return DigitModel.load(path)
