"""Demo archive: an academic year past retention, so that ``purge_personal_data
--dry-run`` has something to list on the demo and the statistics page shows a purged
year's figures once the purge has run. (In the portal, beside ``load_demo``: it only
fills apps of the floors below.)

The year is the one that started seven years before the demo's current year (so it
stays past the default retention of five years whatever the date). Its data are made
through the project's own services, as an office would have made them then: a roster
file imported for the year (fictitious students of the four demo programmes, numbers
``98YY0001``… that no sample file uses), a Pix Orga profiles-collection campaign with
two exports (November, then January with a few new sendings and one participant
unknown to the roster), a grading scheme on the mean level whose notes are computed
and published, and two student accounts.

``load_demo`` calls it every time: it converges (nothing is imported twice). After a
purge, running ``load_demo`` again makes the archive year's data again — fine for a
demo, where the purge is there to be tried.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from campaigns import services as campaign_services
from campaigns.models import Campaign, Competence
from grading import computation as calc
from grading import grids
from grading import services as grading_services
from grading.models import Component, Grid, Scheme
from pixoffice.accounts import services as account_services
from pixoffice.accounts.models import AcademicYear, Programme, Role, Semester, Student, User

PARIS = ZoneInfo("Europe/Paris")
YEARS_BACK = 7
GRID_NAME = "Archive — niveau moyen sur 20"
SCHEME_NAME = "Enseignement Pix — archive"
CAMPAIGN_COMPETENCES = ["1.1", "2.1", "3.1", "4.1"]

# last name, first name, programme, group, birth date, extra time
STUDENTS = [
    ("Tartempion", "Aglaé", "L2 Géographie", "TD1", "12/03/1999", ""),
    ("Duchmol", "Barnabé", "L2 Géographie", "TD2", "05/07/1998", "33%"),
    ("Lambda", "Capucine", "L2 Géographie", "TD1", "21/11/1999", ""),
    ("Quidam", "Désiré", "L2 Histoire", "TD1", "30/01/1999", ""),
    ("Pignon", "Eulalie", "L2 Histoire", "TD2", "14/09/1998", ""),
    ("Bidule", "Fulbert", "L2 Histoire", "TD1", "02/02/2000", ""),
    ("Machin-Chose", "Gertrude", "L2 SED", "TD3", "18/06/1999", ""),
    ("Trucmuche", "Hippolyte", "L2 SED", "TD3", "09/12/1998", "33%"),
    ("Fenouil", "Isaure", "L2 SED", "TD2", "27/04/1999", ""),
    ("Cerfeuil", "Jocelyn", "L2 Sociologie", "TD1", "11/10/1999", ""),
    ("Persil", "Léocadie", "L2 Sociologie", "TD2", "03/05/1998", ""),
    ("Ciboulette", "Médard", "L2 Sociologie", "TD1", "25/08/1999", ""),
]
ACCOUNTS = [0, 6]  # the students who had activated their account

# per student: levels of the campaign's four competences in the first export (None: not
# sent yet), and in the second (a new sending) when they improved or sent late
FIRST = [
    (4, 3, 3, 2),
    (2, 2, 1, 1),
    None,
    (4, 4, 3, 3),
    (2, 1, 1, 1),
    (3, 3, 2, 3),
    (3, 3, 3, 3),
    None,
    (3, 2, 2, 2),
    (5, 4, 4, 3),
    (3, 3, 2, 2),
    None,
]
SECOND = {1: (3, 3, 3, 2), 2: (3, 2, 2, 2), 4: (2, 2, 2, 2), 7: (4, 3, 3, 3), 11: (1, 1, 1, 0)}
UNKNOWN = ("Inconnu", "Anatole", "TD9", "97999999", (2, 2, 2, 2))  # not in the roster


def number(start_year: int, i: int) -> str:
    return f"98{start_year % 100:02d}{i + 1:04d}"


def campaign_code(start_year: int) -> str:
    return f"ARCHIV{start_year % 1000:03d}"


def email(first: str, last: str) -> str:
    plain = first.lower().translate(str.maketrans("éèëêïîàâôöüûç", "eeeeiiaaoouuc"))
    return f"{plain}.{last.lower()}@etu.univ-exemple.fr"


def archive_year_for(current: AcademicYear) -> AcademicYear:
    start = current.start.year - YEARS_BACK
    year, _ = AcademicYear.objects.update_or_create(
        name=f"{start}-{start + 1}",
        defaults={"start": dt.date(start, 9, 1), "end": dt.date(start + 1, 8, 31)},
    )
    Semester.objects.update_or_create(
        academic_year=year,
        number=1,
        defaults={"start": year.start, "end": dt.date(start + 1, 1, 31)},
    )
    Semester.objects.update_or_create(
        academic_year=year,
        number=2,
        defaults={"start": dt.date(start + 1, 2, 1), "end": year.end},
    )
    return year


def roster_csv(start_year: int) -> bytes:
    lines = ["Numéro étudiant;Nom;Prénom;Courriel;Formation;Groupe;Date de naissance;Tiers-temps"]
    for i, (last, first, programme, group, born, extra) in enumerate(STUDENTS):
        lines.append(
            f"{number(start_year, i)};{last};{first};{email(first, last)};{programme};"
            f"{group};{born};{extra}"
        )
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def _load_roster(year: AcademicYear) -> None:
    data = roster_csv(year.start.year)
    plan = account_services.plan_roster_import(data, by=None, academic_year=year)
    if plan.refused:
        raise ValueError("; ".join(str(e) for e in plan.errors))
    if plan.created or plan.updated:
        roster_import = account_services.store_roster_file(
            data,
            name=f"liste-etudiants-{year.name}.csv",
            by=None,
            mapping=plan.mapping,
            academic_year=year,
            summary=plan.summary(),
        )
        account_services.apply_roster_import(roster_import.pk)
    for i in ACCOUNTS:
        last, first, *_rest = STUDENTS[i]
        user, _ = User.objects.update_or_create(
            email=email(first, last),
            defaults={"first_name": first, "last_name": last, "role": Role.STUDENT},
        )
        if user.has_usable_password():
            user.set_unusable_password()  # an old account: nobody logs in with it
            user.save(update_fields=["password"])
        Student.objects.filter(student_number=number(year.start.year, i)).update(user=user)


# the Pix Orga profiles-collection export: 16 competences (level, pix each)
COMPETENCES = [
    "Mener une recherche et une veille d’information",
    "Gérer des données",
    "Traiter des données",
    "Interagir",
    "Partager et publier",
    "Collaborer",
    "S’insérer dans le monde numérique",
    "Développer des documents textuels",
    "Développer des documents multimedia",
    "Adapter les documents à leur finalité",
    "Programmer",
    "Sécuriser l’environnement numérique",
    "Protéger les données personnelles et la vie privée",
    "Protéger la santé, le bien-être et l’environnement",
    "Résoudre des problèmes techniques",
    "Construire un environnement numérique",
]
POSITIONS = [0, 3, 6, 11]  # 1.1, 2.1, 3.1, 4.1 in the export's order


def _quote(value) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def pix_export(campaign: Campaign, rows: list[tuple]) -> bytes:
    """``rows``: (last, first, group, number, levels or None, sent at)."""
    header = [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Nom du Participant",
        "Prénom du Participant",
        "Groupe",
        "Numéro Étudiant",
        "Numéro étudiant",
        "Envoi (O/N)",
        "Date et heure de l'envoi (Europe/Paris)",
        "Nombre de pix total",
        "Certifiable (O/N)",
        "Nombre de compétences certifiables",
    ]
    for name in COMPETENCES:
        header += [f"Niveau pour la compétence {name}", f"Nombre de pix pour la compétence {name}"]
    lines = [";".join(_quote(h) for h in header)]
    for last, first, group, student_number, levels, sent_at in rows:
        cells = ["Université de Exemple", 519019, campaign.code, campaign.name, last, first]
        cells += [group, int(student_number), int(student_number)]
        if levels is None:
            cells += ["Non"] + ["NA"] * (4 + 2 * len(COMPETENCES))
        else:
            every = [0] * len(COMPETENCES)
            for position, level in zip(POSITIONS, levels, strict=True):
                every[position] = level
            pix = [level * 8 + 3 if level else 0 for level in every]
            certifiable = sum(1 for level in every if level)
            cells += ["Oui", sent_at.strftime("%d/%m/%Y %H:%M"), sum(pix)]
            cells += ["Oui" if certifiable >= 5 else "Non", certifiable]
            for level, n in zip(every, pix, strict=True):
                cells += [level, n]
        lines.append(";".join(_quote(c) for c in cells))
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def _load_campaign(year: AcademicYear, programmes: list[Programme]) -> Campaign:
    start = year.start.year
    campaign, _ = Campaign.objects.update_or_create(
        code=campaign_code(start),
        defaults={
            "name": f"Pix L2 {year.name} — collecte",
            "kind": Campaign.Kind.PROFILES_COLLECTION,
            "academic_year": year,
            "semester": Semester.objects.get(academic_year=year, number=1),
            "opens_on": dt.date(start, 10, 1),
            "deadline": dt.datetime(start + 1, 1, 15, 23, 59, tzinfo=PARIS),
            "target_level": 5,
        },
    )
    campaign.programmes.set(programmes)
    campaign.competences.set(Competence.objects.filter(code__in=CAMPAIGN_COMPETENCES))
    first, second = [], []
    for i, (last, first_name, _programme, group, _born, _extra) in enumerate(STUDENTS):
        n = number(start, i)
        sent = dt.datetime(start, 11, 4 + i, 10 + i % 6, 15, tzinfo=PARIS)
        first.append((last, first_name, group, n, FIRST[i], sent))
        again = SECOND.get(i)
        late = dt.datetime(start + 1, 1, 6 + i % 7, 14, 30, tzinfo=PARIS)
        second.append((last, first_name, group, n, again or FIRST[i], late if again else sent))
    last, first_name, group, n, levels = UNKNOWN
    second.append(
        (last, first_name, group, n, levels, dt.datetime(start + 1, 1, 9, 11, 0, tzinfo=PARIS))
    )
    for filename, rows in (("Resultats-novembre.csv", first), ("Resultats-janvier.csv", second)):
        data = pix_export(campaign, rows)
        plan = campaign_services.plan_result_import(data, campaign=campaign, by=None)
        if plan.refused:
            raise ValueError("; ".join(str(e) for e in plan.errors))
        if plan.new_shares or plan.new_participants:
            batch = campaign_services.store_result_file(
                data, name=filename, by=None, campaign=campaign
            )
            campaign_services.apply_result_import(batch.pk)
    return campaign


def _load_grading(year: AcademicYear, campaign: Campaign, programmes: list[Programme]) -> Scheme:
    grid = Grid.objects.filter(name=GRID_NAME, academic_year=year).first()
    if grid is None:
        grid = grids.create_grid(
            name=GRID_NAME,
            academic_year=year,
            scale=Decimal(20),
            # each quarter of a level gives one point: level 5 (the target) gives 20/20
            steps=[calc.Step(Decimal(i) / 4, Decimal(i)) for i in range(21)],
            by=None,
            input_name="niveau_moyen_min",
        )
    scheme, created = Scheme.objects.get_or_create(
        name=SCHEME_NAME,
        academic_year=year,
        defaults={
            "semester": Semester.objects.get(academic_year=year, number=1),
            "combine": Scheme.Combine.SUM,
            "scale": Decimal(20),
            "pass_mark": Decimal(10),
            "rounding": Scheme.Rounding.HALF_NEAREST,
        },
    )
    scheme.refresh_from_db()
    Component.objects.update_or_create(
        scheme=scheme,
        position=1,
        kind=Component.Kind.CAMPAIGN,
        defaults={
            "label": "Campagne de collecte",
            "campaign": campaign,
            "basis": Component.Basis.MEAN_LEVEL,
            "grid": grid,
        },
    )
    if created:
        scheme.programmes.set(programmes)
    grading_services.recompute_notes(scheme)
    for programme in programmes:
        grading_services.publish_notes(scheme, programme, by=None, reason="Démo : archive")
    return scheme


def load_archive_demo(current: AcademicYear) -> AcademicYear:
    """The archive year past retention, with its students, campaign and notes."""
    year = archive_year_for(current)
    programmes = list(
        Programme.objects.filter(name__in=sorted({s[2] for s in STUDENTS})).order_by("name")
    )
    _load_roster(year)
    campaign = _load_campaign(year, programmes)
    _load_grading(year, campaign, programmes)
    return year
