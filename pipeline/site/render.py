"""Render the static site: area pages (with each desa's TPS as anchored sections), downloads
and method pages, in Indonesian and English, plus the search index.

Pages are rendered by forked workers from the prepared model. Each page has a fingerprint of
its inputs; a page whose fingerprint did not change since the last render is left alone.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from ..forms.load import FORM_SUFFIXES
from ..paths import templates_dir
from .i18n import LANGUAGES, translations
from .model import COLORS, SiteModel, field_order, level_label, tingkat_of
from .numbers import filesize, number, percent


def N_(message: str) -> str:
    """Marks a message for the catalog (extracted like the templates' _())."""
    return message


TPS_WORDS = {"caption": N_("Angka pada formulir (kiriman yang berlaku)"),
             "line": N_("Baris formulir"), "total": N_("Jumlah"),
             "rules": N_("Pemeriksaan aturan formulir"), "source": N_("Sumber"),
             "scan": N_("pindaian/foto halaman"), "history": N_("Riwayat kiriman"),
             "revisi": N_("revisi"), "none": N_("Belum ada kiriman untuk TPS ini.")}
TEMPLATE_FILES = ("base.html", "macros.html", "area.html", "downloads.html", "method.html")
PARALLEL_FROM = 400  # pages; below this, forking costs more than it saves
SELECTION_ID = {"current": "berlaku", "superseded": "digantikan", "duplicate": "duplikat",
                "konflik": "konflik"}
SELECTION_EN = {"current": "current", "superseded": "superseded", "duplicate": "duplicate",
                "konflik": "in conflict"}
OUTCOME_ID = {"rejected": "ditolak", "incomplete": "belum lengkap"}
OUTCOME_EN = {"rejected": "rejected", "incomplete": "incomplete"}


class TranslatedLoader(jinja2.FileSystemLoader):
    """Templates with every _("...") replaced by its translation when they are loaded:
    the catalog is applied once per template, not tens of times per page. Babel still
    extracts the messages from the templates as written."""

    MESSAGE = re.compile(r"""_\((["'])((?:\\.|(?!\1).)*)\1\)""")

    def __init__(self, base: Path, lang: str):
        super().__init__(str(base))
        self.catalog = translations(base, lang)

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)

        def translate(match: re.Match) -> str:
            text = match.group(2).replace("\\" + match.group(1), match.group(1))
            return json.dumps(self.catalog.gettext(text), ensure_ascii=False)

        return self.MESSAGE.sub(translate, source), filename, uptodate


def environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=TranslatedLoader(templates_dir(), lang),
                             autoescape=True, extensions=["jinja2.ext.i18n"],
                             trim_blocks=False, lstrip_blocks=False)
    # Old-style callables with a memo: templates call _() tens of times per page, and a
    # national site has 180,000 pages. Output is still autoescaped.
    catalog = translations(templates_dir(), lang)
    memo: dict[str, str] = {}

    def gettext(message: str) -> str:
        text = memo.get(message)
        if text is None:
            text = memo[message] = catalog.gettext(message)
        return text

    env.install_gettext_callables(gettext, catalog.ngettext, newstyle=False)
    return env


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


