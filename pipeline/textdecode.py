"""Turn the bytes of a text table into text, whatever encoding and delimiter an operator used.

Operators send UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") and Windows-1252
(Excel's "CSV" on Indonesian Windows). We detect rather than guess wrongly: a file that is
none of these is reported, not silently mangled.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    delimiter: str | None
    error: str | None = None
    error_en: str | None = None


def detect_encoding(data: bytes) -> tuple[str | None, str | None]:
    """(encoding, problem): BOMs first, then strict UTF-8, UTF-16 by its zero bytes, then cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    sample = data[:65536]
    if sample and sample.count(0) > len(sample) // 4:
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        if odd_zeros > even_zeros * 4:
            return "utf-16-le", None
        if even_zeros > odd_zeros * 4:
            return "utf-16-be", None
        return None, "binary"
    if 0 in sample:
        return None, "binary"
    try:
        data.decode("utf-8")
        return "utf-8", None
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252", None
    except UnicodeDecodeError:
        return "latin-1", None


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, equally wide, columns."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", -1.0
    for delim in DELIMITERS:
        widths = [len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        if common < 2:
            continue
        score = common * widths.count(common) / len(widths)
        if score > best_score:
            best, best_score = delim, score
    return best


def decode_text(data: bytes) -> DecodedText:
    """Decode a text table; `error` says why it cannot be read as text."""
    if not data.strip():
        return DecodedText("", "", None, "berkas kosong", "file is empty")
    encoding, problem = detect_encoding(data)
    if encoding is None:
        return DecodedText("", "", None, "berkas biner, bukan tabel teks",
                           f"{problem} file, not a text table")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return DecodedText("", encoding, None, f"pengodean {encoding} rusak: {exc}",
                           f"broken {encoding} encoding: {exc}")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        return DecodedText("", encoding, None, "berkas biner, bukan tabel teks",
                           "binary file, not a text table")
    return DecodedText(text, encoding, sniff_delimiter(text))


def to_utf8(data: bytes, encoding: str) -> bytes:
    """UTF-8 bytes without BOM, ready for pyarrow; UTF-8 input passes through uncopied."""
    if encoding == "utf-8":
        return data
    if encoding == "utf-8-sig":
        return data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    text = data.decode(encoding)
    return text.lstrip("\ufeff").encode("utf-8")
