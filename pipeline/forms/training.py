"""Train the digit recogniser at build time, from data that ships with the code: synthetic
writers (ids below handwriting.EVAL_WRITERS only) and scikit-learn's bundled handwritten
digits. Deterministic: the same code gives the same model.
"""

from __future__ import annotations

import sys
import warnings

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .digits import CLASSES, DigitModel, box_crop, features
from .draw import draw_box
from .handwriting import EVAL_WRITERS, Writer, write_glyph

TRAIN_WRITERS = 300
SAMPLES = 32_000


def _patch(rng: np.random.Generator, glyph: str, writer: Writer | None,
           real: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """One box on a small canvas, written, degraded; with the (slightly wrong, as a real
    registration is) homography from template pt to the patch."""
    box_pt = 26.0
    scale = float(rng.uniform(1.0, 2.6))
    size = round(box_pt * 2 * scale)
    canvas = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(canvas)
    box = (box_pt / 2, box_pt / 2, box_pt, box_pt)
    guide = str(rng.choice(["dots", "dots", "solid", "none"]))  # PPWP page 1 has no guide
    draw_box(draw, box, scale, guide=guide)
    x, y = box[0] * scale, box[1] * scale
    w = box_pt * scale
    if real is not None:  # a digit from the bundled scans (8 x 8, 0-16 ink)
        side = round(w * rng.uniform(0.55, 0.8))
        ink = cv2.resize((real / 16.0).astype(np.float32), (side, side),
                         interpolation=cv2.INTER_CUBIC)
        ox = round(x + (w - side) / 2 + rng.normal(0, 0.05 * w))
        oy = round(y + (w - side) / 2 + rng.normal(0, 0.05 * w))
        page = np.asarray(canvas, dtype=np.float32)
        region = page[oy:oy + side, ox:ox + side]
        pen = float(rng.uniform(10, 90))
        page[oy:oy + side, ox:ox + side] = np.minimum(
            region, 255 - np.clip(ink, 0, 1)[:region.shape[0], :region.shape[1]] * (255 - pen))
        canvas = Image.fromarray(page.astype(np.uint8))
    elif glyph != "blank":
        write_glyph(draw, glyph, (x, y, w, w), writer, rng)
    page = np.asarray(canvas, dtype=np.float32)
    page = page * rng.uniform(0.55, 1.0) + rng.uniform(-10, 10)
    page = cv2.GaussianBlur(page, (0, 0), rng.uniform(0.3, 1.4))
    page = np.clip(page + rng.normal(0, rng.uniform(1, 5), page.shape), 0, 255).astype(np.uint8)
    if rng.random() < 0.7:
        ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(45, 95))])
        page = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    jitter = rng.normal(0, 0.03 * box_pt, (4, 2)).astype(np.float32)
    src = np.float32([[0, 0], [box_pt * 2, 0], [0, box_pt * 2], [box_pt * 2, box_pt * 2]])
    matrix = cv2.getPerspectiveTransform(src, (src + jitter) * scale)
    return page, box_crop(page, matrix, box)


def training_set(samples: int = SAMPLES, seed: int = 20240214) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    rng = np.random.default_rng(seed)
    bundled = load_digits()
    weights = np.array([1.0] * 10 + [1.6, 0.9, 0.9])  # X and dash: leading positions
    weights /= weights.sum()
    feats, labels = [], []
    for i in range(samples):
        label = int(rng.choice(len(CLASSES), p=weights))
        glyph = CLASSES[label]
        real = None
        if glyph.isdigit() and rng.random() < 0.15:
            choices = np.flatnonzero(bundled.target == int(glyph))
            real = bundled.images[int(rng.choice(choices))]
        writer = Writer.of(int(rng.integers(0, TRAIN_WRITERS)))
        assert writer.writer_id < EVAL_WRITERS
        _, crop = _patch(rng, glyph, writer, real)
        feats.append(features(crop))
        labels.append(label)
        if i % 5000 == 4999:
            print(f"  training the digit recogniser: {i + 1:,}/{samples:,} samples",
                  file=sys.stderr)
    return np.stack(feats), np.array(labels)


def train_model(samples: int = SAMPLES) -> DigitModel:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    print("Training the digit recogniser (once; the model is kept in build/models)",
          file=sys.stderr)
    x, y = training_set(samples)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-3
    net = MLPClassifier(hidden_layer_sizes=(200,), alpha=1e-3, max_iter=60,
                        random_state=0, early_stopping=False)
    with warnings.catch_warnings():  # a fixed number of epochs is the point: deterministic
        warnings.simplefilter("ignore", ConvergenceWarning)
        net.fit((x - mean) / scale, y)
    weights = [w.astype(np.float32) for w in net.coefs_]
    biases = [b.astype(np.float32) for b in net.intercepts_]
    # Classes the data never showed would shift the columns: keep them aligned.
    full_w = np.zeros((weights[-1].shape[0], len(CLASSES)), dtype=np.float32)
    full_b = np.full(len(CLASSES), -1e4, dtype=np.float32)
    full_w[:, net.classes_] = weights[-1]
    full_b[net.classes_] = biases[-1]
    weights[-1], biases[-1] = full_w, full_b
    return DigitModel(weights, biases, mean.astype(np.float32), scale.astype(np.float32))