class Renderer:
    """Builds page contexts from the model and renders them (one per process)."""

    def __init__(self, model: SiteModel):
        self.model = model
        self.envs = {lang: environment(lang) for lang in LANGUAGES}
        self.groups, self.singles, _ = field_order(model.nomor_urut)
        # Row labels of the form, escaped once per language: a national site writes
        # millions of table rows, built here as plain strings (numbers need no escaping).
        self.row_labels = {}
        for lang in LANGUAGES:
            pick = 0 if lang == "id" else 1
            groups = [escape(model.labels[f"{g}_j"][pick].replace(" (jumlah)", "")
                             .replace(" (total)", "")) for g in self.groups]
            singles = [escape(model.labels[f][pick]) for f in self.singles]
            self.row_labels[lang] = (groups, singles)
        self.rule_titles = {lang: [escape(r.title if lang == "id" else r.title_en)
                                   for r in model.rules] for lang in LANGUAGES}
        self.verdicts = {"id": {"lulus": "lulus", "gagal": "gagal", "peringatan": "peringatan",
                                "dilewati": "tidak diperiksa",
                                "skipped": "sebagian angka tidak diisi"},
                         "en": {"lulus": "passed", "gagal": "failed", "peringatan": "warning",
                                "dilewati": "not checked", "skipped": "some numbers are missing"}}
        self.value_fields = [name for name in model.labels if name in model.tables["tps"].columns]
        self._cores: dict[int, tuple] = {}
        self.tps_words = {lang: {key: escape(translations(templates_dir(), lang).gettext(text))
                                 for key, text in TPS_WORDS.items()} for lang in LANGUAGES}
        statuses = ("masuk", "bermasalah", "konflik", "belum_masuk")
        self.status_words = {lang: {st: escape(translations(templates_dir(), lang).gettext(
            st.replace("_", " "))) for st in statuses} for lang in LANGUAGES}

    # -------------------------------------------------------------- paths

    @staticmethod
    def page_path(kind: str, key: str, lang: str) -> str:
        return page_path(kind, key, lang)

    def _roots(self, path: str, lang: str) -> tuple[str, str]:
        depth = path.count("/")
        root = "../" * depth
        here = root if lang == "id" else "../" * (depth - 1)
        return root, here

    def _common(self, path: str, lang: str, other_path: str) -> dict[str, Any]:
        root, here = self._roots(path, lang)
        other = "en" if lang == "id" else "id"
        e = self.model.election
        return {"lang": lang, "root": root, "here_root": here, "home": f"{here}index.html",
                "other_lang": other, "other_lang_label": "English" if other == "en" else
                "Bahasa Indonesia", "other_lang_url": root + other_path,
                "election_name": e.name, "licence": e.licence, "release_time": e.release_time}

    # -------------------------------------------------------------- pages

    def render(self, kind: str, key: str, lang: str) -> tuple[str, str]:
        path = self.page_path(kind, key, lang)
        other = self.page_path(kind, key, "en" if lang == "id" else "id")
        context = self._common(path, lang, other)
        if kind in ("index", "area"):
            level = self.model.levels[0] if kind == "index" else self.model.level_of(key)
            kode = str(self.model.tables[level].columns["kode"][0]) if kind == "index" else key
            context.update(self.area_context(level, kode, lang, context["here_root"],
                                             context["root"]))
            html = self.envs[lang].get_template("area.html").render(context)
        elif kind == "unduh":
            context.update(self.downloads_context(lang, context["root"]))
            html = self.envs[lang].get_template("downloads.html").render(context)
        else:
            context.update(self.method_context(lang))
            html = self.envs[lang].get_template("method.html").render(context)
        return path, html

    def area_context(self, level: str, kode: str, lang: str, here: str,
                     root: str = "") -> dict[str, Any]:
        m = self.model
        table = m.tables[level]
        row = table.position[kode]
        col = table.columns
        n = lambda value: number(value, lang)  # noqa: E731
        sah = col["suara_sah"][row]
        candidates = m.election.candidates
        top = max(1.0, max(col[f"suara_paslon_{c.nomor_urut}"][row] for c in candidates))
        bars = []
        for i, c in enumerate(candidates):
            votes = col[f"suara_paslon_{c.nomor_urut}"][row]
            bars.append({"nomor": c.nomor_urut, "nama": c.nama,
                         "short": c.nama if len(c.nama) <= 48 else c.nama[:46] + "…",
                         "votes": n(votes), "share": percent(votes, sah, lang),
                         "width": round(230 * votes / top, 1), "color": COLORS[i % len(COLORS)]})
        total = int(col["tps_total"][row])
        masuk = int(col["tps_masuk"][row])
        coverage = {"total": n(total), "masuk": n(masuk),
                    "bermasalah": n(col["tps_bermasalah"][row]),
                    "konflik": n(col["tps_konflik"][row]),
                    "belum_masuk": n(col["tps_belum_masuk"][row]),
                    "share": percent(masuk, total, lang), "complete": masuk == total}
        admin = {"dpt": n(col["pemilih_dpt_j"][row]), "pengguna": n(col["pengguna_total_j"][row]),
                 "sah": n(sah), "tidak_sah": n(col["suara_tidak_sah"][row]),
                 "total": n(col["suara_total"][row])}
        trail = []
        chain = m.trail(level, kode)
        for depth, (lv, code, nama) in enumerate(chain):
            url = None if code == kode else (f"{here}index.html" if depth == 0
                                             else f"{here}wilayah/{code}.html")
            trail.append({"nama": f"{level_label(lv, lang)} {nama}", "url": url})
        child_level = m.child_level(level)
        rows = m.children.get(child_level, {}).get(kode, [])
        ctab = m.tables[child_level].columns
        is_tps = child_level == "tps"
        status_words = self.status_words[lang]
        vote_columns = [ctab[f"suara_paslon_{c.nomor_urut}"] for c in candidates]
        cells = []  # one row per child area or TPS, built as text: they are many
        for r in rows:
            code = str(ctab["kode"][r])
            name = escape(str(ctab["nama"][r]))
            if is_tps:
                status = str(ctab["status"][r])
                head = (f'<a href="#tps-{code}">{name}</a> <span class="st {status}">'
                        f"{status_words[status]}</span>")
                counts = (int(status == "masuk"), 1, int(status == "bermasalah"),
                          int(status == "konflik"), int(status == "belum_masuk"))
            else:
                head = f'<a href="{here}wilayah/{code}.html">{name}</a>'
                counts = (ctab["tps_masuk"][r], ctab["tps_total"][r], ctab["tps_bermasalah"][r],
                          ctab["tps_konflik"][r], ctab["tps_belum_masuk"][r])
            # Every <td> of these tables is a number (right-aligned by the stylesheet).
            votes = "".join(f"<td>{n(v[r])}</td>" for v in vote_columns)
            cells.append(f'<tr><th scope="row">{head}</th>{votes}<td>'
                         f'{n(ctab["suara_sah"][r])}</td><td>{n(counts[0])}/'
                         f"{n(counts[1])}</td><td>{n(counts[2])}</td><td>"
                         f"{n(counts[3])}</td><td>{n(counts[4])}</td></tr>")
        children = Markup("".join(cells))
        context = {"status_words": self.status_words[lang],
                   "area": {"kode": kode, "nama": str(col["nama"][row]),
                            "level_label": level_label(level, lang)},
                   "coverage": coverage, "bars": bars, "admin": admin, "trail": trail,
                   "children": children, "child_label": level_label(child_level, lang)}
        if child_level == "tps":
            context["tps_sections"] = Markup("".join(self.tps_section(r, lang, root)
                                                     for r in rows))
        return context

    def tps_section(self, row: int, lang: str, root: str = "") -> str:
        """One TPS as an <article> (anchored #tps-<kode>). Built as text, not by Jinja: a
        national site has 820,000 of them; every text in it is escaped here."""
        t = self.tps_context(row, lang, root)
        words = self.tps_words[lang]
        kode = t["kode"]
        parts = [f'<article class="tps" id="tps-{kode}" aria-labelledby="judul-{kode}">'
                 f'<h3 id="judul-{kode}">{escape(t["nama"])} <span class="code">{kode}</span> '
                 f'<span class="st {t["status"]}">{self.status_words[lang][t["status"]]}</span>'
                 f'</h3><p class="status-text">{escape(t["status_text"])}</p>']
        if t["has_form"]:
            parts.append(f'<table class="form-numbers"><caption>{words["caption"]}</caption>'
                         f'<thead><tr><th scope="col">{words["line"]}</th><th scope="col" '
                         f'class="n">L</th><th scope="col" class="n">P</th><th scope="col" '
                         f'class="n">{words["total"]}</th></tr></thead><tbody>'
                         f'{t["numbers_html"]}</tbody></table><h4>{words["rules"]}</h4>'
                         f'<ul class="rules">{t["rules_html"]}</ul>')
        if t["sources"]:
            items = []
            for src in t["sources"]:
                part = f' ({escape(src["part"])})' if src["part"] else ""
                images = "".join(f' · <a href="{escape(img["url"])}" rel="nofollow noopener">'
                                 f'{words["scan"]} {img["page"]}</a>' for img in src["images"])
                items.append(f'<li>{escape(src["file"])}{part} · SHA-256 '
                             f'<code>{escape(src["sha256"])}</code>{images}</li>')
            parts.append(f'<h4>{words["source"]}</h4><ul class="sources">{"".join(items)}</ul>')
        parts.append(f'<h4>{words["history"]}</h4>')
        if t["history"]:
            items = []
            for h in t["history"]:
                part = f' ({escape(h["part"])})' if h["part"] else ""
                revisi = f', {words["revisi"]} {h["revisi"]}' if h["revisi"] != "" else ""
                waktu = f', {escape(h["waktu"])}' if h["waktu"] else ""
                items.append(f'<li class="{h["selection"]}"><strong>{escape(h["label"])}'
                             f'</strong>: {escape(h["file"])}{part}{revisi}{waktu}. '
                             f'{escape(h["why"])}</li>')
            parts.append(f'<ol class="history">{"".join(items)}</ol>')
        else:
            parts.append(f'<p>{words["none"]}</p>')
        parts.append("</article>")
        return "".join(parts)

    def _core(self, row: int) -> tuple[dict[str, Any], dict[str, int | None], bool,
                                          list[tuple[str, str | None]]]:
        """What a TPS section shows in either language: computed once for both (the two
        languages of a page are rendered one after the other)."""
        cached = self._cores.get(row)
        if cached is not None:
            return cached
        m = self.model
        col = m.tables["tps"].columns
        kode = str(col["kode"][row])
        values = {name: col[name][row] for name in self.value_fields}
        ints = {k: (None if v != v else int(v)) for k, v in values.items()}
        # Form numbers are 0-999: written the same in both languages.
        values = {k: "–" if v is None else str(v) for k, v in ints.items()}
        has_form = ints["suara_sah"] is not None
        outcomes: list[tuple[str, str | None]] = []
        if has_form:
            failed = set(filter(None, str(col["aturan_gagal"][row]).split(";")))
            warned = set(filter(None, str(col["peringatan"][row]).split(";")))
            for rule in m.rules:
                shown = self._compared(rule, ints, kode)
                result = ("dilewati" if shown is None else "gagal" if rule.id in failed else
                          "peringatan" if rule.id in warned else "lulus")
                outcomes.append((result, shown))
        if len(self._cores) > 64:
            self._cores.clear()
        self._cores[row] = (values, ints, has_form, outcomes)
        return self._cores[row]

    def tps_context(self, row: int, lang: str, root: str = "") -> dict[str, Any]:
        m = self.model
        col = m.tables["tps"].columns
        kode = str(col["kode"][row])
        status = str(col["status"][row])
        values, _, has_form, outcomes = self._core(row)
        group_labels, single_labels = self.row_labels[lang]
        numbers_html = "".join(
            f'<tr><th scope="row">{label}</th><td>{values[g + "_l"]}</td>'
            f'<td>{values[g + "_p"]}</td><td>{values[g + "_j"]}</td>'
            "</tr>" for label, g in zip(group_labels, self.groups, strict=True))
        numbers_html += "".join(
            f'<tr><th scope="row">{label}</th><td></td><td></td><td>{values[f]}'
            "</td></tr>" for label, f in zip(single_labels, self.singles, strict=True))
        verdicts = self.verdicts[lang]
        skipped = verdicts["skipped"]
        # Rule details hold field names and numbers only: nothing to escape.
        rules_html = "".join(
            f'<li class="{result}"><b>{verdicts[result]}</b> '
            f"{title}: {skipped if shown is None else shown}</li>"
            for (result, shown), title in zip(outcomes, self.rule_titles[lang], strict=False))
        sources = []
        history = []
        for s in m.subs_of_tps.get(kode, []):
            history.append(self.history_entry(s, lang))
            if m.subs["selection"][s] == "current":
                sources.append(self.source_entry(s, root))
        return {"kode": kode, "nama": str(col["nama"][row]), "status": status,
                "status_text": self.status_text(status, len(history), lang),
                "has_form": has_form, "numbers_html": Markup(numbers_html),
                "rules_html": Markup(rules_html), "sources": sources, "history": history}

    @staticmethod
    def status_text(status: str, count: int, lang: str) -> str:
        if lang == "id":
            return {"masuk": "Formulir yang berlaku lolos semua aturan wajib; angkanya dihitung.",
                    "bermasalah": "Formulir yang berlaku gagal aturan wajib; angkanya tidak "
                                  "dihitung sampai diperbaiki.",
                    "konflik": "Ada kiriman berbeda tanpa urutan revisi; tidak dihitung.",
                    "belum_masuk": "Belum ada formulir yang dapat dipakai; tidak dihitung."
                    }[status] + f" ({count} kiriman)"
        return {"masuk": "The current form passes every hard rule; its numbers are counted.",
                "bermasalah": "The current form fails a hard rule; not counted until corrected.",
                "konflik": "Differing submissions with no revision order; not counted.",
                "belum_masuk": "No usable form yet; not counted."}[status] + (
            f" ({count} submissions)")

    def _compared(self, rule, ints: dict[str, int | None], kode: str) -> str | None:
        """What the rule compares, with the numbers (None: an operand is missing)."""
        check = rule.check
        if check == "sum_equals":
            terms = [ints.get(t) for t in rule.terms]
            total = ints.get(rule.total)
            if total is None or None in terms:
                return None
            return (" + ".join(map(str, terms)) + f" = {sum(terms)}; {rule.total} = {total}")
        left = ints.get(rule.left)
        if left is None:
            return None
        if check == "equals_master":
            master = self.model.master_dpt.get(kode)
            return None if master is None else f"{rule.left} = {left}; DPT {int(master)}"
        if check == "at_most" and rule.limit:
            return (f"{rule.left} = {left}; {rule.limit} = "
                    f"{getattr(self.model.election.limits, rule.limit)}")
        right = ints.get(rule.right)
        if right is None:
            return None
        return f"{rule.left} = {left}; {rule.right} = {right}"

    def source_entry(self, s: int, root: str = "") -> dict[str, Any]:
        subs = self.model.subs
        images = []
        for item in str(subs["source_images"][s] or "").split(";"):
            if item.startswith(("https://", "http://")):
                images.append(item)
            elif scan_path(item):  # a photo or scan in the raw folder, published beside
                images.append(f"{root}{SCANS}/{quote(item)}")
        return {"file": subs["source_file"][s], "part": self._part(s),
                "sha256": subs["source_sha256"][s],
                "images": [{"url": u, "page": i + 1} for i, u in enumerate(images)]}

    def _part(self, s: int) -> str:
        subs = self.model.subs
        bits = []
        if subs["source_member"][s]:
            bits.append(str(subs["source_member"][s]))
        if subs["source_sheet"][s]:
            bits.append(f"lembar {subs['source_sheet'][s]}")
        row = subs["source_row"][s]
        if row is not None and row == row:
            bits.append(f"baris {int(row)}")
        return ", ".join(bits)

    def history_entry(self, s: int, lang: str) -> dict[str, Any]:
        subs = self.model.subs
        selection = str(subs["selection"][s])
        outcome = str(subs["outcome"][s])
        if selection == "unused":
            label = (OUTCOME_ID if lang == "id" else OUTCOME_EN).get(outcome, outcome)
        else:
            label = (SELECTION_ID if lang == "id" else SELECTION_EN)[selection]
            if outcome == "bermasalah":
                label += " (bermasalah)" if lang == "id" else " (fails a hard rule)"
        reasons = []
        for severity, rule, message, message_en in self.model.issues_of_sub.get(
                str(subs["submission_id"][s]), []):
            if severity == "info" and rule in ("superseded", "duplicate"):
                continue
            reasons.append(message if lang == "id" else message_en)
        note = subs["ingest_note" if lang == "id" else "ingest_note_en"][s]
        if note and note not in reasons:  # e.g. who reviewed a photographed form, and why
            reasons.append(str(note))
        if selection in ("superseded", "duplicate") and subs["superseded_by"][s]:
            by = str(subs["superseded_by"][s]).split("|")[0]
            reasons.insert(0, (f"digantikan oleh {by}" if selection == "superseded" else
                               f"salinan yang sama dengan {by}") if lang == "id" else
                           (f"superseded by {by}" if selection == "superseded" else
                            f"identical copy of {by}"))
        revisi = subs["revisi"][s]
        return {"selection": selection, "label": label, "file": subs["source_file"][s],
                "part": self._part(s), "why": "; ".join(reasons),
                "revisi": "" if revisi is None or revisi != revisi else int(revisi),
                "waktu": subs["waktu"][s] or ""}

    def downloads_context(self, lang: str, root: str) -> dict[str, Any]:
        from ..publish.datapackage import LICENCES

        files = [{"path": f["path"], "url": f"{root}../{f['path']}", "title": f["title"],
                  "size": filesize(f["bytes"], lang),
                  "rows": number(f["rows"], lang) if f.get("rows") is not None else "",
                  "sha256": f["sha256"]} for f in self.model.files]
        dictionary = [{"title": title, "columns": [
            {"name": c["name"], "type": c["type"],
             "text": (f"{c['id']}: {c['en']}" if lang == "id" else c["en"])} for c in cols]}
            for title, cols in self.model.dictionary.items()]
        url = LICENCES.get(self.model.election.licence, ("", ""))[0]
        return {"files": files, "dictionary": dictionary, "licence_url": url}

    def method_context(self, lang: str) -> dict[str, Any]:
        seen, rules = set(), []
        for rule in self.model.rules:
            title = rule.title if lang == "id" else rule.title_en
            if title in seen:
                continue
            seen.add(title)
            severity = ({"hard": "wajib", "warning": "kewajaran"} if lang == "id" else
                        {"hard": "hard", "warning": "plausibility"})[rule.severity]
            rules.append({"title": title, "severity": severity})
        return {"rules": rules}


