"""Pix Orga campaign result exports: profiles collection and assessment.

Knows no Django: the uploaded bytes and the Pix framework in, a ``ParsedFile`` out.
Whole-file problems raise ``FileRefused`` (French message); row problems become
``RowError`` objects sorted by line, and the file must then be refused as a whole.
Pix writes UTF-8 with a BOM, ``;``, ``"Oui"``/``"Non"``/``"NA"``, a decimal comma,
a ``'`` before ``- @ = +`` and Paris times ``JJ/MM/AAAA HH:MM``; an Excel round trip
gives cp1252, CRLF and sometimes ``,``. Older exports say ``Date de l'envoi`` with
``AAAA-MM-DD`` (a UTC date). One learner may have several rows (several sendings).
"""

import csv
import datetime as dt
import gc
import io
import re
import unicodedata
from dataclasses import dataclass, field
from operator import gt, itemgetter
from zoneinfo import ZoneInfo

from pixoffice.tabular import FileRefused, format_size, read_table, unguard
from pixoffice.tabular.reading import decode_text, detect_kind, sniff_delimiter

PROFILES_COLLECTION = "profiles_collection"
ASSESSMENT = "assessment"
PARIS = ZoneInfo("Europe/Paris")
STUDENT_NUMBER = "Numéro Étudiant"  # the managed column, compared exactly (capital É)
NOT_PIX = "Ce fichier n'est pas un export de résultats Pix Orga."
NO_COLUMNS = (
    "Impossible de trouver les colonnes : la première ligne doit contenir les en-têtes "
    "séparés par « ; » (ou « , »)."
)
MIN_COLUMNS = 8  # a Pix export has more; fewer means a wrong delimiter
OLD_NAMES = {"Évoluer dans un environnement numérique": "5.2"}  # older name of a competence
NA_OR_EMPTY = ("NA", "")


@dataclass(frozen=True)
class Framework:
    competences: tuple[tuple[str, str], ...]  # (code, French name), 1.1 … 5.2
    max_level: int  # highest open level
    pix_per_level: int = 8


@dataclass(frozen=True)
class RowError:
    line: int
    message: str
    column: str = ""

    def __str__(self):
        return f"Ligne {self.line} : {self.message}" if self.line else self.message


@dataclass(slots=True)
class ParsedRow:
    line: int  # file line (1 = header)
    code: str
    last_name: str
    first_name: str
    group: str
    student_number: str  # the managed « Numéro Étudiant »
    external_id: str
    shared: bool
    shared_at: dt.datetime | None  # aware, UTC
    total_pix: int | None = None
    certifiable: bool | None = None
    certifiable_count: int | None = None
    # profiles {"1.1": [level, pix]}; assessment {"1.1": [rate, targeted, validated]}
    competences: dict[str, list] = field(default_factory=dict)
    progression: float | None = None
    started_at: dt.datetime | None = None
    mastery_rate: float | None = None
    stage: int | None = None
    stage_count: int | None = None
    badges: dict[str, bool | None] = field(default_factory=dict)

    @property
    def identifier(self) -> str:
        """The managed student number, else the external id."""
        return self.student_number or self.external_id


@dataclass
class ParsedFile:
    kind: str
    header: list[str]
    codes: set[str]
    external_id_label: str | None
    has_student_number: bool
    rows: list[ParsedRow]
    errors: list[RowError]
    encoding: str
    delimiter: str


