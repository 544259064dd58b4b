"""Write CSV downloads safely and reproducibly.

Text cells that a spreadsheet would run as a formula (= + - @, tab, CR, and their full-width
forms) get a leading apostrophe, as OWASP advises; numbers stay numbers.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

FORMULA_START = r"^[=+\-@\t\r＝＋－＠]"


def safe_cell(text: str) -> str:
    """One text cell, neutralised like neutralise_text does for whole tables."""
    return f"'{text}" if re.match(FORMULA_START, text) else text


def neutralise_text(table: pa.Table) -> pa.Table:
    """Prefix formula-like text cells with ' in every string column."""
    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            # Empty text is written as an empty cell, like a missing number.
            column = pc.if_else(pc.equal(column, ""), pa.scalar(None, column.type), column)
            risky = pc.fill_null(pc.match_substring_regex(column, FORMULA_START), False)
            if pc.any(risky).as_py():
                column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=table.schema)


def to_arrow(frame: pd.DataFrame | pa.Table) -> pa.Table:
    if isinstance(frame, pa.Table):
        return frame
    return pa.Table.from_pandas(frame, preserve_index=False)


def write_csv(frame: pd.DataFrame | pa.Table, path: Path) -> None:
    """UTF-8 CSV, header first, quotes only where needed, formula-safe, written atomically."""
    table = neutralise_text(to_arrow(frame))
    tmp = path.with_name(f".{path.name}.tmp")
    pacsv.write_csv(table, tmp, write_options=pacsv.WriteOptions(quoting_style="needed"))
    os.replace(tmp, path)