# ------------------------------------------------------------------ page list


SCANS = "pindaian"  # photos and scans of the forms, copied from the raw folder


def scan_path(item: str) -> bool:
    """A raw-folder path of a form photo or scan that may be published (no escaping it)."""
    parts = item.split("/")
    return (bool(item) and not item.startswith("/") and ".." not in parts and ":" not in item
            and item.lower().endswith(tuple(FORM_SUFFIXES)))


def page_path(kind: str, key: str, lang: str) -> str:
    """Where a page lives in the site (Indonesian at the root, other languages below)."""
    prefix = "" if lang == "id" else f"{lang}/"
    if kind == "index":
        return f"{prefix}index.html"
    if kind == "area":
        return f"{prefix}wilayah/{key}.html"
    return f"{prefix}{kind}.html"


def page_list(levels: list[str], frames) -> list[tuple[str, str, str]]:
    pages = []
    for kind in ("index", "unduh", "metode"):
        pages.extend((kind, "", lang) for lang in LANGUAGES)
    for level in levels:  # the top area is index.html
        codes = frames[level]["kode"].tolist()
        for kode in (codes[1:] if level == levels[0] else codes):
            # Both languages of a page together: their TPS sections share one computation.
            pages.extend(("area", str(kode), lang) for lang in LANGUAGES)
    return pages