def normalise(text: str) -> str:
    """Compare headers without accents, case, typographic apostrophes or extra spaces."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


# key -> spellings, current first (older ones follow). The columns before the names
# (organisation, campaign, « Parcours ») are not needed.
COMMON = {
    "code": ("Code",),
    "last_name": ("Nom du Participant",),
    "first_name": ("Prénom du Participant",),
    "group": ("Groupe",),
    "division": ("Classe",),
}
KIND_COLUMNS = {
    PROFILES_COLLECTION: {
        "shared": ("Envoi (O/N)",),
        "shared_at": ("Date et heure de l'envoi (Europe/Paris)", "Date de l'envoi"),
        "total_pix": ("Nombre de pix total",),
        "certifiable": ("Certifiable (O/N)",),
        "certifiable_count": ("Nombre de compétences certifiables",),
    },
    ASSESSMENT: {
        "target_profile": ("Parcours", "Nom du Profil Cible"),
        "progression": ("% de progression",),
        "started_at": ("Date et heure de début (Europe/Paris)", "Date de début"),
        "shared": ("Partage (O/N)",),
        "shared_at": ("Date et heure du partage (Europe/Paris)", "Date du partage"),
        "mastery_rate": ("% maitrise de l'ensemble des acquis du profil",),
    },
}
REQUIRED = {
    PROFILES_COLLECTION: ("last_name", "first_name", *KIND_COLUMNS[PROFILES_COLLECTION]),
    ASSESSMENT: ("last_name", "first_name", "started_at", "shared", "shared_at", "mastery_rate"),
}
COMPETENCE_PREFIXES = {
    PROFILES_COLLECTION: ("Niveau pour la compétence ", "Nombre de pix pour la compétence "),
    ASSESSMENT: (
        "% de maitrise des acquis de la compétence ",
        "Nombre d'acquis du profil cible dans la compétence ",
        "Acquis maitrisés dans la compétence ",
    ),
}
STAGE_RE = re.compile(r"palier obtenu \(/(\d+)\)")
BADGE_SUFFIX = " obtenu (O/N)"
PARIS_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::\d{2})?)?")
ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
YES_NO = {"oui": True, "non": False}


def parse_pix_datetime(text: str, *, paris: bool = True) -> dt.datetime:
    """``JJ/MM/AAAA HH:MM`` (Paris time; an ambiguous autumn time is its first occurrence)
    or ``AAAA-MM-DD`` (a UTC date) -> aware UTC; ``ValueError`` otherwise. A date alone is
    midnight in Paris if ``paris`` (current headers), else midnight UTC (old headers)."""
    if match := PARIS_DATE_RE.fullmatch(text):
        day, month, year, hour, minute = match.groups()
        zone = PARIS if paris or hour is not None else dt.UTC
        when = dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=zone
        )
        return when.astimezone(dt.UTC)
    if match := ISO_DATE_RE.fullmatch(text):
        return dt.datetime(*map(int, match.groups()), tzinfo=dt.UTC)
    raise ValueError(text)


def _csv_rows(data: bytes):
    text, encoding = decode_text(data)
    if not text.strip():  # a BOM alone
        raise FileRefused("Le fichier est vide.")
    end = text.find("\n")
    delimiter = sniff_delimiter(text if end < 0 else text[:end])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration as error:
        raise FileRefused("Le fichier est vide.") from error
    except csv.Error as error:  # `"a"|"b"` read with `,`: a wrong delimiter
        raise FileRefused(NO_COLUMNS) from error

    def rows():
        start = reader.line_num + 1
        try:
            for row in reader:
                if any(row):
                    yield start, row
                start = reader.line_num + 1
        except csv.Error as error:
            raise FileRefused(
                f"Ligne {reader.line_num} : le fichier CSV est mal formé ({error})."
            ) from error

    return header, rows(), encoding, delimiter


class _Layout:
    """Where each needed column is, worked out once from the header."""

    def __init__(self, header: list[str], framework: Framework, external_id_label: str | None):
        self.header = header
        norm = [normalise(h) for h in header]
        first: dict[str, int] = {}
        for index, text in enumerate(norm):
            first.setdefault(text, index)
        marks = {
            kind: sum(any(normalise(s) in first for s in spellings) for spellings in cols.values())
            for kind, cols in KIND_COLUMNS.items()
        }
        if not any(marks.values()):
            raise FileRefused(
                f"{NOT_PIX} On n'y trouve ni la colonne « Envoi (O/N) » (collecte de profils) "
                "ni la colonne « Partage (O/N) » (évaluation)."
            )
        self.kind = max(marks, key=lambda kind: marks[kind])  # profiles on a tie
        spelled = {**COMMON, **KIND_COLUMNS[self.kind]}
        self.col: dict[str, int] = {}
        self.paris: dict[str, bool] = {}  # current (Paris time) spelling of a date header?
        for key, spellings in spelled.items():
            for rank, spelling in enumerate(spellings):
                if (index := first.get(normalise(spelling))) is not None:
                    self.col[key], self.paris[key] = index, rank == 0
                    break
        missing = [spelled[key][0] for key in REQUIRED[self.kind] if key not in self.col]
        self._find_competences(norm, framework, missing)
        if missing:
            quoted = ", ".join(f"« {label} »" for label in missing)
            plural = "Colonnes obligatoires absentes" if len(missing) > 1 else ""
            raise FileRefused(f"{plural or 'Colonne obligatoire absente'} : {quoted}. {NOT_PIX}")
        self._find_identifiers(external_id_label)
        self.stage_col = self.stage_count = None
        self.badges: list[tuple[str, int]] = []
        if self.kind == ASSESSMENT:
            for index, text in enumerate(norm):
                if match := STAGE_RE.fullmatch(text):
                    self.stage_col, self.stage_count = index, int(match.group(1))
                elif text.endswith(normalise(BADGE_SUFFIX)):
                    self.badges.append((header[index][: -len(BADGE_SUFFIX)].strip(), index))

    def _find_competences(self, norm: list[str], framework: Framework, missing: list[str]):
        codes = {normalise(name): code for code, name in framework.competences}
        codes.update((normalise(name), code) for name, code in OLD_NAMES.items())
        labels = COMPETENCE_PREFIXES[self.kind]
        prefixes = [normalise(label) for label in labels]
        found: dict[str, list] = {}
        for index, text in enumerate(norm):
            for position, prefix in enumerate(prefixes):
                if text.startswith(prefix):
                    code = codes.get(text[len(prefix) :].strip())
                    if code is None:
                        raise FileRefused(
                            f"Compétence inconnue dans la colonne « {self.header[index]} » : "
                            "elle ne fait pas partie du référentiel Pix."
                        )
                    slots = found.setdefault(code, [None] * len(prefixes))
                    if slots[position] is not None:
                        raise FileRefused(f"Colonne en double : « {self.header[index]} ».")
                    slots[position] = index
        self.competences: list[tuple[str, list[int]]] = []  # in framework order
        for code, name in framework.competences:
            if self.kind == PROFILES_COLLECTION or code in found:  # profiles: all 16
                slots = found.get(code, [None] * len(prefixes))
                missing.extend(labels[p] + name for p, i in enumerate(slots) if i is None)
                self.competences.append((code, slots))

    def _find_identifiers(self, label: str | None):
        header, col = self.header, self.col
        # the external id column comes just before « Envoi (O/N) » / « % de progression »
        if self.kind == PROFILES_COLLECTION:
            anchor = col["shared"]
        else:
            anchor = col.get("progression", col["started_at"])
        ext = None
        if label := (label or "").strip():
            hits = [i for i in range(anchor) if header[i] == label] or [
                i
                for i in range(anchor)
                if header[i] != STUDENT_NUMBER and normalise(header[i]) == normalise(label)
            ]
            ext = hits[-1] if hits else None
        managed = next((i for i in range(anchor) if header[i] == STUDENT_NUMBER and i != ext), None)
        last = anchor - 1
        names_end = max(col["last_name"], col["first_name"])
        if ext is None and last > names_end and last not in {*col.values(), managed}:
            ext = last
        if managed is None and ext is None:
            raise FileRefused(
                "Ce fichier ne contient aucune colonne d'identifiant (« Numéro Étudiant » ou "
                "identifiant externe de la campagne) : impossible de rattacher les résultats "
                "aux étudiants."
            )
        self.sn, self.ext = managed, ext


class _Row:
    """Cell readers for one row, used off the fast path: they record errors."""

    __slots__ = ("cells", "errors", "header", "line")

    def __init__(self, line: int, cells: list[str], header: list[str]):
        self.line, self.cells, self.header, self.errors = line, cells, header, []

    def fail(self, index: int, message: str) -> None:
        column = self.header[index]
        self.errors.append(RowError(self.line, f"{message} (colonne « {column} »).", column))

    def integer(self, index: int, high: int | None = None) -> int | None:
        text = self.cells[index].strip()
        try:
            value = int(text)
        except ValueError:
            return self.fail(index, f"« {text} » n'est pas un nombre entier")
        if value < 0 or (high is not None and value > high):
            bounds = f"entre 0 et {high}" if high is not None else "positive"
            return self.fail(index, f"la valeur {value} n'est pas {bounds}")
        return value

    def ratio(self, index: int) -> float | None:
        text = self.cells[index].strip()
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            return self.fail(index, f"« {text} » n'est pas un nombre décimal")
        if not 0 <= value <= 1:
            return self.fail(index, f"la valeur {text} n'est pas entre 0 et 1")
        return value

    def yes_no(self, index: int, *, na: bool = True) -> bool | None:
        text = self.cells[index].strip()
        value = YES_NO.get(text.lower())
        if value is None and not (na and text in NA_OR_EMPTY):
            self.fail(index, f"« {text} » n'est ni « Oui » ni « Non »")
        return value

    def date(self, index: int, paris: bool, cache: dict, verb: str) -> dt.datetime | None:
        text = self.cells[index].strip()
        if text in NA_OR_EMPTY:
            return self.fail(index, f"participation {verb} sans date")
        if text not in cache:
            try:
                cache[text] = parse_pix_datetime(text, paris=paris)
            except ValueError:
                return self.fail(index, f"date « {text} » illisible, attendu JJ/MM/AAAA HH:MM")
        return cache[text]


def parse_pix_export(
    data: bytes,
    framework: Framework,
    *,
    external_id_label: str | None = None,
    max_bytes: int | None = None,
) -> ParsedFile:
    """Read a Pix Orga results export (CSV as downloaded or resaved, or XLSX)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise FileRefused(
            f"Le fichier fait {format_size(len(data))} ; la taille maximale est {format_size(max_bytes)}."
        )
    if detect_kind(data) == "xlsx":  # a resaved export; short rows are padded
        table = read_table(data, max_bytes=max_bytes)
        header, encoding, delimiter, pad = table.header, "xlsx", "", [""] * len(table.header)
        rows = (
            (n, row + pad[len(row) :])
            for n, row in zip(table.line_numbers, table.rows, strict=True)
        )
    else:
        header, rows, encoding, delimiter = _csv_rows(data)
    header = [unguard(h.replace("\ufeff", "").strip()) for h in header]
    if len(header) < MIN_COLUMNS:
        raise FileRefused(NO_COLUMNS)
    layout = _Layout(header, framework, external_id_label)
    label = header[layout.ext] if layout.ext is not None else None
    parsed = ParsedFile(
        layout.kind, header, set(), label, layout.sn is not None, [], [], encoding, delimiter
    )
    # Tens of thousands of small lists are kept: the cyclic collector only slows that down.
    collecting = gc.isenabled()
    gc.disable()
    try:
        _parse_rows(parsed, layout, rows, framework)
    finally:
        if collecting:
            gc.enable()
    if not parsed.rows and not parsed.errors:
        raise FileRefused("Le fichier ne contient aucune participation sous les en-têtes.")
    parsed.errors.sort(key=lambda error: error.line)
    return parsed


