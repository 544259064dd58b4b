"""Table Schema fields, read a column at a time with frictionless-py's exact semantics.

Each cell is first compared, raw, with the missing values; a present cell is parsed by its
field type (a failure is a type-error and no constraint is checked); a parsed value is then
checked against each constraint in the order frictionless-py uses. Integers and strings run
as Arrow kernels; the other types parse each *distinct* cell once in Python (dates, booleans
and numbers repeat a lot), which keeps them exact and fast.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SUPPORTED_TYPES = ("string", "integer", "number", "boolean", "date", "datetime", "year", "any")
# frictionless-py checks constraints in this order, per type.
CONSTRAINT_ORDER = {
    "string": ("required", "minLength", "maxLength", "pattern", "enum"),
    "integer": ("required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"),
    "boolean": ("required", "enum"),
    "any": ("required", "enum"),
}
for _numeric in ("number", "date", "datetime", "year"):
    CONSTRAINT_ORDER[_numeric] = CONSTRAINT_ORDER["integer"]
DEFAULT_TRUE = ("true", "True", "TRUE", "1")
DEFAULT_FALSE = ("false", "False", "FALSE", "0")
# Python's str.strip() removes these ASCII characters (and Unicode spaces, handled in Python).
ASCII_SPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"
BARE_NUMBER = re.compile(r"((^[^-\d]*)|(\D*$))")
# Pattern text that Arrow's RE2 matches exactly as Python's re does once anchored.
RE2_SAFE = re.compile(r"[A-Za-z0-9 ,\-_.:/@()\[\]{}|?*+^#%&=!~'\"<>;]*")


NAN_KEY = "\x00nan"


class SchemaError(ValueError):
    """The schema is outside what frictionless-py accepts (or what c1 check supports)."""


# ------------------------------------------------------------------ value readers (Python)


def read_integer(cell: str, bare: bool = True) -> int | None:
    text = cell.strip()
    if not bare:
        text = BARE_NUMBER.sub("", text)
    try:
        return int(text)
    except ValueError:
        return None


def read_number(cell: str, spec: dict[str, Any]) -> Decimal | None:
    text = cell.strip()
    if any(k in spec for k in ("groupChar", "decimalChar", "bareNumber")):
        if not spec.get("bareNumber", True):
            text = BARE_NUMBER.sub("", text)
        group = spec.get("groupChar")
        if group:
            text = text.replace(group, "")
        decimal = spec.get("decimalChar", ".")
        if decimal != ".":
            if "." in text:
                return None
            text = text.replace(decimal, ".")
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def read_boolean(cell: str, spec: dict[str, Any]) -> bool | None:
    if cell in spec.get("trueValues", DEFAULT_TRUE):
        return True
    if cell in spec.get("falseValues", DEFAULT_FALSE):
        return False
    return None


def read_date(cell: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(cell, "%Y-%m-%d").date()
    except ValueError:
        return None


def read_datetime(cell: str) -> dt.datetime | None:
    from dateutil.parser import isoparse

    try:
        if len(cell) < 19 or cell[16] != ":":
            return None
        return isoparse(cell)
    except (ValueError, OverflowError, TypeError):
        return None


def read_year(cell: str) -> int | None:
    if len(cell) != 4:
        return None
    try:
        value = int(cell)
    except ValueError:
        return None
    return value if 0 <= value <= 9999 else None


def canonical_key(value: Any) -> str | None:
    """Equality as Python compares parsed values (1 == 1.0 == True; "1" != 1); None skips."""
    if value is None:
        return None
    if isinstance(value, str):
        return "s:" + value
    if isinstance(value, bool | int):
        return "n:" + str(int(value))
    if isinstance(value, Decimal):
        if value.is_nan():
            return NAN_KEY  # a value that equals nothing, itself included (made unique per row)
        if value.is_infinite():
            return "n:inf" if value > 0 else "n:-inf"
        if value == value.to_integral_value() and value.adjusted() < 18:
            return "n:" + str(int(value))
        return "n:e" + str(value.normalize())
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return "z:" + (value - value.utcoffset()).replace(tzinfo=None).isoformat()
        return "t:" + value.isoformat()
    if isinstance(value, dt.date):
        return "d:" + value.isoformat()
    return "o:" + repr(value)


# ------------------------------------------------------------------ field model


@dataclass
class Field:
    """One schema field, with what its readers need precomputed."""

    name: str
    type: str
    spec: dict[str, Any]
    number: int  # 1-based position among the expected fields
    missing_values: tuple[str, ...]
    constraints: dict[str, Any] = field(default_factory=dict)
    bounds: dict[str, Any] = field(default_factory=dict)  # parsed minimum/maximum/...
    enum: list[Any] | None = None

    @classmethod
    def from_descriptor(cls, spec: dict[str, Any], number: int,
                        schema_missing: tuple[str, ...]) -> Field:
        ftype = spec.get("type", "string")
        if ftype not in SUPPORTED_TYPES:
            raise SchemaError(f"field {spec.get('name')!r}: type {ftype!r} is not supported "
                              f"(supported: {', '.join(SUPPORTED_TYPES[:-1])})")
        fmt = spec.get("format", "default")
        if fmt not in ("default", None) and ftype in ("date", "datetime", "string"):
            raise SchemaError(f"field {spec.get('name')!r}: format {fmt!r} is not supported "
                              "(default only)")
        missing = spec.get("missingValues")
        out = cls(name=spec["name"], type=ftype, spec=spec, number=number,
                  missing_values=tuple(missing) if missing is not None else schema_missing)
        constraints = dict(spec.get("constraints", {}))
        allowed = set(CONSTRAINT_ORDER[ftype]) | {"unique"}
        for key in constraints:
            if key not in allowed:
                raise SchemaError(f"field {out.name!r}: constraint {key!r} does not apply to "
                                  f"type {ftype!r}")
        out.constraints = constraints
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if key in constraints:
                bound = out.read_value(constraints[key])
                if bound is None:
                    raise SchemaError(f"field {out.name!r}: {key} {constraints[key]!r} is not a "
                                      f"{ftype}")
                out.bounds[key] = bound
        if "enum" in constraints:
            out.enum = [out.read_value(v) for v in constraints["enum"]]
        if "pattern" in constraints:
            try:
                re.compile(constraints["pattern"])
            except re.error as exc:
                raise SchemaError(f"field {out.name!r}: pattern is not a regex: {exc}") from None
        return out

    def read_value(self, value: Any) -> Any:
        """A descriptor value (bound, enum entry) read as frictionless does, or None."""
        if self.type == "string":
            return value if isinstance(value, str) else None
        if self.type == "integer":
            if isinstance(value, bool):
                return None
            if isinstance(value, int):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return read_integer(value, self.spec.get("bareNumber", True)) if isinstance(
                value, str) else None
        if self.type == "number":
            if isinstance(value, bool):
                return None
            if isinstance(value, int | float):
                return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
            return read_number(value, self.spec) if isinstance(value, str) else None
        if self.type == "boolean":
            return value if isinstance(value, bool) else (
                read_boolean(value, self.spec) if isinstance(value, str) else None)
        if self.type == "year":
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            return read_year(value) if isinstance(value, str) else None
        if self.type == "date":
            return read_date(value) if isinstance(value, str) else None
        if self.type == "datetime":
            return read_datetime(value) if isinstance(value, str) else None
        return value

    def python_reader(self) -> Callable[[str], Any]:
        if self.type == "integer":
            bare = self.spec.get("bareNumber", True)
            return lambda cell: read_integer(cell, bare)
        if self.type == "number":
            return lambda cell: read_number(cell, self.spec)
        if self.type == "boolean":
            return lambda cell: read_boolean(cell, self.spec)
        if self.type == "date":
            return read_date
        if self.type == "datetime":
            return read_datetime
        if self.type == "year":
            return read_year
        return lambda cell: cell


@dataclass
class FieldResult:
    """What one column's cells gave, as Arrow boolean masks (no nulls): missing values,
    type errors, failed constraints (in frictionless order); typed values and equality keys."""

    missing: pa.Array
    type_error: pa.Array
    failures: list[tuple[str, pa.Array]]
    values: pa.Array | None = None  # typed Arrow values where the type allows (integer, string)
    keys: pa.Array | None = None  # canonical equality keys (string), null where None


def _b(array: pa.Array) -> pa.Array:
    return pc.fill_null(array, False)


def _from_indices(n: int, idx) -> pa.Array:
    mask = np.zeros(n, dtype=bool)
    mask[np.asarray(idx, dtype=np.int64)] = True
    return pa.array(mask)


def indices(mask: pa.Array) -> np.ndarray:
    """Positions where a mask is true (cheap when it is sparse)."""
    return np.asarray(pc.indices_nonzero(mask).to_numpy(zero_copy_only=False), dtype=np.int64)


def missing_mask(column: pa.Array, missing_values: tuple[str, ...]) -> pa.Array:
    absent = pc.is_null(column)
    if not missing_values:
        return absent
    if missing_values == ("",):
        hit = pc.equal(pc.binary_length(column), 0)
    else:
        hit = pc.is_in(column, pa.array(list(missing_values), pa.string()))
    if column.null_count == 0:
        return hit
    return _b(pc.or_kleene(absent, hit))


def check_field(column: pa.Array, fld: Field, want_keys: bool = False) -> FieldResult:
    """Check one column of text cells (null = the cell is absent from its row)."""
    if not pa.types.is_string(column.type):
        column = pc.cast(column, pa.string())
    missing = missing_mask(column, fld.missing_values)
    present = pc.invert(missing)
    if fld.type == "string" or fld.type == "any":
        return _check_string(column, fld, missing, present, want_keys)
    if fld.type == "integer" and fld.spec.get("bareNumber", True):
        return _check_integer(column, fld, missing, present, want_keys)
    return _check_by_distinct(column, fld, missing, present, want_keys)


def _required(fld: Field, missing: pa.Array) -> list[tuple[str, pa.Array]]:
    return [("required", missing)] if fld.constraints.get("required") else []


def _none(n: int) -> pa.Array:
    return pa.repeat(pa.scalar(False), n)


def _check_string(column: pa.Array, fld: Field, missing, present, want_keys) -> FieldResult:
    n = len(column)
    failures = _required(fld, missing)
    cons = fld.constraints
    if fld.type == "string":
        for key, op in (("minLength", pc.less), ("maxLength", pc.greater)):
            if key in cons:
                failures.append((key, _b(pc.and_(present, op(pc.utf8_length(column),
                                                              cons[key])))))
        if "pattern" in cons:
            failures.append(("pattern", _b(pc.and_(present, pc.invert(
                _pattern_match(column, cons["pattern"]))))))
    if fld.enum is not None:
        allowed = pa.array([v for v in fld.enum if isinstance(v, str)], pa.string())
        failures.append(("enum", _b(pc.and_(present, pc.invert(pc.is_in(column, allowed))))))
    values = pc.if_else(present, column, pa.scalar(None, pa.string()))
    keys = pc.binary_join_element_wise("s:", values, "") if want_keys else None
    failures.sort(key=lambda item: CONSTRAINT_ORDER[fld.type].index(item[0]))
    return FieldResult(missing, _none(n), failures, values, keys)


def _pattern_match(column: pa.Array, pattern: str) -> pa.Array:
    """Python's re.match('^' + pattern + '$'), vectorised where RE2 gives the same answer."""
    if RE2_SAFE.fullmatch(pattern) and "$" not in pattern and "\\" not in pattern \
            and "(?" not in pattern:
        # re.match anchors every alternative at the start; Python's $ also matches before one
        # final newline.
        return _b(pc.match_substring_regex(column, "^(?:^" + pattern + "\n?$)"))
    regex = re.compile("^" + pattern + "$")
    return pa.array(_per_distinct(column, lambda cell: regex.match(cell) is not None, bool))


