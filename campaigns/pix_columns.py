"""A clean profiles-collection export read column by column.

The big files (a whole university's collection campaign: 20,000 rows of 46 cells) are
profiles exports exactly as Pix writes them. Checking them cell by cell in Python
costs far more than reading them; here each check runs over a whole column at once,
in C: a column's distinct values are compared with the set of allowed texts (levels
``"0"``…``"7"``, pix ``"0"``…``"56"``), and the results of each row are written
straight into the JSON text that is stored.

The result is exactly the row reader's (``pix_files._parse_rows``; a test compares
them). Anything unusual, even valid (``" 5"``, ``"oui"``, an identifier missing,
a duplicate), returns ``False`` and the row reader reads the file again: it also
says what is wrong and where. Knows no Django.
"""

from functools import cache
from itertools import chain, compress
from operator import itemgetter, methodcaller

from pixoffice.tabular import unguard

from .pix_layout import NA_OR_EMPTY, Framework, Layout, ParsedFile, ParsedRow, parse_pix_datetime

YES_NO_NA = {"Oui": True, "Non": False, "NA": None, "": None}


@cache
def _texts_up_to(high: int) -> frozenset[str]:
    """``{"0", "1", …, str(high)}``: the canonical texts of the allowed values."""
    return frozenset(map(str, range(high + 1)))


def _column(body: list[list[str]], index: int | None) -> list[str]:
    """A text column, stripped, without the ``'`` Pix puts before ``- @ = +``."""
    if index is None:
        return [""] * len(body)
    cells = list(map(str.strip, map(itemgetter(index), body)))
    if any(map(methodcaller("startswith", "'"), cells)):
        cells = [unguard(cell) for cell in cells]
    return cells


def read_clean_profiles(
    parsed: ParsedFile,
    layout: Layout,
    lines: list[int],
    body: list[list[str]],
    framework: Framework,
) -> bool:
    """Fill ``parsed.rows`` and return ``True``, or return ``False`` having changed
    nothing when a cell needs the row reader."""
    col = layout.col
    codes = [code for code, _slots in layout.competences]
    if not body or len(codes) < 2 or min(map(len, body)) < len(layout.header):
        return False
    shared_cells = list(map(itemgetter(col["shared"]), body))
    if not set(shared_cells) <= {"Oui", "Non"}:
        return False
    flags = list(map("Oui".__eq__, shared_cells))
    campaign_codes = _column(body, col.get("code"))
    if len(set(campaign_codes) - {""}) > 1:
        return False
    numbers, externals = _column(body, layout.sn), _column(body, layout.ext)
    identifiers = [number or external for number, external in zip(numbers, externals, strict=True)]
    if "" in identifiers:
        return False

    shared = list(compress(body, flags))
    dates = list(map(itemgetter(col["shared_at"]), shared))
    when = {}
    for text in set(dates):  # a few hundred distinct minutes
        if text.strip() in NA_OR_EMPTY:
            return False
        try:
            when[text] = parse_pix_datetime(text.strip(), paris=layout.paris["shared_at"])
        except ValueError:
            return False
    shared_at = list(map(when.__getitem__, dates))
    certifiable = list(map(itemgetter(col["certifiable"]), shared))
    if not set(certifiable) <= YES_NO_NA.keys():
        return False
    columns, highs = layout.profile_numbers(framework)
    total, count, levels, pix = columns[0], columns[1], columns[2::2], columns[3::2]
    total_pix = list(map(itemgetter(total), shared))
    certifiable_count = list(map(itemgetter(count), shared))
    if not (
        set(total_pix) <= _texts_up_to(highs[0])
        and set(certifiable_count) <= _texts_up_to(highs[1])
        and set(chain.from_iterable(map(itemgetter(*levels), shared))) <= _texts_up_to(highs[2])
        and set(chain.from_iterable(map(itemgetter(*pix), shared))) <= _texts_up_to(highs[3])
    ):
        return False
    # the same text as orjson.dumps({"1.1": [level, pix], …}): the cells are canonical numbers
    template = "{" + ",".join(f'"{code}":[%s,%s]' for code in codes) + "}"
    results = list(map(template.__mod__, map(itemgetter(*columns[2:]), shared)))

    moments = iter(shared_at)
    keys = [
        (key, next(moments) if flag else None) for key, flag in zip(identifiers, flags, strict=True)
    ]
    if len(set(keys)) < len(keys):  # a duplicated row: the row reader names it
        return False
    figures = zip(
        map(int, total_pix),
        map(YES_NO_NA.__getitem__, certifiable),
        map(int, certifiable_count),
        results,
        strict=True,
    )
    last_names, first_names = _column(body, col["last_name"]), _column(body, col["first_name"])
    groups = _column(body, col.get("group"))
    rows = []
    for line, code, last, first, group, number, external, (_key, at), cells in zip(
        lines,
        campaign_codes,
        last_names,
        first_names,
        groups,
        numbers,
        externals,
        keys,
        body,
        strict=True,
    ):
        row = ParsedRow(line, code, last, first, group, number, external, at is not None, at)
        row.raw = cells
        if at is not None:
            row.total_pix, row.certifiable, row.certifiable_count, row.results = next(figures)
        rows.append(row)
    parsed.rows = rows
    parsed.codes = set(campaign_codes) - {""}
    parsed.pix_ids = set(_column(body, col.get("pix_id"))) - {""}
    return True