def _text(cells: list[str], index: int | None) -> str:
    if index is None:
        return ""
    text = cells[index].strip()
    return unguard(text) if text[:1] == "'" else text


def _parse_rows(parsed: ParsedFile, layout: _Layout, rows, framework: Framework):
    col, header, width = layout.col, layout.header, len(layout.header)
    i_code, i_group, i_sn, i_ext = col.get("code"), col.get("group"), layout.sn, layout.ext
    i_last, i_first, i_shared = (col[k] for k in ("last_name", "first_name", "shared"))
    i_date, paris = col["shared_at"], layout.paris["shared_at"]
    id_columns = [header[i] for i in (i_sn, i_ext) if i is not None]
    no_id = " et ".join(f"« {c} »" for c in id_columns)
    no_id = f"aucun identifiant : {no_id} vide{'s' if len(id_columns) > 1 else ''}."
    codes = [code for code, _slots in layout.competences]
    n_competences = len(framework.competences)
    max_level, max_pix = framework.max_level, framework.max_level * framework.pix_per_level
    profiles = layout.kind == PROFILES_COLLECTION
    verb = "envoyée" if profiles else "partagée"
    if profiles:  # total, count, then level and pix of each competence: one int() sweep
        flat = [col["total_pix"], col["certifiable_count"]]
        flat += [i for _code, slots in layout.competences for i in slots]
        highs = [n_competences * max_pix, n_competences] + [max_level, max_pix] * len(codes)
        get_values, i_cert = itemgetter(*flat), col["certifiable"]  # C-speed
    else:
        rate_idx = [slots[0] for _code, slots in layout.competences]
        count_idx = [i for _code, slots in layout.competences for i in slots[1:]]
    dates: dict = {}
    seen: dict[tuple, int] = {}
    first_code: tuple[str, int] | None = None
    for line, cells in rows:
        if len(cells) < width:
            parsed.errors.append(
                RowError(line, f"la ligne a {len(cells)} cellules au lieu de {width}.")
            )
            continue
        row = _Row(line, cells, header)
        number, external = _text(cells, i_sn), _text(cells, i_ext)
        if not number and not external:
            row.errors.append(RowError(line, no_id, id_columns[0]))
        code = cells[i_code].strip() if i_code is not None else ""
        if code:
            parsed.codes.add(code)
            if first_code is None:
                first_code = (code, line)
            elif code != first_code[0]:
                row.fail(
                    i_code,
                    f"code de campagne « {code} » différent de « {first_code[0]} » "
                    f"(ligne {first_code[1]}) : un fichier ne doit contenir qu'une campagne",
                )
        shared = cells[i_shared].strip()
        shared = shared == "Oui" if shared in ("Oui", "Non") else row.yes_no(i_shared, na=False)
        item = ParsedRow(
            line, code, _text(cells, i_last), _text(cells, i_first), _text(cells, i_group),
            number, external, bool(shared), None,
        )  # fmt: skip
        if shared:
            when = dates.get(cells[i_date])
            item.shared_at = when or row.date(i_date, paris, dates, verb)
        if profiles and shared:
            certifiable = cells[i_cert]
            ok = certifiable in ("Oui", "Non")
            item.certifiable = certifiable == "Oui" if ok else row.yes_no(i_cert)
            try:
                values = list(map(int, get_values(cells)))
                if min(values) < 0 or any(map(gt, values, highs)):
                    raise ValueError
            except ValueError:  # slow path: say which cells are wrong
                values = [row.integer(i, high) for i, high in zip(flat, highs, strict=True)]
            levels, pix = values[2::2], values[3::2]
            item.total_pix, item.certifiable_count = values[0], values[1]
            item.competences = dict(
                zip(codes, map(list, zip(levels, pix, strict=True)), strict=True)
            )
        elif not profiles:
            _assessment_values(row, item, layout, dates)
            if shared:
                try:
                    rates = [float(cells[i].replace(",", ".")) for i in rate_idx]
                    counts = [int(cells[i]) for i in count_idx]
                    if codes and (min(rates) < 0 or max(rates) > 1 or min(counts) < 0):
                        raise ValueError
                except ValueError:  # slow path: say which cells are wrong
                    rates = [row.ratio(i) for i in rate_idx]
                    counts = [row.integer(i) for i in count_idx]
                triples = zip(rates, counts[0::2], counts[1::2], strict=True)
                item.competences = dict(zip(codes, map(list, triples), strict=True))
        if row.errors:
            parsed.errors.extend(row.errors)
            continue
        key = (item.identifier, item.shared_at)
        if (earlier := seen.get(key)) is not None:
            what = f"{verb} à la même date" if item.shared else f"non {verb} elle aussi"
            message = (
                f"ligne en double de la ligne {earlier} (même identifiant « {key[0]} », {what})."
            )
            parsed.errors.append(RowError(line, message))
            continue
        seen[key] = line
        parsed.rows.append(item)


def _assessment_values(row: _Row, item: ParsedRow, layout: _Layout, dates: dict):
    col, cells = layout.col, row.cells
    if (index := col.get("progression")) is not None:
        item.progression = row.ratio(index)
    if cells[col["started_at"]].strip() not in NA_OR_EMPTY:
        item.started_at = row.date(col["started_at"], layout.paris["started_at"], dates, "")
    item.stage_count = layout.stage_count
    item.badges = dict.fromkeys(name for name, _index in layout.badges)
    if item.shared:
        item.mastery_rate = row.ratio(col["mastery_rate"])
        if layout.stage_col is not None and cells[layout.stage_col].strip() not in NA_OR_EMPTY:
            item.stage = row.integer(layout.stage_col, layout.stage_count)
        item.badges = {name: row.yes_no(index) for name, index in layout.badges}