def _per_distinct(column: pa.Array, func: Callable[[str], Any], kind=object) -> np.ndarray:
    """func applied once per distinct cell, spread back over the column (nulls: None)."""
    encoded = pc.dictionary_encode(column)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    uniques = encoded.dictionary.to_pylist()
    results = np.empty(len(uniques) + 1, dtype=object)
    for i, cell in enumerate(uniques):
        results[i] = func(cell)
    results[len(uniques)] = None
    positions = encoded.indices.fill_null(len(uniques)).to_numpy(zero_copy_only=False)
    out = results[positions]
    if kind is bool:
        return np.asarray([bool(v) for v in out], dtype=bool) if len(out) else np.zeros(0, bool)
    return out


def _check_integer(column: pa.Array, fld: Field, missing, present, want_keys) -> FieldResult:
    n = len(column)
    # Fast exact path: plain ASCII digits (the common cell) cast by Arrow. Every other cell
    # ("-5", " 7 ", "+1", "1_000", Unicode digits, "x") is read once per distinct value by
    # Python's int(), as frictionless-py reads it.
    fast = pc.ascii_is_decimal(column)
    if (pc.max(pc.binary_length(column)).as_py() or 0) > 18:
        fast = pc.and_(fast, pc.less_equal(pc.binary_length(column), 18))
    if any(v.isascii() and v.isdecimal() for v in fld.missing_values):
        fast = pc.and_(fast, present)  # a missing value written in digits ("0", "999")
    fast = _b(fast)
    slow = pc.and_(present, pc.invert(fast))
    all_fast = not pc.any(slow).as_py() and column.null_count == 0 and not pc.any(
        missing).as_py()
    ints = pc.cast(column if all_fast else pc.if_else(fast, column, pa.scalar(None,
                                                                            pa.string())),
                   pa.int64())
    big: dict[int, int] = {}
    type_error = _none(n)
    if not all_fast and pc.any(slow).as_py():
        idx = indices(slow)
        parsed = _per_distinct(pc.take(column, pa.array(idx)), read_integer)
        bad, small_idx, small_values = [], [], []
        for i, value in zip(idx, parsed, strict=True):
            if value is None:
                bad.append(i)
            elif -(2**63) <= value < 2**63:
                small_idx.append(i)
                small_values.append(value)
            else:
                big[int(i)] = value
        if bad:
            type_error = _from_indices(n, bad)
        if small_idx:
            merged = np.asarray(pc.fill_null(ints, 0).to_numpy(zero_copy_only=False)).copy()
            merged[small_idx] = small_values
            known = np.asarray(fast.to_numpy(zero_copy_only=False)).copy()
            known[small_idx] = True
            ints = pa.array(merged, pa.int64(), mask=~known)
    failures = _required(fld, missing)
    extremes = pc.min_max(ints).as_py() if fld.bounds else {}
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if key not in fld.bounds:
            continue
        bound = fld.bounds[key]
        op = {"minimum": pc.less, "maximum": pc.greater, "exclusiveMinimum": pc.less_equal,
              "exclusiveMaximum": pc.greater_equal}[key]
        if -(2**63) <= bound < 2**63:
            fail = _b(op(ints, pa.scalar(bound, pa.int64()))) if _may_fail(
                extremes, key, bound) else _none(n)
        else:
            fail = pa.array([v is not None and _compare(key, v, bound) for v in ints.to_pylist()])
        if big:
            fail = _with(fail, {i: _compare(key, v, bound) for i, v in big.items()})
        failures.append((key, fail))
    if fld.enum is not None:
        allowed = [v for v in fld.enum if v is not None]
        small = [v for v in allowed if -(2**63) <= v < 2**63]
        fail = _b(pc.and_(pc.is_valid(ints), pc.invert(pc.is_in(ints, pa.array(small,
                                                                              pa.int64())))))
        if big:
            fail = _with(fail, {i: v not in allowed for i, v in big.items()})
        failures.append(("enum", fail))
    keys = None
    if want_keys:
        keys = pc.binary_join_element_wise("n:", pc.cast(ints, pa.string()), "")
        if big:
            key_list = keys.to_pylist()
            for i, value in big.items():
                key_list[i] = "n:" + str(value)
            keys = pa.array(key_list, pa.string())
    return FieldResult(missing, type_error, failures, ints, keys)


