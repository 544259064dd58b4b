"""The published site: pages, links, languages, escaping, incremental rendering."""

from __future__ import annotations

import html.parser
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import run_cli
from helpers import CONTEST, csv_text, good_form, make_election, run_election


class Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if "id" in values:
            self.ids.add(values["id"])
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_asset_resolves(demo_run):
    site = demo_run["out"] / "site"
    todo = [site / "index.html", site / "en" / "index.html"]
    seen: set[Path] = set()
    checked = 0
    while todo:
        page = todo.pop()
        if page in seen:
            continue
        seen.add(page)
        parsed = parse(page)
        for link in parsed.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https"):
                continue
            assert not parts.scheme, f"{page}: unexpected link {link}"
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            assert target.exists(), f"{page.relative_to(site)}: broken link {link}"
            checked += 1
            if parts.fragment:
                assert parts.fragment in parse(target).ids, f"{page}: no #{parts.fragment}"
            if target.suffix == ".html" and site in target.parents:
                todo.append(target)
    pages = {p for p in site.rglob("*.html")}
    assert pages <= seen, f"pages not reachable by links: {sorted(pages - seen)[:5]}"
    assert checked > 1000


def test_area_pages_show_totals_coverage_and_children(demo_run):
    site = demo_run["out"] / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "Kabupaten/Kota LUWU UTARA" in index
    assert "73.437" in index and "42,28 %" in index  # Indonesian number format
    assert "569</strong> dari <strong>572" in index
    assert "belum final" in index
    assert "<svg" in index and "<script" not in index.split("<footer")[0]
    kec = (site / "wilayah" / "732203.html").read_text(encoding="utf-8")
    assert 'href="../index.html"' in kec and "wilayah/7322032004.html" in kec
    english = (site / "en" / "index.html").read_text(encoding="utf-8")
    assert "73,437" in english and "42.28%" in english
    assert "Polling station coverage" in english and 'lang="en"' in english


def test_tps_section_shows_numbers_rules_sources_and_history(demo_run):
    page = (demo_run["out"] / "site" / "wilayah" / "7322012001.html").read_text(
        encoding="utf-8")
    section = page[page.index('id="tps-7322012001004"'):]
    section = section[:section.index("</article>")]
    assert "masuk" in section and "Pemeriksaan aturan formulir" in section
    assert "lulus" in section and "Jumlah suara paslon = jumlah suara sah" in section
    # The +500 misread was superseded by the correction: the history says so.
    assert "digantikan oleh koreksi/koreksi-2024-11-29.csv" in section
    assert "berlaku" in section and re.search(r"SHA-256 <code>[0-9a-f]{64}</code>", section)


def test_downloads_page_lists_files_dictionary_and_verification(demo_run):
    page = (demo_run["out"] / "site" / "unduh.html").read_text(encoding="utf-8")
    assert "sha256sum -c SHA256SUMS" in page and "CC-BY-4.0" in page
    assert 'href="../tps.csv"' in page and "suara_paslon_1" in page
    size_of = (demo_run["out"] / "tps.csv").stat().st_size
    assert size_of > 0 and ">572<" in page  # row count of tps.csv


def test_translation_catalog_covers_every_template_message(tmp_path):
    import shutil

    from pipeline.paths import templates_dir
    from pipeline.site.catalog import update_catalog

    copy = tmp_path / "templates"
    shutil.copytree(templates_dir(), copy)
    assert update_catalog(copy) == []


def test_names_are_text_never_markup(tmp_path):
    raw = make_election(tmp_path / "raw")
    regions = raw / "wilayah-uji.csv"
    evil = '<script>alert("x")</script> & "Desa"'
    quoted = '"' + evil.replace('"', '""') + '"'
    regions.write_text(regions.read_text().replace("DESA ALPHA", quoted))
    config = raw / "election.toml"
    config.write_text(config.read_text().replace(
        'nama = "ALPHA - BETA"', 'nama = "<img src=x onerror=alert(1)> & \\"A\\""'))
    (raw / '<b>kiriman&"x".csv').write_text(csv_text([good_form("9901012001001")]))
    result = run_election(raw)
    assert result.exit_code == 0, result.output
    site = tmp_path / "out" / CONTEST / "site"
    texts = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    joined = "\n".join(texts)
    assert "<script>alert" not in joined and "<img src=x" not in joined
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Desa&#34;" in joined
    assert "&lt;img src=x onerror=alert(1)&gt;" in joined
    assert "&lt;b&gt;kiriman&amp;&#34;x&#34;.csv" in joined
    for index in (site / "assets" / "cari").glob("*.js"):
        assert "</script" not in index.read_text(encoding="utf-8").lower()


def test_an_unchanged_page_is_not_rendered_again(tmp_path):
    raw = make_election(tmp_path / "raw")
    (raw / "a.csv").write_text(csv_text([good_form("9901012001001"),
                                         good_form("9901022001001", dpt=200)]))
    from pipeline.stages import run_all

    first = run_all(raw, tmp_path / "work", tmp_path / "out").publish.site
    assert first.rendered == first.pages
    again = run_all(raw, tmp_path / "work", tmp_path / "out").publish.site
    assert again.rendered == 0 and again.linked == again.pages
    (raw / "b.csv").write_text(csv_text([{**good_form("9901022001001", votes=(100, 80),
                                                      dpt=200), "revisi": 1}]))
    changed = run_all(raw, tmp_path / "work", tmp_path / "out").publish.site
    # desa GAMMA, kecamatan DUA, the kabupaten (and its index), in both languages
    assert changed.rendered == 8, changed
    page = (tmp_path / "out" / CONTEST / "site" / "wilayah" / "9901022001.html").read_text()
    assert ">100<" in page


def test_serve_previews_the_site_on_loopback(demo_run):
    import threading
    import urllib.request

    from pipeline.site.serve import make_server

    server = make_server(demo_run["out"], port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/site/index.html") as response:
            assert response.status == 200 and b"LUWU UTARA" in response.read()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/tps.csv") as response:
            assert response.status == 200
    finally:
        server.shutdown()
        server.server_close()


def test_serve_without_a_release_says_what_to_run(tmp_path):
    raw = make_election(tmp_path / "raw")
    result = run_cli("serve", "--raw", raw, "--out", tmp_path / "nowhere")
    assert result.exit_code == 2 and "c1 run" in result.output

