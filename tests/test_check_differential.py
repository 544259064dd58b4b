"""`c1 check` gives frictionless-py's answers: a differential test.

Hypothesis draws schemas (types, constraints, keys, missing values) and tables (malformed
cells, blank and ragged rows, header faults, delimiters, line ends, BOM); each is validated by
the installed frictionless-py (no error limit) and by our engine, and the multisets of
(type, rowNumber, fieldNumber) must be equal. Examples are derandomized (fixed seed) and
bounded. Mismatches found while building live on as regression cases in
tests/fixtures/check_regressions/.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.check import check_file, check_package

frictionless = pytest.importorskip("frictionless")

REGRESSIONS = Path(__file__).parent / "fixtures" / "check_regressions"

CELLS = {
    "integer": ["0", "1", "01", "+1", "-5", " 7 ", "1_000", "١٢", "x", "1.0", "3", "42",
                "99999999999999999999", "1e3", "- 3"],
    "number": ["1.5", "1.", "-.5", "1e3", "NaN", "inf", "1,5", "x", "2", "1.0", "1,000.5",
               "1.000,5", "$1", "10%"],
    "boolean": ["true", "True", "FALSE", "0", "1", "yes", " true", "Y", "N"],
    "date": ["2024-01-05", "2024-1-5", "2024-02-30", "24-01-05", "2024-01-05T00:00:00",
             "1999-12-31"],
    "datetime": ["2024-01-05T10:00:00", "2024-01-05 10:00:00", "2024-01-05T10:00:00Z",
                 "2024-01-05T10:00", "x", "2024-01-05T10:00:00+07:00"],
    "year": ["2024", "0999", "999", "-1", " 999", "1e03", "2025"],
    "string": ["a", "abc", "ab", "a b", "ｘ", "123", "=1+1", "x,y", 'q"uote', "line\nbreak",
               "abc\n", " abc", "b", '"quoted"', "x;y", "café", "a\tb", "\u00a0a"],
}
COMMON = ["", "NA", "-", " ", "\u3000"]
PATTERNS = ["a.c", "[0-9]{2,3}", "a|b", r"\d+", "x.*", "[a-c]+"]
MISSING = [None, [""], ["", "NA"], ["NA"], ["-", ""], []]


@st.composite
def field_specs(draw, index: int):
    ftype = draw(st.sampled_from(list(CELLS)))
    spec: dict = {"name": f"f{index}", "type": ftype}
    cons: dict = {}
    if draw(st.booleans()):
        cons["required"] = True
    if draw(st.integers(0, 5)) == 0:
        cons["unique"] = True
    if ftype == "integer":
        if draw(st.booleans()):
            cons["minimum"] = draw(st.integers(-3, 5))
        if draw(st.booleans()):
            cons["maximum"] = draw(st.integers(0, 50))
        if draw(st.integers(0, 4)) == 0:
            spec["bareNumber"] = False
    elif ftype == "number":
        if draw(st.booleans()):
            cons["minimum"] = draw(st.sampled_from([0, 1.5, -1]))
        choice = draw(st.integers(0, 5))
        if choice == 0:
            spec["decimalChar"] = ","
        elif choice == 1:
            spec["groupChar"] = ","
        elif choice == 2:
            spec["bareNumber"] = False
    elif ftype == "boolean" and draw(st.booleans()):
        spec["trueValues"], spec["falseValues"] = ["Y", "yes"], ["N"]
    elif ftype == "date" and draw(st.booleans()):
        cons["minimum"] = "2000-01-01"
    elif ftype == "year" and draw(st.booleans()):
        cons["maximum"] = draw(st.sampled_from([2024, "2000"]))
    elif ftype == "string":
        if draw(st.booleans()):
            cons["minLength"] = draw(st.integers(0, 3))
        if draw(st.booleans()):
            cons["maxLength"] = draw(st.integers(1, 5))
        if draw(st.booleans()):
            cons["pattern"] = draw(st.sampled_from(PATTERNS))
    if draw(st.integers(0, 4)) == 0:
        pool = [c for c in CELLS[ftype] if c.strip()]
        cons["enum"] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
        if ftype == "integer":
            cons["enum"] = [v for v in cons["enum"] if _int_or_none(v) is not None] or [1]
        if ftype in ("number", "boolean", "date", "datetime", "year"):
            cons.pop("enum")
    if cons:
        spec["constraints"] = cons
    return spec


def _int_or_none(text: str):
    try:
        return int(text.strip())
    except ValueError:
        return None


@st.composite
def schemas(draw):
    n = draw(st.integers(1, 4))
    fields = [draw(field_specs(i)) for i in range(n)]
    schema: dict = {"fields": fields}
    missing = draw(st.sampled_from(MISSING))
    if missing is not None:
        schema["missingValues"] = missing
    key = draw(st.integers(0, 5))
    if key == 0:
        schema["primaryKey"] = [fields[0]["name"]]
    elif key == 1 and n > 1:
        schema["primaryKey"] = [fields[1]["name"], fields[0]["name"]]
    if n > 1 and draw(st.integers(0, 4)) == 0:
        schema["foreignKeys"] = [{"fields": [fields[1]["name"]],
                                  "reference": {"resource": "", "fields": [fields[0]["name"]]}}]
    return schema


@st.composite
def tables(draw, schema):
    fields = schema["fields"]
    labels = [f["name"] for f in fields]
    fault = draw(st.integers(0, 9))
    if fault == 0:
        labels[draw(st.integers(0, len(labels) - 1))] = "renamed"
    elif fault == 1 and len(labels) > 1:
        labels[1] = labels[0]
    elif fault == 2:
        labels[draw(st.integers(0, len(labels) - 1))] = ""
    elif fault == 3 and len(labels) > 1:
        labels = labels[:-1]
    elif fault == 4:
        labels = [*labels, "extra"]
    elif fault == 5:
        labels[0] = labels[0].upper()
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        shape = draw(st.integers(0, 14))
        if shape == 0:
            rows.append([])  # an empty line
            continue
        cells = [draw(st.sampled_from(CELLS[f["type"]] + COMMON)) for f in fields]
        if shape == 1:
            cells = cells[:draw(st.integers(0, len(cells)))]
        elif shape == 2:
            cells = [*cells, draw(st.sampled_from(["", "x", "9"]))]
        elif shape == 3:
            cells = [""] * len(cells)
        rows.append(cells)
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t", "|"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    raw_rows = draw(st.integers(0, 5)) == 0  # rows joined by hand: bare quotes, ", " gaps
    gap = draw(st.sampled_from(["", "", " "])) if raw_rows else ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=ending)
    for _ in range(draw(st.sampled_from([0, 0, 0, 0, 1, 2]))):
        if draw(st.booleans()):
            writer.writerow(["judul tabel"])
        else:
            buffer.write(ending)
    writer.writerow(labels)
    for cells in rows:
        if not cells:
            buffer.write(ending)
        elif raw_rows:
            buffer.write((delimiter + gap).join(c.replace("\n", " ") for c in cells) + ending)
        else:
            writer.writerow(cells)
    text = buffer.getvalue()
    if draw(st.integers(0, 9)) == 0:
        text = text.rstrip("\r\n")  # no final newline
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


def frictionless_errors(path: Path, schema: dict) -> Counter:
    from frictionless import Schema, validate

    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        report = validate(path.name, schema=Schema.from_descriptor(schema), limit_errors=0)
    finally:
        os.chdir(cwd)
    return Counter((e["type"], e.get("rowNumber"), e.get("fieldNumber"))
                   for task in report.to_descriptor()["tasks"] for e in task["errors"])


def our_errors(report: dict) -> Counter:
    return Counter((e["type"], e.get("rowNumber"), e.get("fieldNumber"))
                   for task in report["tasks"] for e in task["errors"])


def assert_same(tmp: Path, data: bytes, schema: dict) -> None:
    path = tmp / "table.csv"
    path.write_bytes(data)
    expected = frictionless_errors(path, schema)
    ours = our_errors(check_file(path, schema))
    if expected != ours:
        case = {"csv": data.decode("utf-8", "replace"), "schema": schema}
        pytest.fail("c1 check differs from frictionless\n"
                    f"case: {json.dumps(case, ensure_ascii=False)}\n"
                    f"frictionless only: {sorted((expected - ours).items(), key=str)}\n"
                    f"c1 check only:     {sorted((ours - expected).items(), key=str)}")


@st.composite
def cases(draw):
    schema = draw(schemas())
    return schema, draw(tables(schema))


@settings(max_examples=int(os.environ.get("C1_DIFF_EXAMPLES", "150")),
          derandomize=not os.environ.get("C1_DIFF_RANDOM"),
          deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_same_errors_as_frictionless(case, tmp_path):
    schema, data = case
    assert_same(tmp_path, data, schema)


def _regressions():
    if not REGRESSIONS.is_dir():
        return []
    return sorted(REGRESSIONS.glob("*.json"))


@pytest.mark.parametrize("path", _regressions(), ids=lambda p: p.stem)
def test_regression_cases(path, tmp_path):
    case = json.loads(path.read_text(encoding="utf-8"))
    assert_same(tmp_path, case["csv"].encode(case.get("encoding", "utf-8")), case["schema"])


@settings(max_examples=int(os.environ.get("C1_DIFF_PACKAGE_EXAMPLES", "30")),
          derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(parents=st.lists(st.sampled_from(["1", "2", "3", "01", "x", ""]), max_size=5),
       children=st.lists(st.tuples(st.sampled_from(["a", "b", "c", "a"]),
                                   st.sampled_from(["1", "2", "4", "", "x", "02"])), max_size=8),
       parent_type=st.sampled_from(["integer", "string"]))
def test_foreign_keys_across_a_package(parents, children, parent_type, tmp_path):
    from frictionless import Package

    (tmp_path / "parent.csv").write_text("id,name\n" + "".join(f"{p},n\n" for p in parents))
    (tmp_path / "child.csv").write_text("code,parent\n" + "".join(f"{c},{p}\n"
                                                                  for c, p in children))
    descriptor = {"resources": [
        {"name": "parent", "path": "parent.csv",
         "schema": {"fields": [{"name": "id", "type": parent_type}, {"name": "name"}]}},
        {"name": "child", "path": "child.csv",
         "schema": {"fields": [{"name": "code"}, {"name": "parent", "type": "integer"}],
                    "primaryKey": ["code"],
                    "foreignKeys": [{"fields": ["parent"],
                                     "reference": {"resource": "parent", "fields": ["id"]}}]}},
    ]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    expected = Package(descriptor, basepath=str(tmp_path)).validate(limit_errors=0)
    want = Counter((t["name"], e["type"], e.get("rowNumber"), e.get("fieldNumber"))
                   for t in expected.to_descriptor()["tasks"] for e in t["errors"])
    ours = check_package(tmp_path / "datapackage.json")
    got = Counter((t["name"], e["type"], e.get("rowNumber"), e.get("fieldNumber"))
                  for t in ours["tasks"] for e in t["errors"])
    assert got == want


@settings(max_examples=int(os.environ.get("C1_DIFF_PARTITION_EXAMPLES", "40")),
          derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_partitioned_key_checks_agree(case, tmp_path, monkeypatch):
    """Large tables split their keys into partitions: the answers must not change."""
    from pipeline.check import engine

    monkeypatch.setattr(engine, "PARTITION_ROWS", 2)
    schema, data = case
    assert_same(tmp_path, data, schema)
