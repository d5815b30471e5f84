"""What a Pix Orga results export looks like: its kinds, columns and dates, the rows
read from it, and where each needed column is (``Layout``, worked out once from the
header). Knows no Django.

Pix writes UTF-8 with a BOM, ``;``, ``"Oui"``/``"Non"``/``"NA"``, a decimal comma,
a ``'`` before ``- @ = +`` and Paris times ``JJ/MM/AAAA HH:MM``; an Excel round trip
gives cp1252, CRLF and sometimes ``,``. Older exports say ``Date de l'envoi`` with
``AAAA-MM-DD`` (a UTC date). One learner may have several rows (several sendings).
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import orjson

from pixoffice.tabular import FileRefused, RowError

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
    # the results per competence as JSON text, stored as is: profiles
    # {"1.1": [level, pix]}, assessment {"1.1": [rate, targeted, validated]}
    results: str = "{}"
    progression: float | None = None
    started_at: dt.datetime | None = None
    mastery_rate: float | None = None
    stage: int | None = None
    stage_count: int | None = None
    badges: dict[str, bool | None] = field(default_factory=dict)
    raw: list[str] | None = None  # the row's cells as read (the snapshot kept with the share)

    @property
    def competences(self) -> dict[str, list]:
        return orjson.loads(self.results)

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
    pix_ids: set[str] = field(default_factory=set)  # the « ID Campagne » values
    # rows identical in every cell to an earlier one (two exports pasted together, a row
    # copied twice): the same sending, imported once and named in the preview
    warnings: list[RowError] = field(default_factory=list)


def normalise(text: str) -> str:
    """Compare headers without accents, case, typographic apostrophes or extra spaces."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


# key -> spellings, current first (older ones follow). The columns before the names
# (organisation, campaign, « Parcours ») are not needed.
COMMON = {
    "pix_id": ("ID Campagne",),  # Pix's own number of the campaign, checked once known
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


class Layout:
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
            # recognisably a Pix export (its kind's columns are there): name what is missing
            raise FileRefused(f"{plural or 'Colonne obligatoire absente'} : {quoted}.")
        self._find_identifiers(external_id_label)
        self.stage_col = self.stage_count = None
        self.badges: list[tuple[str, int]] = []
        if self.kind == ASSESSMENT:
            for index, text in enumerate(norm):
                if match := STAGE_RE.fullmatch(text):
                    self.stage_col, self.stage_count = index, int(match.group(1))
                elif text.endswith(normalise(BADGE_SUFFIX)):
                    self.badges.append((header[index][: -len(BADGE_SUFFIX)].strip(), index))

    def profile_numbers(self, framework: Framework) -> tuple[list[int], list[int]]:
        """The number columns of a profiles export and the highest value of each: total
        pix, certifiable competences, then the level and pix of each competence."""
        max_level, max_pix = framework.max_level, framework.max_level * framework.pix_per_level
        n_competences = len(framework.competences)
        columns = [self.col["total_pix"], self.col["certifiable_count"]]
        columns += [i for _code, slots in self.competences for i in slots]
        highs = [n_competences * max_pix, n_competences]
        return columns, highs + [max_level, max_pix] * len(self.competences)

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
