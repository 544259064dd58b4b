"""The site in a real browser: Debian's chromium driven by Playwright, from file:// and from
a loopback server, on a desktop and a 360 px phone screen. Screenshots are kept as test
artifacts (C1_ARTIFACTS, default build/test-artifacts)."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from conftest import REPO

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("C1_ARTIFACTS", REPO / "build" / "test-artifacts"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required under CI=true (.ci/run installs it with apt)")
        pytest.skip("chromium not installed: apt-get install -y chromium (never skipped in CI)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def served(demo_run):
    from pipeline.site.serve import make_server

    server = make_server(demo_run["out"], port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/site/"
    server.shutdown()
    server.server_close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("origin", ["file", "http"])
def test_follow_links_down_and_search(browser, demo_run, served, width, origin):
    base = (demo_run["out"] / "site").as_uri() + "/" if origin == "file" else served
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base + "index.html")
    assert "LUWU UTARA" in page.locator("h1").inner_text()
    assert "569" in page.locator(".coverage").inner_text()
    _shot(page, f"index-{origin}-{width}")

    page.locator("table.children a", has_text="MASAMBA").first.click()
    assert page.locator("h1").inner_text().startswith("Kecamatan MASAMBA")
    _shot(page, f"kecamatan-{origin}-{width}")
    page.locator("table.children tbody a").first.click()
    assert page.locator("h1").inner_text().startswith("Desa/Kelurahan")
    assert page.locator("article.tps").count() >= 1

    # Find a TPS by its 13-digit code, then open it.
    search = page.locator("#cari")
    assert search.is_visible()
    search.fill("7322032004001")
    result = page.locator(".results a").first
    result.wait_for()
    assert "7322032004001" in result.inner_text()
    result.click()
    section = page.locator("#tps-7322032004001")
    section.wait_for()
    text = section.inner_text()
    assert "masuk" in text and "Pemilih dalam DPT" in text and "519" in text
    _shot(page, f"tps-{origin}-{width}")

    # Find a desa by name, forgiving case and spacing.
    page.locator("#cari").fill("  pattimang ")
    hit = page.locator(".results a", has_text="PATTIMANG").first
    hit.wait_for()
    hit.click()
    assert "PATTIMANG" in page.locator("h1").inner_text()
    assert not errors, errors
    page.close()


def test_english_pages_and_no_javascript(browser, demo_run):
    base = (demo_run["out"] / "site").as_uri() + "/"
    page = browser.new_page()
    page.goto(base + "en/index.html")
    assert "Polling station coverage" in page.locator(".coverage").inner_text()
    assert "73,437" in page.locator("table.paslon").inner_text()
    page.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "index.html")
    assert not page.locator("form.search").is_visible()  # hidden without JS
    page.locator("table.children a").first.click()
    assert page.locator("h1").inner_text().startswith("Kecamatan")
    context.close()
