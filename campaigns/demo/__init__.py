"""Demo campaigns: the two Saint-Étienne campaigns of the seeds (this year), and the
campaigns of the sample Pix Orga exports (last year), all with imported results so the
follow-up, the student pages and the grading scheme have something to show. This
year's results are the sample export moved into each campaign's weeks."""

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from campaigns import services
from campaigns.models import Campaign, Competence
from pixoffice.accounts.models import AcademicYear, Programme, Semester

HERE = Path(__file__).resolve().parent
PARIS = ZoneInfo("Europe/Paris")


def _deadline(year, month, day):
    return dt.datetime(year, month, day, 23, 59, tzinfo=PARIS)


def load_campaigns_demo(year: AcademicYear) -> list[str]:
    start = year.start.year
    s1 = Semester.objects.filter(academic_year=year, number=1).first()
    previous, _ = AcademicYear.objects.get_or_create(
        name=f"{start - 1}-{start}",
        defaults={"start": dt.date(start - 1, 9, 1), "end": dt.date(start, 8, 31)},
    )
    programmes = list(
        Programme.objects.filter(
            name__in=["L2 Géographie", "L2 Histoire", "L2 SED", "L2 Sociologie"]
        )
    )
    specs = [
        (
            "Campagne 1 — Saint-Étienne",
            "MJPECY231",
            Campaign.Kind.PROFILES_COLLECTION,
            year,
            s1,
            ["1.1", "2.1", "3.1", "4.1"],
            dt.date(start, 9, 15),
            _deadline(start, 10, 27),
        ),
        (
            "Campagne 2 — Saint-Étienne",
            "MJPECY232",
            Campaign.Kind.PROFILES_COLLECTION,
            year,
            s1,
            ["1.2", "2.2", "2.3", "3.2", "4.2"],
            dt.date(start, 10, 28),
            _deadline(start, 12, 8),
        ),
        (
            "Pix L1 2025-2026 — collecte",
            "URRTVG494",
            Campaign.Kind.PROFILES_COLLECTION,
            previous,
            None,
            ["1.1", "2.1", "3.1", "4.1", "5.1"],
            dt.date(start - 1, 9, 15),
            _deadline(start, 5, 31),
        ),
        (
            "Pix L1 2025-2026 — évaluation",
            "ZPJJUD566",
            Campaign.Kind.ASSESSMENT,
            previous,
            None,
            ["1.1", "1.2", "1.3"],
            dt.date(start - 1, 9, 15),
            _deadline(start, 5, 31),
        ),
    ]
    for name, code, kind, academic_year, semester, codes, opens_on, deadline in specs:
        campaign, _ = Campaign.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "academic_year": academic_year,
                "semester": semester,
                "opens_on": opens_on,
                "deadline": deadline,
                "target_level": 5,
            },
        )
        campaign.programmes.set(programmes)
        campaign.competences.set(Competence.objects.filter(code__in=codes))
    sample = (HERE / "profiles-collection-sup.csv").read_bytes()
    exports = [
        ("profiles-collection-sup.csv", sample),
        ("assessment.csv", (HERE / "assessment.csv").read_bytes()),
    ]
    # this year: campaign 1 is closed (a few shares came after its deadline), campaign 2
    # has received shares until 20 November
    for code, pix_id, end in (
        ("MJPECY231", b";612001;", _deadline(start, 10, 27) + dt.timedelta(days=3)),
        ("MJPECY232", b";612002;", _deadline(start, 11, 20)),
    ):
        campaign = Campaign.objects.get(code=code)
        export = sample.replace(b"URRTVG494", code.encode()).replace(b";574354;", pix_id)
        moved = _redated(export, campaign.opens_on, end)
        exports.append((f"Resultats-{code}.csv", moved))
    for filename, data in exports:
        plan = services.plan_result_import(data, campaign=None, by=None)
        if plan.refused:
            raise ValueError("; ".join(str(e) for e in plan.errors))
        if plan.new_shares or plan.new_participants:
            batch = services.store_result_file(data, name=filename, by=None, campaign=plan.campaign)
            services.apply_result_import(batch.pk)
    return [spec[1] for spec in specs]


SENT_AT = re.compile(rb"(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2})")


def _redated(data: bytes, first: dt.date, last: dt.datetime) -> bytes:
    """The export with its sending dates spread over ``first`` … ``last`` (Paris time),
    in the same order and proportions as in the file."""

    def parse(match) -> dt.datetime:
        day, month, year, hour, minute = (int(g) for g in match.groups())
        return dt.datetime(year, month, day, hour, minute)  # noqa: DTZ001 (wall clock)

    sent = [parse(m) for m in SENT_AT.finditer(data)]
    if not sent:
        return data
    low, high = min(sent), max(sent)
    begin = dt.datetime.combine(first, dt.time(9, 0))  # Paris wall clock, like the file
    ratio = (last.replace(tzinfo=None) - begin) / (high - low) if high > low else 0.0

    def move(match) -> bytes:
        return (begin + (parse(match) - low) * ratio).strftime("%d/%m/%Y %H:%M").encode()

    return SENT_AT.sub(move, data)