# ------------------------------------------------------------------ rendering


_WORKER: dict[str, Any] = {}


def _render_chunk(args: tuple[int, int]) -> list[tuple[str, int]]:
    start, stop = args
    renderer = _WORKER.get("renderer") or Renderer(_WORKER["model"])
    _WORKER["renderer"] = renderer
    out: Path = _WORKER["out"]
    existing: set[str] | None = _WORKER.get("existing")
    written = []
    for kind, key, lang in _WORKER["pages"][start:stop]:
        path, html = renderer.render(kind, key, lang)
        target = out / path
        data = html.encode("utf-8")
        if existing is not None and path not in existing:
            # A new page (a first build happens in the release being built, not the live
            # one): written in place, one directory entry instead of two.
            target.write_bytes(data)
        else:
            scratch = target.with_name(f".{target.name}.tmp")
            scratch.write_bytes(data)
            os.replace(scratch, target)  # a reader sees the old page or the new, never half
        written.append((path, len(data)))
    return written


def render_pages(model: SiteModel, out: Path, pages: list[tuple[str, str, str]],
                 workers: int | None = None, existing: set[str] | None = None
                 ) -> dict[str, int]:
    """Render the given pages into out (in forked workers when there are many); returns
    the bytes written per page. `existing`: the pages already there (they are replaced
    atomically); without it every page is."""
    for lang in LANGUAGES:
        (out / ("" if lang == "id" else lang) / "wilayah").mkdir(parents=True, exist_ok=True)
    _WORKER.clear()
    _WORKER.update({"model": model, "out": out, "pages": pages, "existing": existing})
    workers = workers or int(os.environ.get("C1_SITE_WORKERS", min(2, os.cpu_count() or 1)))
    if len(pages) < PARALLEL_FROM or workers == 1:
        return dict(_render_chunk((0, len(pages))))
    size = max(200, len(pages) // (workers * 8))
    chunks = [(i, min(i + size, len(pages))) for i in range(0, len(pages), size)]
    context = multiprocessing.get_context("fork")
    sizes: dict[str, int] = {}
    with context.Pool(workers) as pool:
        for written in pool.imap_unordered(_render_chunk, chunks):
            sizes.update(written)
    return sizes


def iter_search_shards(levels: list[str], frames) -> Iterator[tuple[str, Any]]:
    """Name shards (by the first letter of every word) and TPS-code shards (by kabupaten)."""
    by_letter: dict[str, list] = {}
    top = str(frames[levels[0]]["kode"].iloc[0])
    for level in levels:
        frame = frames[level]
        for kode, nama in zip(frame["kode"].tolist(), frame["nama"].tolist(), strict=True):
            norm = _norm(str(nama))
            path = "index.html" if kode == top else f"wilayah/{kode}.html"
            entry = [str(kode), str(nama), tingkat_of(level), norm, path]
            for letter in sorted({w[0] for w in norm.split() if w}):
                by_letter.setdefault(letter, []).append(entry)
    for letter, entries in sorted(by_letter.items()):
        yield f"nama-{letter}", entries
    desa = frames[levels[-1]]
    desa_name = dict(zip(desa["kode"].tolist(), desa["nama"].tolist(), strict=True))
    by_kab: dict[str, list] = {}
    tps = frames["tps"]
    for kode, nama, induk in zip(tps["kode"].tolist(), tps["nama"].tolist(),
                                 tps["kode_induk"].tolist(), strict=True):
        by_kab.setdefault(str(kode)[:4], []).append([str(kode), str(nama), str(induk),
                                                      str(desa_name.get(induk, ""))])
    for kab, entries in sorted(by_kab.items()):
        yield f"tps-{kab}", entries


def write_search_index(levels: list[str], frames, out: Path) -> list[str]:
    folder = out / "assets" / "cari"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, entries in iter_search_shards(levels, frames):
        text = f"C1Search.add({json.dumps(name)}, {json.dumps(entries, ensure_ascii=False)});\n"
        # The index is data inside a script: no "</script>" or HTML can break out of it.
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        (folder / f"{name}.js").write_text(text, encoding="utf-8")
        written.append(name)
    return written
