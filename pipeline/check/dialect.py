"""How a CSV file is read, decided exactly as frictionless-py decides it.

Encoding: chardet on the first 100,000 bytes (utf-8 when unsure). Delimiter and leading-space
rule: Python's csv.Sniffer on the first 100 lines. Header: the first of the first 100 records
whose width is near their average width (rows above it are skipped). Rows are numbered by
CSV record, the header included.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass
from pathlib import Path

BUFFER_SIZE = 100_000
SAMPLE_SIZE = 100
ENCODING_CONFIDENCE = 0.5
HEAD_CHUNK = 1 << 20


@dataclass
class Dialect:
    encoding: str
    delimiter: str
    skip_initial_space: bool
    header_row: int  # 1-based record number of the header; 0 when there is none
    labels: list[str]  # stripped; [] when the header record is blank or absent
    lines_before_data: int  # physical lines up to and including the header record
    newline_translation: bool  # .tsv files are read with universal newlines
    empty: bool = False


def detect_encoding(buffer: bytes) -> str:
    import chardet

    detector = chardet.UniversalDetector()
    for line in buffer.splitlines():
        detector.feed(line)
    detector.close()
    encoding = detector.result["encoding"] or "utf-8"
    confidence = detector.result["confidence"] or 0
    if confidence < ENCODING_CONFIDENCE:
        detected, encoding = encoding, "utf-8"
        try:
            buffer.decode(encoding)
        except UnicodeDecodeError:
            encoding = detected
    if encoding == "ascii":
        encoding = "utf-8"
    encoding = codecs.lookup(encoding).name
    if encoding == "utf-8" and buffer.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif (encoding, buffer[:2]) in (("utf-16-be", codecs.BOM_UTF16_BE),
                                    ("utf-16-le", codecs.BOM_UTF16_LE)):
        encoding = "utf-16"
    return encoding


def undecodable(path: Path, encoding: str) -> tuple[str, str] | None:
    """Where frictionless-py stops reading: it decodes 8,192-byte chunks and fails on the
    first bad one. Returns (the text it still reads: whole lines only, the error), or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as handle:
        try:
            for chunk in iter(lambda: handle.read(1 << 24), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return None
        except UnicodeDecodeError:
            pass
    decoder = codecs.getincrementaldecoder(encoding)()
    parts = []
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(8192), b""):
            try:
                parts.append(decoder.decode(chunk))
            except UnicodeDecodeError as exc:
                text = "".join(parts)
                # A line is read whole or not at all; a final CR waits for a possible LF.
                cut = max(text.rfind("\n"), text.rfind("\r", 0, len(text) - 1))
                return text[:cut + 1], str(exc)
    return None


def _head_lines(path: Path, encoding: str, newline: str | None, need: int) -> tuple[list[str],
                                                                                    bool]:
    """The first `need` lines (or all when the file is shorter) and whether EOF was reached."""
    with open(path, encoding=encoding, newline=newline, errors="strict") as handle:
        lines = []
        for line in handle:
            lines.append(line)
            if len(lines) >= need:
                return lines, False
    return lines, True


def sniff(sample: list[str], delimiters: str) -> tuple[str, bool, str]:
    try:
        config = csv.Sniffer().sniff("".join(sample), delimiters)
    except csv.Error:
        config = csv.excel()
    quotechar = '"' if config.quotechar == "'" else config.quotechar
    return config.delimiter, bool(config.skipinitialspace), quotechar


def reader_for(lines, delimiter: str, skip_initial_space: bool):
    return csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True,
                      escapechar=None, skipinitialspace=skip_initial_space,
                      quoting=csv.QUOTE_MINIMAL, strict=False)


def detect(path: Path, delimiter: str | None = None, header: bool | None = None,
           encoding: str | None = None) -> Dialect:
    """Detect the dialect and header of a CSV file; a declared value overrides detection."""
    path = Path(path)
    with open(path, "rb") as handle:
        buffer = handle.read(BUFFER_SIZE)
    encoding = encoding or detect_encoding(buffer)
    tsv = path.suffix.lower() == ".tsv"
    newline = None if tsv else ""
    csv.field_size_limit(2147483646)
    lines, eof = _head_lines(path, encoding, newline, SAMPLE_SIZE)
    if delimiter is None:
        found, skip_space, _ = sniff(lines[:SAMPLE_SIZE], "\t" if tsv else ",\t;|")
        delimiter = found
    else:
        _, skip_space, _ = sniff(lines[:SAMPLE_SIZE], delimiter)
    # The first 100 records, counting the lines each one takes.
    need = SAMPLE_SIZE * 4
    while True:
        more, eof = _head_lines(path, encoding, newline, need)
        records, ends = [], []
        counter = _Counted(more)
        for cells in reader_for(counter, delimiter, skip_space):
            records.append(cells)
            ends.append(counter.count)
            if len(records) >= SAMPLE_SIZE:
                break
        if len(records) >= SAMPLE_SIZE or eof:
            break
        need *= 4
    if not records:
        return Dialect(encoding, delimiter, skip_space, 0, [], 0, tsv, empty=True)
    header_row = 1
    if header is None:
        widths = [len(cells) for cells in records]
        width = round(sum(widths) / len(widths))
        drift = max(round(width * 0.1), 1)
        for number, cells in enumerate(records, start=1):
            if width - drift <= len(cells) <= width + drift:
                header_row = number
                break
    elif header is False:
        header_row = 0
    labels = [c.strip() for c in records[header_row - 1]] if header_row else []
    lines_before = ends[header_row - 1] if header_row else 0
    return Dialect(encoding, delimiter, skip_space, header_row, labels, lines_before, tsv)


class _Counted:
    """An iterator over lines that counts how many the csv reader has taken."""

    def __init__(self, lines: list[str]):
        self.lines = iter(lines)
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.count += 1
        return line


def text_records(path: Path, dialect: Dialect):
    """Every record after the header, exactly as frictionless-py's csv.reader yields them."""
    newline = None if dialect.newline_translation else ""
    handle = open(path, encoding=dialect.encoding, newline=newline)  # noqa: SIM115
    try:
        lines = iter(handle)
        for _ in range(dialect.lines_before_data):
            next(lines, None)
        yield from reader_for(lines, dialect.delimiter, dialect.skip_initial_space)
    finally:
        handle.close()

