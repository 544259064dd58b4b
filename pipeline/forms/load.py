"""Open form files safely: photos (JPG/PNG), scanned PDFs (rasterised with pypdfium2).
A decompression bomb, a truncated or corrupt image, an encrypted PDF or one with too many
pages gives a clear error for that file, in bounded time and memory, and the run goes on."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from ..fields import tps_code_in_name

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp"}
FORM_SUFFIXES = IMAGE_SUFFIXES | {".pdf"}  # what ingest and read-form read as forms
MAX_PIXELS = 40_000_000  # a phone photo is 12-50 MP; a bomb is far more
MAX_PDF_PAGES = 12
RENDER_LONG_SIDE = 2000  # px of a rasterised PDF page


class FormFileError(ValueError):
    """A file that cannot be read as a form (the message says why)."""


@dataclass
class LoadedPage:
    file: Path
    page: int  # 1-based, within the file
    gray: np.ndarray | None
    error: str = ""
    # A PDF page's text layer: (text, x, y) of each character's centre, in px of `gray`.
    chars: list[tuple[str, float, float]] | None = None


def tps_code_of(path: Path) -> str | None:
    """The TPS a file belongs to: a 13-digit code at the start of its name (as Sirekap names
    photos), else in the name of a folder above it."""
    for name in (path.stem, *(parent.name for parent in path.parents)):
        kode = tps_code_in_name(name)
        if kode is not None and (name == path.stem or kode == name):
            return kode
    return None


def form_files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file()
                              and p.suffix.lower() in FORM_SUFFIXES))
        else:
            out.append(path)
    return out


def _image(source: Path | bytes) -> np.ndarray:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise FormFileError(f"gambar terlalu besar ({width} x {height} px; "
                                        f"batas {MAX_PIXELS:,} px)")
                image.load()
                return np.asarray(image.convert("L"))
    except FormFileError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise FormFileError(f"gambar terlalu besar (bom dekompresi): {error}") from None
    except (OSError, SyntaxError, ValueError) as error:
        raise FormFileError(f"gambar rusak atau terpotong: {error}") from None


def _text_layers(path: Path, data: bytes | None, count: int) -> list[list[dict]]:
    """The characters of each page (pdfplumber), pages closed as we go; [] without text."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data) if data is not None else path) as pdf:
            out = []
            for page in pdf.pages[:count]:
                out.append([{"text": c["text"], "x": (c["x0"] + c["x1"]) / 2,
                             "y": (c["top"] + c["bottom"]) / 2} for c in page.chars])
                page.close()
            return out
    except Exception:  # noqa: BLE001 - a text layer pdfplumber cannot parse: read as a scan
        return [[] for _ in range(count)]


def _pdf_pages(path: Path, data: bytes | None = None) -> Iterator[LoadedPage]:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data if data is not None else str(path))
    except pdfium.PdfiumError as error:
        text = str(error)
        if "password" in text.lower():
            raise FormFileError("PDF terenkripsi (butuh kata sandi)") from None
        raise FormFileError(f"PDF rusak: {text}") from None
    try:
        count = len(document)
        if count > MAX_PDF_PAGES:
            raise FormFileError(f"PDF berisi {count} halaman; satu formulir C1 paling banyak "
                                f"{MAX_PDF_PAGES}")
        texts = _text_layers(path, data, count)
        for index in range(count):
            page = document[index]
            try:
                width, height = page.get_size()
                if width <= 0 or height <= 0:
                    yield LoadedPage(path, index + 1, None, "halaman PDF tanpa ukuran")
                    continue
                scale = RENDER_LONG_SIDE / max(width, height)
                bitmap = page.render(scale=scale, grayscale=True)
                chars = [(c["text"], c["x"] * scale, c["y"] * scale) for c in texts[index]]
                yield LoadedPage(path, index + 1, np.asarray(bitmap.to_pil().convert("L")),
                                 chars=chars or None)
            except pdfium.PdfiumError as error:
                yield LoadedPage(path, index + 1, None, f"halaman PDF rusak: {error}")
            finally:
                page.close()
    finally:
        document.close()


def load_pages(path: Path, data: bytes | None = None) -> list[LoadedPage]:
    """Every page of one file (read from disk, or from `data` already read), or one entry
    with the error that stopped it."""
    try:
        if data is None and not path.is_file():
            raise FormFileError("berkas tidak ada")
        if path.suffix.lower() == ".pdf":
            return list(_pdf_pages(path, data))
        if path.suffix.lower() in IMAGE_SUFFIXES:
            return [LoadedPage(path, 1, _image(data if data is not None else path))]
        raise FormFileError(f"jenis berkas tidak dikenal ({path.suffix or 'tanpa akhiran'}); "
                            "yang dibaca: JPG, PNG, TIFF, WEBP, PDF")
    except FormFileError as error:
        return [LoadedPage(path, 1, None, str(error))]
