"""Reading photographed and scanned C1 forms (generated with ground truth), and the gate
that keeps every unverified number out of what is published."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.forms.digital import digital_pdf
from pipeline.forms.draw import render_blank, stored_thumbnail, thumbnail_path
from pipeline.forms.handwriting import EVAL_WRITERS
from pipeline.forms.kwk import kwk_template
from pipeline.forms.measure import measure_pdf
from pipeline.forms.read import read_paths
from pipeline.forms.synth import degrade, encode_jpeg, fill_form, scanned_pdf
from pipeline.forms.templates import forms_dir, load_template

from conftest import reference, run_cli

KODE = "7322012001001"
KWK = "kwk-2024-demo"


def write_photos(folder: Path, form, seed: int = 0, mode: str = "photo",
                 order=None) -> list[Path]:
    rng = np.random.default_rng(seed)
    paths = []
    for index in order or range(len(form.pages)):
        path = folder / f"{form.kode_tps}-hal{index + 1}.jpg"
        path.write_bytes(encode_jpeg(degrade(form.pages[index], rng, mode), 85))
        paths.append(path)
    return paths


def good_form(seed: int = 1, **kwargs):
    rng = np.random.default_rng(seed)
    return fill_form(load_template(KWK), KODE, rng, EVAL_WRITERS + seed, **kwargs)


def test_ppwp_template_is_measured_from_the_real_blank_form():
    pdf = reference("forms", "C.HASIL-PPWP-2024-blank.pdf")
    measured = measure_pdf(pdf)
    stored = json.loads((forms_dir() / "ppwp-2024.json").read_text())
    assert measured == stored
    pages = {p["page"]: p for p in stored["pages"]}
    assert len(pages[1]["fields"]) == 22 and "pemilih_dpt_j" in pages[1]["fields"]
    votes = pages[2]["fields"]["suara_paslon_2"]
    assert len(votes["boxes"]) == 3 and [len(c) for c in votes["bubbles"]] == [10, 10, 10]
    assert list(pages[3]["fields"]) == ["suara_sah", "suara_tidak_sah", "suara_total"]


def test_demo_template_and_thumbnails_are_current():
    stored = json.loads((forms_dir() / f"{KWK}.json").read_text())
    assert stored == kwk_template()
    template = load_template(KWK)
    for page in template.pages:
        fresh = Image.fromarray(render_blank(template, page, 1.0))
        on_disk = Image.open(thumbnail_path(template, page))
        resized = np.asarray(fresh.resize(on_disk.size, Image.BOX), dtype=int)
        assert np.abs(resized - np.asarray(on_disk, dtype=int)).max() <= 1
        assert stored_thumbnail(KWK, page.number).shape[1] == 48


def test_read_form_cli_accepts_a_clean_form_read_in_any_page_order(tmp_path):
    form = good_form(bubbles="good")
    write_photos(tmp_path, form, order=[2, 0, 1])
    result = run_cli("read-form", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    [read] = json.loads(result.output)
    assert read["kode_tps"] == KODE and read["template"] == KWK
    assert sorted(p["form_page"] for p in read["pages"]) == [1, 2, 3]
    assert all(p["registered"] and 0 <= p["quality"] <= 1 for p in read["pages"])
    fields = read["fields"]
    assert set(fields) == set(form.values)
    for name, value in form.values.items():
        assert fields[name]["value"] == value, name
    votes = fields["suara_paslon_1"]
    assert votes["readings"] == {"digits": form.values["suara_paslon_1"],
                                 "bubbles": form.values["suara_paslon_1"]}
    assert 0 <= votes["confidence"] <= 1
    assert read["accepted"] is True and read["review_reasons"] == []
    human = run_cli("read-form", *sorted(tmp_path.iterdir()))
    assert f"{KODE} ({KWK}): DITERIMA" in human.output


def test_bubbles_contradicting_the_digits_go_to_review(tmp_path):
    form = good_form(seed=3, bubbles="contradict")
    write_photos(tmp_path, form, mode="scan")
    [read] = read_paths([tmp_path])
    contradicted = [name for name, marks in form.bubble_digits.items()
                    if marks and any(m is not None and m != int(d) for m, d in
                                     zip(marks, f"{form.values[name]:03d}", strict=True))]
    assert contradicted
    for name in contradicted:
        field = read.fields[name]
        assert not field.accepted
        assert any("tidak sama" in reason for reason in field.reasons)
        assert field.value == field.digits.value  # the digits pre-fill the review
    assert not read.accepted and any("perlu diperiksa" in r for r in read.review_reasons)
    strict = run_cli("read-form", tmp_path, "--strict")
    assert strict.exit_code == 1 and "PERLU DIPERIKSA" in strict.output


def test_an_arithmetic_slip_keeps_its_rule_in_review(tmp_path):
    rng = np.random.default_rng(5)
    values = good_form(seed=5).values
    values["suara_tidak_sah"] += 3  # suara sah + tidak sah no longer equals the total
    form = fill_form(load_template(KWK), KODE, rng, EVAL_WRITERS + 5, values=values,
                     bubbles="good")
    write_photos(tmp_path, form, mode="scan")
    [read] = read_paths([tmp_path])
    field = read.fields["suara_tidak_sah"]
    assert field.value == values["suara_tidak_sah"] and not field.accepted
    assert any("tidak terpenuhi" in reason for reason in field.reasons)
    assert not read.fields["suara_total"].accepted
    assert read.fields["suara_paslon_2"].accepted  # its own rule still holds


def test_the_real_ppwp_form_as_a_scanned_pdf(tmp_path):
    pdf = reference("forms", "C.HASIL-PPWP-2024-blank.pdf")
    rng = np.random.default_rng(8)
    form = fill_form(load_template("ppwp-2024"), KODE, rng, EVAL_WRITERS + 8, scale=0.75,
                     pdf=pdf, bubbles="good")
    pages = [degrade(p, rng, "scan") for p in form.pages]
    (tmp_path / f"{KODE}-scan.pdf").write_bytes(scanned_pdf(pages[::-1]))
    [read] = read_paths([tmp_path])
    assert read.template.name == "ppwp-2024"
    assert [p.registration.page.number for p in read.pages] == [3, 2, 1]
    right = sum(read.fields[n].value == v for n, v in form.values.items())
    assert right >= 0.85 * len(form.values)
    assert all(read.fields[n].value == v for n, v in form.values.items()
               if read.fields[n].accepted)


def test_a_digital_pdf_is_read_from_its_text_layer(tmp_path):
    template = load_template(KWK)
    values = good_form(seed=10).values
    (tmp_path / f"{KODE}.pdf").write_bytes(digital_pdf(template, values))
    result = run_cli("read-form", tmp_path, "--json")
    [read] = json.loads(result.output)
    assert read["accepted"] is True
    assert {n: f["value"] for n, f in read["fields"].items()} == values
    assert read["fields"]["suara_paslon_3"]["readings"] == {"text": values["suara_paslon_3"]}
    typo = dict(values, suara_paslon_3=values["suara_paslon_3"] + 10)  # typed wrong
    (tmp_path / f"{KODE}.pdf").write_bytes(digital_pdf(template, typo))
    [read] = read_paths([tmp_path])
    assert not read.accepted and not read.fields["suara_paslon_3"].accepted
    assert read.fields["pemilih_dpt_l"].accepted  # its own rules still hold


def test_empty_boxes_with_their_printed_guide_are_not_read_as_eight(tmp_path):
    form = good_form(seed=9, bubbles="good")
    blank = Image.fromarray(render_blank(load_template(KWK), load_template(KWK).page(3), 2.0))
    form.pages[2] = blank  # page 3 left empty: only the dotted guides in the boxes
    write_photos(tmp_path, form, mode="scan")
    [read] = read_paths([tmp_path])
    for name in ("suara_sah", "suara_tidak_sah", "suara_total"):
        field = read.fields[name]
        assert field.digits.value is None and not field.accepted
    # The review is pre-filled with what the form's arithmetic asks for, not accepted.
    paslon = sum(form.values[f"suara_paslon_{n}"] for n in range(1, 5))
    assert read.fields["suara_sah"].value in (None, paslon)
    assert read.fields["suara_paslon_1"].value == form.values["suara_paslon_1"]


def test_bad_files_get_a_clear_error_and_the_run_goes_on(tmp_path):
    folder = tmp_path / KODE
    folder.mkdir()
    good = good_form(seed=4, bubbles="good")
    write_photos(folder, good, mode="scan")
    bomb = tmp_path / "7322012001002-bom.png"
    Image.new("1", (12_000, 12_000)).save(bomb)  # 144 MP of nothing, a few KB on disk
    truncated = tmp_path / "7322012001003-potong.jpg"
    data = encode_jpeg(np.full((400, 300), 200, np.uint8), 90)
    truncated.write_bytes(data[: len(data) // 3])
    noise = tmp_path / "7322012001004-bukan-formulir.jpg"
    noise.write_bytes(encode_jpeg(np.random.default_rng(0).integers(0, 255, (600, 400))
                                  .astype(np.uint8), 80))
    many = tmp_path / "7322012001005-banyak.pdf"
    Image.new("L", (50, 50), 255).save(many, save_all=True,
                                       append_images=[Image.new("L", (50, 50), 255)] * 30)
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("rahasia")
    with (tmp_path / "7322012001007-terkunci.pdf").open("wb") as handle:
        writer.write(handle)
    corrupt = tmp_path / "7322012001006-rusak.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
    result = run_cli("read-form", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    reads = {r["kode_tps"]: r for r in json.loads(result.output)}
    assert reads[KODE]["accepted"] is True
    errors = {kode: " ".join(r["review_reasons"]) for kode, r in reads.items()}
    assert "terlalu besar" in errors["7322012001002"]
    assert "rusak" in errors["7322012001003"] or "terpotong" in errors["7322012001003"]
    assert ("tanda sudut" in errors["7322012001004"]
            or "tidak dikenali" in errors["7322012001004"])
    assert "31 halaman" in errors["7322012001005"]
    assert "PDF rusak" in errors["7322012001006"]
    assert "terenkripsi" in errors["7322012001007"]
    assert all(not reads[k]["accepted"] for k in errors if k != KODE)


@pytest.mark.parametrize("leading", ["X", "-", "blank", "zero"])
def test_leading_positions_written_as_x_dash_blank_or_zero(tmp_path, leading):
    values = good_form(seed=6).values
    form = fill_form(load_template(KWK), KODE, np.random.default_rng(6), EVAL_WRITERS + 6,
                     values=values, bubbles="good", leading=leading)
    write_photos(tmp_path, form, mode="scan")
    [read] = read_paths([tmp_path])
    short = [n for n, v in values.items() if v < 100]
    assert len(short) >= 5
    right = [n for n in short if read.fields[n].digits.value == values[n]]
    assert len(right) >= len(short) - 1, [(n, values[n], read.fields[n].digits) for n in short]


def test_dpt_must_also_agree_with_the_region_master(tmp_path):
    form = good_form(seed=12, bubbles="good")
    write_photos(tmp_path, form, mode="scan")
    dpt = form.values["pemilih_dpt_j"]
    [agrees] = read_paths([tmp_path], master_dpt={KODE: float(dpt)})
    [differs] = read_paths([tmp_path], master_dpt={KODE: float(dpt + 7)})
    if agrees.fields["pemilih_dpt_j"].accepted:  # read right: only the master decides
        field = differs.fields["pemilih_dpt_j"]
        assert not field.accepted and any("daftar wilayah" in r for r in field.reasons)
    assert not differs.accepted


def test_template_option_forces_the_form_version(tmp_path):
    form = good_form(seed=13, bubbles="good")
    write_photos(tmp_path, form, mode="scan")
    forced = run_cli("read-form", tmp_path, "--template", "ppwp-2024", "--json")
    [read] = json.loads(forced.output)
    assert read["template"] in (None, "ppwp-2024") and read["accepted"] is False
    unknown = run_cli("read-form", tmp_path, "--template", "tidak-ada")
    assert unknown.exit_code == 2 and "kwk-2024-demo" in unknown.output
