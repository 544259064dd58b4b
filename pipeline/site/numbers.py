"""Numbers as readers expect them: 73.437 and 42,30 % in Indonesian; 73,437 and 42.30% in
English. Written by hand (no locale lookups): a national site formats millions of them."""

from __future__ import annotations

_SMALL = {lang: [f"{i:,}".replace(",", "." if lang == "id" else ",") for i in range(10_000)]
          for lang in ("id", "en")}


def number(value, lang: str) -> str:
    if value is None or value != value:  # None or NaN: missing, never zero
        return "–"
    whole = int(value)
    if 0 <= whole < 10_000:  # every number on a form, most area counts: a lookup
        return _SMALL[lang][whole]
    text = f"{whole:,}"
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
