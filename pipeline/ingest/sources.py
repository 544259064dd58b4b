"""Find the input files of an election folder and open zip archives safely.

Inputs come from thousands of TPS and from the public: archive members with `..` or absolute
paths, zip bombs and nested archives are refused with a report entry, never extracted.
Nothing is written to disk; the raw folder is only read.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..hashing import sha256_bytes
from ..issues import Issue

MAX_ARCHIVE_MEMBERS = 200_000
MAX_EXPANSION_RATIO = 100
RATIO_CHECK_ABOVE = 1_000_000  # small members may compress very well; only big ones are bombs
IGNORED_NAMES = {"readme", "readme.md", "readme.txt", "license", "licence"}


@dataclass
class Source:
    """One file to read (or one member of an archive), with its bytes and where it came from."""

    file: str  # path inside the raw folder, posix
    member: str  # path inside the archive, or ""
    data: bytes
    sha256: str

    @property
    def name(self) -> str:
        return PurePosixPath(self.member or self.file).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.name).suffix.lower()


@dataclass
class SourceEntry:
    """A row of the sources table: every file and member seen, read or not."""

    file: str
    member: str
    sha256: str
    bytes: int
    format: str
    status: str  # read | rejected | skipped
    kiriman: int = 0
    pesan: str = ""
    message: str = ""


def input_files(raw_dir: Path, exclude: set[Path]) -> list[Path]:
    """Every file under raw_dir that may hold C1 data, sorted (hidden files and READMEs out)."""
    raw_dir = Path(raw_dir)
    excluded = {p.resolve() for p in exclude}
    out = []
    for path in raw_dir.rglob("*"):
        rel = path.relative_to(raw_dir)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if not path.is_file() or path.resolve() in excluded:
            continue
        if path.name.lower() in IGNORED_NAMES:
            continue
        out.append(path)
    return sorted(out, key=lambda p: p.relative_to(raw_dir).as_posix())


def unsafe_member_name(name: str) -> str | None:
    """Why an archive member name is refused, or None when it is safe."""
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if ".." in parts:
        return "'..' in path"
    if ":" in name:
        return "drive or stream name"
    if any(ord(ch) < 32 for ch in name):
        return "control character in name"
    return None


def open_archive(file: str, data: bytes, max_member_bytes: int,
                 issues: list[Issue], entries: list[SourceEntry]) -> Iterator[Source]:
    """Yield the safe members of a zip archive; report every member refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveError(f"arsip zip rusak: {exc}", f"corrupt zip archive: {exc}") from None
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise ArchiveError(f"arsip berisi {len(infos)} anggota, batas {MAX_ARCHIVE_MEMBERS}",
                           f"archive has {len(infos)} members, limit {MAX_ARCHIVE_MEMBERS}")
    budget = max_member_bytes * 4
    for info in sorted(infos, key=lambda i: i.filename):
        name = info.filename
        if info.is_dir():
            continue

        def refuse(pesan: str, message: str, name: str = name, info: zipfile.ZipInfo = info):
            issues.append(Issue(file=file, member=name, severity="rejected", rule="archive-member",
                                message=f"anggota arsip ditolak: {pesan}",
                                message_en=f"archive member refused: {message}"))
            entries.append(SourceEntry(file, name, "", info.file_size, "unknown", "rejected",
                                       0, pesan, message))

        reason = unsafe_member_name(name)
        if reason:
            refuse(f"nama tidak aman ({reason})", f"unsafe name ({reason})")
            continue
        if PurePosixPath(name).name.startswith(".") or name.startswith("__MACOSX/"):
            entries.append(SourceEntry(file, name, "", info.file_size, "unknown", "skipped", 0,
                                       "berkas tersembunyi/metadata, dilewati",
                                       "hidden or metadata file, skipped"))
            continue
        if info.flag_bits & 0x1:
            refuse("terenkripsi", "encrypted")
            continue
        if info.file_size > max_member_bytes:
            refuse(f"ukuran {info.file_size} byte melebihi batas {max_member_bytes}",
                   f"size {info.file_size} bytes exceeds the limit {max_member_bytes}")
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECK_ABOVE and ratio > MAX_EXPANSION_RATIO:
            refuse(f"rasio ekspansi {ratio:.0f}:1 mencurigakan (zip bomb)",
                   f"expansion ratio {ratio:.0f}:1 looks like a zip bomb")
            continue
        if info.file_size > budget:
            refuse("arsip melebihi batas total ukuran", "archive exceeds the total size budget")
            continue
        try:
            with archive.open(info) as handle:
                content = handle.read(max_member_bytes + 1)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
                NotImplementedError, RuntimeError) as exc:
            refuse(f"tidak dapat dibaca: {exc}", f"cannot be read: {exc}")
            continue
        if len(content) > max_member_bytes:
            refuse("ukuran sebenarnya melebihi batas", "actual size exceeds the limit")
            continue
        budget -= len(content)
        yield Source(file=file, member=name, data=content, sha256=sha256_bytes(content))


class ArchiveError(Exception):
    def __init__(self, pesan: str, message: str):
        super().__init__(message)
        self.pesan = pesan
        self.message = message