def _may_fail(extremes: dict[str, Any], key: str, bound: int) -> bool:
    """Whether any value can fail a bound: one min/max pass instead of a compare per bound."""
    low, high = extremes["min"], extremes["max"]
    if low is None:
        return False
    return _compare(key, low if key in ("minimum", "exclusiveMinimum") else high, bound)


def _with(mask: pa.Array, changes: dict[int, bool]) -> pa.Array:
    values = np.asarray(mask.to_numpy(zero_copy_only=False)).copy()
    for i, value in changes.items():
        values[i] = value
    return pa.array(values)


def _compare(key: str, value: Any, bound: Any) -> bool:
    """True when value fails the bound constraint `key`."""
    try:
        if key == "minimum":
            return value < bound
        if key == "maximum":
            return value > bound
        if key == "exclusiveMinimum":
            return value <= bound
        return value >= bound
    except TypeError:  # naive vs aware datetimes: frictionless-py itself cannot compare them
        return False


def _check_by_distinct(column: pa.Array, fld: Field, missing, present, want_keys
                       ) -> FieldResult:
    reader = fld.python_reader()
    cons_order = CONSTRAINT_ORDER[fld.type]
    bound_keys = [k for k in cons_order if k in fld.bounds]

    def judge(cell: str):
        value = reader(cell)
        if value is None:
            return (None, True, ())
        failed = [key for key in bound_keys if _fails_bound(key, value, fld.bounds[key])]
        if fld.enum is not None and not _in_enum(value, fld.enum):
            failed.append("enum")
        return (canonical_key(value), False, tuple(failed))

    judged = _per_distinct(pc.if_else(present, column, pa.scalar(None, pa.string())), judge)
    type_error = np.array([item is not None and item[1] for item in judged], dtype=bool)
    failures = _required(fld, missing)
    for key in [*bound_keys, *(["enum"] if fld.enum is not None else [])]:
        failures.append((key, pa.array([item is not None and key in item[2]
                                        for item in judged], pa.bool_())))
    keys = (pa.array([None if item is None else item[0] for item in judged], pa.string())
            if want_keys else None)
    return FieldResult(missing, pa.array(type_error), failures, None, keys)


def _fails_bound(key: str, value: Any, bound: Any) -> bool:
    if isinstance(value, Decimal) and value.is_nan():
        return True  # NaN fails every bound
    return _compare(key, value, bound)


def _in_enum(value: Any, enum: list[Any]) -> bool:
    if isinstance(value, Decimal) and value.is_nan():
        return False
    try:
        return value in enum
    except TypeError:
        return False
