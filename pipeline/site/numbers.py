"""Numbers as readers expect them: 73.437 and 42,30 % in Indonesian; 73,437 and 42.30% in
English. Written by hand (no locale lookups): a national site formats millions of them."""

from __future__ import annotations


def number(value, lang: str) -> str:
    if value is None or value != value:  # None or NaN: missing, never zero
        return "–"
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "id" else text


def percent(part, whole, lang: str) -> str:
    if not whole:
        return "–"
    text = f"{100 * part / whole:.2f}"
    return f"{text.replace('.', ',')} %" if lang == "id" else f"{text}%"


def filesize(size: int, lang: str) -> str:
    units = ["B", "KB", "MB", "GB"]
    value = float(size)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
            return f"{text.replace('.', ',') if lang == 'id' else text} {unit}"
        value /= 1024
    return str(size)
