"""Property tests: every parser of exported values, the CSV reader, the sfdx reference parser
and the name normalizer take thousands of generated inputs without crashing, and keep their
promises (clean values, idempotence, round trips).

Expected failures are typed: field parsers raise FieldError, file readers InputDataError;
anything else is a bug. No database here, so these run once (no backend parametrization).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from kamgraph.errors import InputDataError
from kamgraph.ingest import fields as f
from kamgraph.ingest.csvio import PROBLEM, read_csv
from kamgraph.ingest.names import name_key
from kamgraph.ingest.sfdx import SFDX_PREFIX, parse_id, read_tree, reference_id
from kamgraph.schema.model import (
    ATTITUDES,
    DECISION_ROLES,
    FINANCE_KINDS,
    HIERARCHY_TYPES,
    INFLUENCE_LEVELS,
)

MANY = settings(max_examples=1500, deadline=None)
SOME = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ALNUM = string.ascii_letters + string.digits

#: Text a spreadsheet export can hold: any Unicode plus the characters that break parsers.
messy = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list(",;\"'\t\r\n\x00\x1b\ufeff年月日€$£¥.-/ :T+")),
    ),
    max_size=60,
)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31))


# -- fields.sf_id / any_id --------------------------------------------------------------


@MANY
@given(messy)
@example("001000000000001")
@example("001000000000001aaa")
def test_sf_id_gives_18_safe_characters_or_field_error(value: str) -> None:
    try:
        out = f.sf_id(value)
    except f.FieldError:
        return
    assert len(out) == 18 and all(c in ALNUM for c in out)
    assert f.sf_id(out) == out


@MANY
@given(st.text(alphabet=ALNUM, min_size=15, max_size=15))
def test_fifteen_char_id_and_its_18_char_form_are_one_record(short: str) -> None:
    full = f.sf_id(short)
    assert full[:15] == short
    assert f.sf_id(full) == full
    assert f.sf_id(short + full[15:].lower()) == full  # the suffix is case-insensitive
    assert f.sf_id(f" {short}\t") == full


@MANY
@given(messy)
def test_any_id_is_trimmed_printable_and_idempotent(value: str) -> None:
    try:
        out = f.any_id(value)
    except f.FieldError:
        return
    assert out and out == out.strip() and len(out) <= 200
    assert not _CONTROL.search(out)
    assert f.any_id(out) == out


# -- fields.text ------------------------------------------------------------------------


@MANY
@given(messy, st.integers(min_value=1, max_value=80))
def test_text_is_clean_bounded_and_idempotent(value: str, limit: int) -> None:
    try:
        out = f.text(value, limit=limit)
    except f.FieldError as e:
        assert "limit" in str(e)
        return
    if out is None:
        assert not _CONTROL.sub("", value).strip()
        return
    assert out == out.strip() and 0 < len(out) <= limit
    assert not _CONTROL.search(out)
    assert f.text(out, limit=limit) == out


# -- fields.date ------------------------------------------------------------------------


@MANY
@given(messy)
@example("2024年2月30日")
@example("0001-01-01")
@example("9999-12-31T00:00")
def test_date_is_iso_in_range_or_field_error(value: str) -> None:
    try:
        out = f.date(value)
    except f.FieldError:
        return
    if out is None:
        assert not value.strip()
        return
    parsed = dt.date.fromisoformat(out)
    assert 1900 <= parsed.year <= 2200
    assert out == parsed.isoformat()
    assert f.date(out) == out


@MANY
@given(
    dates,
    st.sampled_from(
        [
            "%Y-%m-%d",
            "%Y/%m/%d",
            "%d.%m.%Y",
            "%Y%m%d",
            "%m/%d/%Y",
            "%d/%m/%Y",
            "%d-%b-%Y",
            "%b %d, %Y",
            "%Y-%m-%dT%H:%M:%S.000+0000",
            "cjk",
        ]
    ),
)
def test_date_reads_every_documented_format(day: dt.date, fmt: str) -> None:
    if fmt == "cjk":
        written = f"{day.year}年{day.month}月{day.day}日"
    else:
        written = dt.datetime(day.year, day.month, day.day, 10, 0).strftime(fmt)
    # Slash dates are read in the order their column decided (kamgraph.ingest.columns).
    order = {"%m/%d/%Y": "mdy", "%d/%m/%Y": "dmy"}.get(fmt)
    assert f.date(written, order) == day.isoformat()
    if order is not None:
        # Without the column's order a value is read only when it says its order itself:
        # never swapped.
        try:
            alone = f.date(written)
        except f.FieldError:
            assert day.day <= 12
        else:
            assert alone == day.isoformat()


# -- fields.amount / number -------------------------------------------------------------


@MANY
@given(messy, st.booleans())
@example("1e400", True)
@example("-1E+999999", True)
@example("sNaN", False)
def test_amount_is_a_finite_float_or_field_error(value: str, allow_negative: bool) -> None:
    try:
        out = f.amount(value, allow_negative=allow_negative)
    except f.FieldError:
        return
    if out is None:
        assert not value.strip()
        return
    assert isinstance(out, float) and math.isfinite(out)
    assert allow_negative or out >= 0


@MANY
@given(st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False))
def test_amount_round_trips_the_spellings_exports_use(value: object) -> None:
    number = float(value)  # type: ignore[arg-type]
    assert f.amount(f"{number:.2f}", allow_negative=True) == pytest.approx(number)
    assert f.amount(f"{number:,.2f}", allow_negative=True) == pytest.approx(number)
    german = f"{number:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    assert f.amount(german, allow_negative=True) == pytest.approx(number)
    assert f.amount(f"EUR {number:.2f}", allow_negative=True) == pytest.approx(number)
    if number < 0:
        with pytest.raises(f.FieldError, match="negative"):
            f.amount(f"{number:.2f}")


@MANY
@given(messy)
@example("1e400")
@example("nan%")
def test_number_is_finite_or_field_error(value: str) -> None:
    try:
        out = f.number(value)
    except f.FieldError:
        return
    assert out is None or (isinstance(out, float) and math.isfinite(out))


# -- fields.boolean / choice ------------------------------------------------------------


@MANY
@given(messy, st.booleans())
def test_boolean_is_a_bool_or_field_error(value: str, default: bool) -> None:
    try:
        out = f.boolean(value, default=default)
    except f.FieldError:
        return
    assert isinstance(out, bool)
    if not value.strip():
        assert out is default


VOCABULARIES = (ATTITUDES, DECISION_ROLES, FINANCE_KINDS, HIERARCHY_TYPES, INFLUENCE_LEVELS)


@MANY
@given(messy, st.sampled_from(VOCABULARIES))
def test_choice_is_an_allowed_value_or_field_error(value: str, allowed: tuple[str, ...]) -> None:
    try:
        out = f.choice(value, allowed)
    except f.FieldError:
        return
    assert out is None or out in allowed


@MANY
@given(
    st.sampled_from(VOCABULARIES).flatmap(lambda v: st.tuples(st.just(v), st.sampled_from(v))),
    st.lists(st.booleans(), min_size=30, max_size=30),
)
def test_choice_matches_any_casing_to_the_canonical_spelling(
    pick: tuple[tuple[str, ...], str], upper: list[bool]
) -> None:
    allowed, option = pick
    cased = "".join(c.upper() if u else c.lower() for c, u in zip(option, upper, strict=False))
    assert f.choice(f" {cased} ", allowed) == option


# -- the CSV reader ---------------------------------------------------------------------


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    return path


def _rows_or_input_error(path: Path, encoding: str | None = None) -> list[object] | None:
    try:
        return list(read_csv(path, encoding=encoding))
    except InputDataError:
        return None


@SOME
@given(st.binary(max_size=600))
@example(b'Id,Name\n1,"Acme\n2,Beta\n')
@example(b"\xef\xbb\xbfId\n\xff\xfe\n")
@example(b"\xff\xfeI\x00d\x00\n\x00\xd8\x00")
@example(b'a\rb\r\n"\r')
def test_random_bytes_never_crash_the_reader(tmp_path: Path, data: bytes) -> None:
    rows = _rows_or_input_error(_write(tmp_path, data))
    if rows is None:
        return
    lines = [row.line for row in rows]  # type: ignore[attr-defined]
    assert lines == sorted(set(lines)), "each row is reported once, in file order"
    assert all(line >= 2 for line in lines)


csv_text = st.text(
    alphabet=st.one_of(st.sampled_from(list(',;\t"\r\n \x00')), st.characters(codec="utf-8")),
    max_size=400,
)


@SOME
@given(csv_text, st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
@example('Id,Name\n1,"Acme\n2,Beta\n3,"Gamma"\n', "utf-8")
def test_random_csv_text_never_crashes_and_every_row_is_usable_or_marked(
    tmp_path: Path, text: str, encoding: str
) -> None:
    rows = _rows_or_input_error(_write(tmp_path, text.encode(encoding)))
    for row in rows or []:
        if PROBLEM not in row.cells:  # type: ignore[attr-defined]
            # an unmarked row fills exactly the header
            assert len(row.raw) == len(row.cells)  # type: ignore[attr-defined]


header_names = st.lists(
    st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8),
    min_size=1,
    max_size=5,
    unique=True,
)
cell_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(',;\t"\r\n \x00\x1b\ufeff')), st.characters(codec="utf-8")
    ),
    max_size=30,
)


@SOME
@given(header_names, st.data(), st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
def test_well_formed_csv_round_trips_exactly(
    tmp_path: Path, names: list[str], data: st.DataObject, encoding: str
) -> None:
    rows = data.draw(
        st.lists(st.lists(cell_text, min_size=len(names), max_size=len(names)), max_size=8)
    )
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows(rows)
    path = _write(tmp_path, buf.getvalue().encode(encoding))
    declared = encoding if encoding == "gb18030" else None  # GB18030 is sniffed, not promised
    got = list(read_csv(path, encoding=declared))
    expected = [r for r in rows if any(c.strip() for c in r)]
    assert [row.raw for row in got] == expected
    assert all(PROBLEM not in row.cells for row in got)
    assert [row.cells for row in got] == [dict(zip(names, r, strict=True)) for r in expected]


# -- the sfdx tree reference parser -----------------------------------------------------


@MANY
@given(messy)
@example("@ref001000000000001AAA")
@example("@")
@example("ref001000000000001")
def test_reference_id_never_crashes_and_parse_id_accepts_it(ref: str) -> None:
    out = reference_id(ref)
    assert out.startswith(SFDX_PREFIX) or (len(out) == 18 and all(c in ALNUM for c in out))
    try:
        parsed = parse_id(out)
    except f.FieldError:
        assert out.strip() == SFDX_PREFIX or out != out.strip()
        return
    assert parsed == out.strip()


@MANY
@given(st.text(alphabet=ALNUM + "_", min_size=1, max_size=20))
def test_reference_ids_round_trip_through_parse_id(ref: str) -> None:
    assert parse_id(reference_id("@" + ref)) == reference_id(ref)


@MANY
@given(messy)
def test_parse_id_gives_an_id_or_field_error(value: str) -> None:
    try:
        out = parse_id(value)
    except f.FieldError:
        return
    assert out == parse_id(out)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["attributes", "records", "type", "referenceId", "Name", "Contacts", "AccountId"]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(json_values)
@example({"records": [1]})
def test_random_tree_json_only_raises_input_data_error(tmp_path: Path, value: object) -> None:
    folder = tmp_path / "tree"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / "Account.json").write_text(
        json.dumps(
            {"records": [{"attributes": {"type": "Account"}}], "x": value}
            if not isinstance(value, dict)
            else value
        ),
        encoding="utf-8",
    )
    try:
        read_tree(folder)
    except InputDataError:
        pass


# -- the name normalizer ----------------------------------------------------------------

name_pieces = st.one_of(
    st.characters(codec="utf-8"),
    st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),  # full-width ASCII
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK ideographs
    st.sampled_from(
        [
            "有限公司",
            "集团",
            "分公司",
            "股份有限公司",
            " GmbH",
            " Inc.",
            " & Co. KG",
            " f/k/a ",
            " L.L.C.",
            "(",
            ")",
            "（",
            "）",
            "The ",
            " Holding",
            " S.A.",
            "Gesellschaft mit beschränkter Haftung",
            " ",
            "-",
            "_",
            "ｸﾞﾙｰﾌﾟ",
        ]
    ),
)
names = st.lists(name_pieces, max_size=12).map("".join)


@settings(max_examples=3000, deadline=None)
@given(names)
@example("The The Inc")
@example("Holding GmbH AG")
@example("ｆ／ｋ／ａ Ｘ")
@example("集团有限公司分公司")
def test_name_key_never_crashes_and_is_idempotent(name: str) -> None:
    key = name_key(name)
    assert isinstance(key, str)
    assert name_key(key) == key


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + " .,&-()", max_size=30))
def test_name_key_ignores_width_and_case(name: str) -> None:
    assume(name.strip())
    assert name_key(_full_width(name)) == name_key(name)
    assert name_key(name.upper()) == name_key(name.lower())
