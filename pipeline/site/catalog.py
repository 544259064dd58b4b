"""Keep the translation catalog in step with the templates (`python -m pipeline.site.catalog`).

Extracts every `_("...")` of site_templates/*.html with Babel and Jinja2's extractor, keeps the
translations already in locale/en/LC_MESSAGES/messages.po and lists the missing ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..paths import templates_dir

PO = Path("locale") / "en" / "LC_MESSAGES" / "messages.po"


def template_messages(base: Path | None = None) -> list[str]:
    from babel.messages.extract import extract_from_dir, extract_from_file

    base = base or templates_dir()
    found = []
    messages = [m for _, _, m, _, _ in extract_from_dir(
        str(base), method_map=[("*.html", "jinja2.ext:babel_extract")],
        options_map={"*.html": {"extensions": "jinja2.ext.i18n"}})]
    # TPS sections are built in Python (render.py); their words are marked with N_().
    messages += [m for _, m, _, _ in extract_from_file(
        "python", str(Path(__file__).with_name("render.py")), keywords={"N_": None})]
    for message in messages:
        text = message if isinstance(message, str) else message[0]
        if text not in found:
            found.append(text)
    return found


def update_catalog(base: Path | None = None) -> list[str]:
    """Rewrite messages.po with every template message; returns those without English."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    base = base or templates_dir()
    path = base / PO
    old = {}
    if path.is_file():
        with path.open("rb") as handle:
            old = {m.id: m.string for m in read_po(handle) if m.id}
    catalog = Catalog(locale="en", project="c1", fuzzy=False)
    missing = []
    for message in template_messages(base):
        catalog.add(message, old.get(message, ""))
        if not old.get(message):
            missing.append(message)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=False, width=100)
    return missing


if __name__ == "__main__":
    gaps = update_catalog()
    for text in gaps:
        print(f"untranslated: {text}")
    sys.exit(1 if gaps else 0)
