"""The README's data dictionary is the one the schemas generate."""

from __future__ import annotations

from pipeline.dictionary import data_dictionary_markdown

from conftest import REPO


def test_readme_dictionary_matches_the_schemas():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("<!-- dictionary:start -->") + len("<!-- dictionary:start -->")
    end = text.index("<!-- dictionary:end -->")
    assert text[start:end].strip() == data_dictionary_markdown().strip()


def test_readme_gives_the_two_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
