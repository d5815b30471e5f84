"""``manage.py load_demo``: the demo year, the four programmes of the seeds, the sample
roster, demo accounts, the seeds' campaigns and the sample Pix exports. Safe to run
again: it converges to the same state. (It sits in the portal, the top floor, because
it fills every app.)"""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaigns.demo import load_campaigns_demo
from certification.demo import load_certification_demo
from grading.demo import load_certification_grading_demo, load_grading_demo
from pixoffice.accounts import services
from pixoffice.accounts.models import (
    AcademicYear,
    Programme,
    Role,
    Semester,
    StaffAssignment,
    Student,
    User,
)
from pixoffice.badges.demo import load_badges_demo
from pixoffice.events.demo import load_events_demo
from pixoffice.portal.archive_demo import load_archive_demo
from rooms.demo import load_rooms_demo

DEMO_DIR = Path(__file__).resolve().parents[3] / "accounts" / "demo"
DEMO_PASSWORD = "pixoffice-demo"  # noqa: S105 (published demo password, dev only)
PROGRAMMES = ["L2 Géographie", "L2 Histoire", "L2 SED", "L2 Sociologie"]

# email, first name, last name, role, programmes followed, roster student number
ACCOUNTS = [
    ("amelie.dupont@etu.univ-exemple.fr", "Amélie", "Dupont", Role.STUDENT, [], "03879433"),
    ("aurelien.simon@etu.univ-exemple.fr", "Aurélien", "Simon", Role.STUDENT, [], "21093462"),
    ("equipe@univ-exemple.fr", "Claire", "Martin", Role.STAFF, PROGRAMMES, None),
    ("equipe-histoire@univ-exemple.fr", "Paul", "Bernard", Role.STAFF, ["L2 Histoire"], None),
    ("admin@univ-exemple.fr", "Nadia", "Admin", Role.ADMIN, [], None),
]


def academic_year_for(today: dt.date) -> tuple[str, dt.date, dt.date]:
    start_year = today.year if today.month >= 9 else today.year - 1
    return (
        f"{start_year}-{start_year + 1}",
        dt.date(start_year, 9, 1),
        dt.date(start_year + 1, 8, 31),
    )


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        name, start, end = academic_year_for(dt.date.today())  # noqa: DTZ011 (a calendar date)
        year, _ = AcademicYear.objects.update_or_create(
            name=name, defaults={"start": start, "end": end}
        )
        Semester.objects.update_or_create(
            academic_year=year,
            number=1,
            defaults={"start": start, "end": dt.date(start.year + 1, 1, 31)},
        )
        Semester.objects.update_or_create(
            academic_year=year,
            number=2,
            defaults={"start": dt.date(start.year + 1, 2, 1), "end": end},
        )
        programmes = {p: Programme.objects.get_or_create(name=p)[0] for p in PROGRAMMES}

        data = (DEMO_DIR / "roster-students.csv").read_bytes()
        plan = services.plan_roster_import(data, by=None, academic_year=year)
        if plan.refused:
            raise CommandError("; ".join(str(e) for e in plan.errors))
        if plan.created or plan.updated:
            roster_import = services.store_roster_file(
                data,
                name="roster-students.csv",
                by=None,
                mapping=plan.mapping,
                academic_year=year,
                summary=plan.summary(),
            )
            services.apply_roster_import(roster_import.pk)

        for email, first, last, role, followed, number in ACCOUNTS:
            user, _ = User.objects.update_or_create(
                email=email,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "role": role,
                    "is_superuser": role == Role.ADMIN,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            for programme in followed:
                StaffAssignment.objects.get_or_create(user=user, programme=programmes[programme])
            if number:
                Student.objects.filter(student_number=number).update(user=user)

        codes = load_campaigns_demo(year)
        requirement = load_badges_demo(
            year,
            Semester.objects.get(academic_year=year, number=1),
            list(programmes.values()),
        )
        schemes = load_grading_demo(year, requirement)
        rooms = load_rooms_demo(year)
        load_certification_demo(
            year, rooms, invigilators=User.objects.filter(email="equipe@univ-exemple.fr")
        )
        schemes.append(load_certification_grading_demo(year))
        load_events_demo(year, programmes)
        # a year past retention, for purge_personal_data (made again after a purge)
        archive = load_archive_demo(year)
        students, archived = (
            Student.objects.filter(academic_year=y).count() for y in (year, archive)
        )

        self.stdout.write(
            self.style.SUCCESS(
                f"Démo prête : {students} étudiants, {len(PROGRAMMES)} formations, "
                f"année {year}, campagnes {', '.join(codes)}, notation « {', '.join(schemes)} », archive {archive} ({archived} étudiants, à purger). Comptes (mot de passe « {DEMO_PASSWORD} ») :"
            )
        )
        for email, _first, _last, role, followed, _number in ACCOUNTS:
            scope = (
                f" ({', '.join(followed)})" if followed and len(followed) < len(PROGRAMMES) else ""
            )
            self.stdout.write(f"  {Role(role).label:<22} {email}{scope}")
