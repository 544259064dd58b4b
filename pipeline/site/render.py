"""Render the static site: area pages (with each desa's TPS as anchored sections), downloads
and method pages, in Indonesian and English, plus the search index.

Pages are rendered by forked workers from the prepared model. Each page has a fingerprint of
its inputs; a page whose fingerprint did not change since the previous release is hard-linked
from it instead of being rendered again.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import numpy as np

from ..paths import templates_dir
from .i18n import LANGUAGES, translations
from .model import COLORS, SiteModel, field_order, level_label, tingkat_of
from .numbers import filesize, number, percent

TEMPLATE_FILES = ("base.html", "macros.html", "area.html", "downloads.html", "method.html")
PARALLEL_FROM = 400  # pages; below this, forking costs more than it saves
SELECTION_ID = {"current": "berlaku", "superseded": "digantikan", "duplicate": "duplikat",
                "konflik": "konflik"}
SELECTION_EN = {"current": "current", "superseded": "superseded", "duplicate": "duplicate",
                "konflik": "in conflict"}
OUTCOME_ID = {"rejected": "ditolak", "incomplete": "belum lengkap"}
OUTCOME_EN = {"rejected": "rejected", "incomplete": "incomplete"}


def environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir())),
                             autoescape=True, extensions=["jinja2.ext.i18n"],
                             trim_blocks=False, lstrip_blocks=False)
    env.install_gettext_translations(translations(templates_dir(), lang), newstyle=True)
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

    # -------------------------------------------------------------- paths

    @staticmethod
    def page_path(kind: str, key: str, lang: str) -> str:
        prefix = "" if lang == "id" else f"{lang}/"
        if kind == "index":
            return f"{prefix}index.html"
        if kind == "area":
            return f"{prefix}wilayah/{key}.html"
        return f"{prefix}{kind}.html"

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
            context.update(self.area_context(level, kode, lang, context["here_root"]))
            html = self.envs[lang].get_template("area.html").render(context)
        elif kind == "unduh":
            context.update(self.downloads_context(lang, context["root"]))
            html = self.envs[lang].get_template("downloads.html").render(context)
        else:
            context.update(self.method_context(lang))
            html = self.envs[lang].get_template("method.html").render(context)
        return path, html

    def area_context(self, level: str, kode: str, lang: str, here: str) -> dict[str, Any]:
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
        children = []
        for r in rows:
            code = str(ctab["kode"][r])
            is_tps = child_level == "tps"
            children.append({
                "nama": str(ctab["nama"][r]),
                "url": f"#tps-{code}" if is_tps else f"{here}wilayah/{code}.html",
                "status": str(ctab["status"][r]) if is_tps else None,
                "votes": [n(ctab[f"suara_paslon_{c.nomor_urut}"][r]) for c in candidates],
                "sah": n(ctab["suara_sah"][r]),
                "masuk": n(1 if is_tps and ctab["status"][r] == "masuk" else
                           (0 if is_tps else ctab["tps_masuk"][r])),
                "total": n(1 if is_tps else ctab["tps_total"][r]),
                "bermasalah": n(int(ctab["status"][r] == "bermasalah") if is_tps
                                else ctab["tps_bermasalah"][r]),
                "konflik": n(int(ctab["status"][r] == "konflik") if is_tps
                             else ctab["tps_konflik"][r]),
                "belum_masuk": n(int(ctab["status"][r] == "belum_masuk") if is_tps
                                 else ctab["tps_belum_masuk"][r]),
            })
        context = {"area": {"kode": kode, "nama": str(col["nama"][row]),
                            "level_label": level_label(level, lang)},
                   "coverage": coverage, "bars": bars, "admin": admin, "trail": trail,
                   "children": children, "child_label": level_label(child_level, lang)}
        if child_level == "tps":
            context["tps_list"] = [self.tps_context(r, lang) for r in rows]
        return context

    def tps_context(self, row: int, lang: str) -> dict[str, Any]:
        m = self.model
        col = m.tables["tps"].columns
        kode = str(col["kode"][row])
        status = str(col["status"][row])
        n = lambda value: number(value, lang)  # noqa: E731
        values = {name: col[name][row] for name in m.labels if name in col}
        has_form = not np.isnan(col["suara_sah"][row])
        label = (lambda name: m.labels[name][0]) if lang == "id" else (
            lambda name: m.labels[name][1])
        groups = [{"label": label(f"{g}_j").replace(" (jumlah)", "").replace(" (total)", ""),
                   "l": n(values[f"{g}_l"]), "p": n(values[f"{g}_p"]), "j": n(values[f"{g}_j"])}
                  for g in self.groups]
        singles = [{"label": label(f), "value": n(values[f])} for f in self.singles]
        failed = set(filter(None, str(col["aturan_gagal"][row]).split(";")))
        warned = set(filter(None, str(col["peringatan"][row]).split(";")))
        rules = self.rule_results(kode, values, failed, warned, lang) if has_form else []
        sources = []
        history = []
        for s in m.subs_of_tps.get(kode, []):
            history.append(self.history_entry(s, lang))
            if m.subs["selection"][s] == "current":
                sources.append(self.source_entry(s))
        return {"kode": kode, "nama": str(col["nama"][row]), "status": status,
                "status_text": self.status_text(status, len(history), lang),
                "has_form": has_form, "groups": groups, "singles": singles, "rules": rules,
                "sources": sources, "history": history}

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

    def rule_results(self, kode: str, values: dict[str, Any], failed: set[str],
                     warned: set[str], lang: str) -> list[dict[str, str]]:
        m = self.model
        out = []
        words = ({"lulus": "lulus", "gagal": "gagal", "peringatan": "peringatan",
                  "dilewati": "tidak diperiksa"} if lang == "id" else
                 {"lulus": "passed", "gagal": "failed", "peringatan": "warning",
                  "dilewati": "not checked"})
        for rule in m.rules:
            title = rule.title if lang == "id" else rule.title_en
            shown = self._compared(rule, values, kode)
            if shown is None:
                result = "dilewati"
                detail = ("sebagian angka tidak diisi" if lang == "id"
                          else "some numbers are missing")
            else:
                result = ("gagal" if rule.id in failed else
                          "peringatan" if rule.id in warned else "lulus")
                detail = shown
            out.append({"result": result, "verdict": words[result],
                        "text": f"{title}: {detail}"})
        return out

    def _compared(self, rule, values: dict[str, Any], kode: str) -> str | None:
        """What the rule compares, with the numbers (None: an operand is missing)."""
        def v(name: str):
            value = values.get(name)
            return None if value is None or value != value else int(value)

        if rule.check == "sum_equals":
            terms = [v(t) for t in rule.terms]
            total = v(rule.total)
            if None in terms or total is None:
                return None
            return (" + ".join(str(t) for t in terms) + f" = {sum(terms)}; "
                    f"{rule.total} = {total}")
        if rule.check == "equals":
            left, right = v(rule.left), v(rule.right)
            if left is None or right is None:
                return None
            return f"{rule.left} = {left}; {rule.right} = {right}"
        if rule.check == "at_most":
            left = v(rule.left)
            if left is None:
                return None
            if rule.limit:
                return f"{rule.left} = {left}; {rule.limit} = " + str(
                    getattr(self.model.election.limits, rule.limit))
            right = v(rule.right)
            if right is None:
                return None
            return f"{rule.left} = {left}; {rule.right} = {right}"
        if rule.check == "equals_master":
            left = v(rule.left)
            master = self.model.master_dpt.get(kode)
            if left is None or master is None:
                return None
            return f"{rule.left} = {left}; DPT {int(master)}"
        return None

    def source_entry(self, s: int) -> dict[str, Any]:
        subs = self.model.subs
        images = [u for u in str(subs["source_images"][s] or "").split(";")
                  if u.startswith(("https://", "http://"))]
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


# ------------------------------------------------------------------ page list, fingerprints


def page_list(model: SiteModel) -> list[tuple[str, str, str]]:
    pages = []
    for lang in LANGUAGES:
        pages.append(("index", "", lang))
        pages.append(("unduh", "", lang))
        pages.append(("metode", "", lang))
        for level in model.levels:  # the top area is index.html
            codes = model.tables[level].columns["kode"]
            pages.extend(("area", str(k), lang) for k in (codes[1:] if level == model.levels[0]
                                                          else codes))
    return pages


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, default=str, ensure_ascii=False).encode()
                          ).hexdigest()[:24]


def fingerprints(model: SiteModel, pages: list[tuple[str, str, str]]) -> dict[str, str]:
    """Per page, a digest of everything it shows: a page whose digest is unchanged need not
    be rendered again."""
    import pandas as pd

    salt = _digest(_template_digest(), model.election.name, model.election.licence,
                   model.election.release_time,
                   [(c.nomor_urut, c.nama) for c in model.election.candidates])
    row_hash: dict[str, np.ndarray] = {}
    for level, table in model.tables.items():
        frame = pd.DataFrame({k: v for k, v in table.columns.items()})
        row_hash[level] = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    # A TPS also shows its submissions and their findings.
    sub_hash = np.zeros(len(model.tables["tps"]), dtype=np.uint64)
    if model.subs_of_tps:
        subs = pd.DataFrame({k: pd.Series(v).astype(str) for k, v in model.subs.items()})
        per_sub = pd.util.hash_pandas_object(subs, index=False).to_numpy()
        position = model.tables["tps"].position
        owner, rows = [], []
        for kode, subs_rows in model.subs_of_tps.items():
            owner.extend([position[kode]] * len(subs_rows))
            rows.extend(subs_rows)
        findings = np.array([len(model.issues_of_sub.get(str(model.subs["submission_id"][r]),
                                                         [])) for r in rows], dtype=np.uint64)
        np.add.at(sub_hash, np.asarray(owner, dtype=np.int64),
                  per_sub[np.asarray(rows, dtype=np.int64)] + findings)  # wraps: a digest
    row_hash["tps"] = np.add(row_hash["tps"], sub_hash, dtype=np.uint64)
    area_digest: dict[str, str] = {}
    for level in model.levels:
        table = model.tables[level]
        child = model.child_level(level)
        groups = model.children.get(child, {})
        for row, kode in enumerate(table.columns["kode"]):
            rows = groups.get(kode, [])
            children_sum = int(np.add.reduce(row_hash[child][rows], dtype=np.uint64)) if rows else 0
            area_digest[kode] = _digest(salt, int(row_hash[level][row]), children_sum,
                                        model.trail(level, kode))
    files = _digest(salt, model.files)
    out = {}
    for kind, key, lang in pages:
        path = Renderer.page_path(kind, key, lang)
        if kind == "area":
            out[path] = area_digest[key]
        elif kind == "index":  # the top area's page, at the site's root
            out[path] = area_digest[str(model.tables[model.levels[0]].columns["kode"][0])]
        elif kind == "unduh":
            out[path] = files
        else:
            out[path] = salt
    return out


def _template_digest() -> str:
    digest = hashlib.sha256()
    base = templates_dir()
    for path in sorted(base.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(base).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# ------------------------------------------------------------------ rendering


_WORKER: dict[str, Any] = {}


def _render_chunk(args: tuple[int, int]) -> int:
    start, stop = args
    renderer = _WORKER.get("renderer") or Renderer(_WORKER["model"])
    _WORKER["renderer"] = renderer
    out: Path = _WORKER["out"]
    for kind, key, lang in _WORKER["pages"][start:stop]:
        path, html = renderer.render(kind, key, lang)
        target = out / path
        target.write_text(html, encoding="utf-8")
    return stop - start


def render_pages(model: SiteModel, out: Path, pages: list[tuple[str, str, str]],
                 workers: int | None = None) -> int:
    """Render the given pages into out; in forked workers when there are many."""
    for lang in LANGUAGES:
        (out / ("" if lang == "id" else lang) / "wilayah").mkdir(parents=True, exist_ok=True)
    _WORKER.clear()
    _WORKER.update({"model": model, "out": out, "pages": pages})
    workers = workers or min(2, os.cpu_count() or 1)
    if len(pages) < PARALLEL_FROM or workers == 1:
        return _render_chunk((0, len(pages)))
    size = max(200, len(pages) // (workers * 8))
    chunks = [(i, min(i + size, len(pages))) for i in range(0, len(pages), size)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        return sum(pool.imap_unordered(_render_chunk, chunks))


def iter_search_shards(model: SiteModel) -> Iterator[tuple[str, Any]]:
    """Name shards (by the first letter of every word) and TPS-code shards (by kabupaten)."""
    by_letter: dict[str, list] = {}
    top = str(model.tables[model.levels[0]].columns["kode"][0])
    for level in model.levels:
        table = model.tables[level]
        for kode, nama in zip(table.columns["kode"], table.columns["nama"], strict=True):
            norm = _norm(str(nama))
            path = "index.html" if kode == top else f"wilayah/{kode}.html"
            entry = [str(kode), str(nama), tingkat_of(level), norm, path]
            for letter in sorted({w[0] for w in norm.split() if w}):
                by_letter.setdefault(letter, []).append(entry)
    for letter, entries in sorted(by_letter.items()):
        yield f"nama-{letter}", entries
    tps = model.tables["tps"].columns
    desa = model.tables[model.levels[-1]]
    by_kab: dict[str, list] = {}
    for kode, nama, induk in zip(tps["kode"], tps["nama"], tps["kode_induk"], strict=True):
        row = desa.position.get(induk)
        desa_nama = str(desa.columns["nama"][row]) if row is not None else ""
        by_kab.setdefault(str(kode)[:4], []).append([str(kode), str(nama), str(induk),
                                                      desa_nama])
    for kab, entries in sorted(by_kab.items()):
        yield f"tps-{kab}", entries


def write_search_index(model: SiteModel, out: Path) -> list[str]:
    folder = out / "assets" / "cari"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, entries in iter_search_shards(model):
        text = f"C1Search.add({json.dumps(name)}, {json.dumps(entries, ensure_ascii=False)});\n"
        # The index is data inside a script: no "</script>" or HTML can break out of it.
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        (folder / f"{name}.js").write_text(text, encoding="utf-8")
        written.append(name)
    return written
