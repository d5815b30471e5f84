"""Student numbers whose leading zeros a spreadsheet may have stripped (issue 12, 3).

A roster re-saved by Excel turns ``02218411`` into ``2218411``. A number is suspect
when, with zeros put back in front, it is a number already known (in the database or
elsewhere in the file), or when the file's numbers nearly all have one length and this
one is one or two digits shorter. Suspects are warnings, never changed silently: two
different people can have numbers that differ only by a leading zero. Staff may ask
to restore the padding for the whole file; a number whose padded form is another row
of the file is then left as it is (they may be two people). Knows no Django.
"""

from collections import Counter
from dataclasses import dataclass
from itertools import chain, filterfalse
from operator import methodcaller

from pixoffice.tabular import RowError

LABEL = "Numéro étudiant"
_starts_with_zero = methodcaller("startswith", "0")


@dataclass
class Suspect:
    index: int  # position of the row in the file's validated rows
    number: str
    padded: str  # the number with its zeros put back
    known: str  # "base" | "file" | "length"
    line_of_padded: int = 0  # when the padded number is another row of the file


def short_numbers(numbers: list[str]) -> list[str]:
    """The numbers that could have lost leading zeros: digits only, not starting with 0
    (C-level filters: a roster is 20,000 numbers)."""
    return list(filterfalse(_starts_with_zero, filter(str.isdigit, numbers)))


def find_suspects(numbers: list[str], lines: list[int], known: dict[str, bool]) -> list[Suspect]:
    """``known`` maps numbers of the database that start with a zero (and whose
    zero-less form is in the file) to whether the uploader may see their student."""
    short = short_numbers(numbers)
    if not short:
        return []
    in_file = dict(zip(numbers, lines, strict=True))
    index_of = dict(zip(numbers, range(len(numbers)), strict=True))
    padded_lengths = sorted(set(map(len, filter(_starts_with_zero, chain(known, in_file)))))
    usual = _usual_length(numbers)
    suspects = []
    for number in short:
        for length in padded_lengths:
            padded = number.zfill(length)
            if length > len(number) and (padded in known or padded in in_file):
                where = "file" if padded in in_file else "base"
                suspect = Suspect(index_of[number], number, padded, where, in_file.get(padded, 0))
                suspects.append(suspect)
                break
        else:
            if usual and 1 <= usual - len(number) <= 2:
                suspects.append(Suspect(index_of[number], number, number.zfill(usual), "length"))
    suspects.sort(key=lambda s: s.index)
    return suspects


def warning(suspect: Suspect, line: int, *, visible: bool, restored: bool) -> RowError:
    """The preview's line for a suspect, restored or not."""
    zeros = len(suspect.padded) - len(suspect.number)
    lost = "le zéro en tête" if zeros == 1 else f"les {zeros} zéros en tête"
    if suspect.known == "file":
        why = f"{suspect.padded} figure ligne {suspect.line_of_padded}"
    elif suspect.known == "base":
        why = f"{suspect.padded} existe" if visible else "ce numéro avec un zéro en tête existe"
    else:
        why = f"les autres numéros ont {len(suspect.padded)} chiffres"
    if restored and suspect.known != "file":
        text = f"numéro {suspect.number} : {lost} rétabli ({suspect.padded}) ; {why}."
        text = text.replace("rétabli", "rétablis") if zeros > 1 else text
        return RowError(line, text, LABEL)
    text = f"numéro {suspect.number} : Excel a peut-être supprimé {lost} ({why})"
    if restored:  # the padded number is another row: both kept as they are
        text += " : laissé tel quel, deux personnes peuvent avoir ces numéros."
    return RowError(line, text, LABEL)


def _usual_length(numbers: list[str]) -> int:
    """The length of most numbers (digits only), when every other one is one or two
    digits shorter; else 0 (numbers of mixed lengths: nothing to say)."""
    lengths = Counter(map(len, filter(str.isdigit, numbers)))
    if len(lengths) < 2:
        return 0
    longest = max(lengths)
    if set(lengths) - {longest, longest - 1, longest - 2}:
        return 0
    return longest if lengths[longest] * 2 > sum(lengths.values()) else 0
