"""Form readings in words, for the terminal and the review queue."""

from __future__ import annotations

from .read import FormRead


def form_summary_lines(form: FormRead) -> list[str]:
    kode = form.kode_tps or "(tanpa kode TPS)"
    name = form.template.name if form.template else "formulir tidak dikenali"
    total = len(form.fields)
    waiting = [f for f in form.fields.values() if not f.accepted]
    if form.accepted:
        head = f"{kode} ({name}): DITERIMA, {total} angka terverifikasi"
    else:
        head = (f"{kode} ({name}): PERLU DIPERIKSA, {len(waiting)} dari {total} angka "
                "belum terverifikasi")
    lines = [head]
    lines.extend(f"  ! {reason}" for reason in form.review_reasons
                 if not reason.endswith("angka perlu diperiksa"))
    for f in form.fields.values():
        bubbles = "" if f.bubbles is None else f" bulatan={_text(f.bubbles.value)}"
        mark = "ok" if f.accepted else "??"
        how = "teks" if f.source == "text" else "angka"
        line = (f"  {mark} {f.name:<30} {_text(f.value):>4}  {how}={_text(f.digits.value)}"
                f"{bubbles}")
        if f.reasons:
            line += f"  ({'; '.join(f.reasons)})"
        lines.append(line)
    return lines


def _text(value: int | None) -> str:
    return "-" if value is None else str(value)
