"""Translations as gettext catalogs (Babel): templates are written once, in Indonesian; the
English site comes from site_templates/locale/en/LC_MESSAGES/messages.po."""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

LANGUAGES = ("id", "en")


@cache
def translations(templates: Path, lang: str) -> gettext.NullTranslations:
    """The catalog for a language, compiled in memory from its .po file."""
    if lang == "id":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = templates / "locale" / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
