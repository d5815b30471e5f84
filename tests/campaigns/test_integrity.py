"""The chain's integrity is the database's: foreign keys, one participation per student
per campaign, at most one counting share per participation; the counting rule is
written once and gives the same share through every path that sets it."""

import datetime as dt
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, transaction

from campaigns import services
from campaigns.models import Campaign, Participation, Share
from pixoffice.accounts.models import Student
from tests.campaigns.importing import run_import

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def constraints(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, contype FROM pg_constraint WHERE conrelid = %s::regclass", [table]
        )
        return dict(cursor.fetchall())


def foreign_keys(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid "
            "AND a.attnum = ANY(c.conkey) WHERE c.contype = 'f' AND c.conrelid = %s::regclass",
            [table],
        )
        return {row[0] for row in cursor.fetchall()}


def unique_constraints(table: str) -> dict[str, list[str]]:
    """``pg_constraint``'s UNIQUE constraints of ``table``: name → columns in order."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conname, array_agg(a.attname ORDER BY k.n) FROM pg_constraint c"
            " CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
            " WHERE c.conrelid = %s::regclass AND c.contype = 'u' GROUP BY c.conname",
            [table],
        )
        return dict(cursor.fetchall())


# --- 1. foreign keys ------------------------------------------------------------------------


def test_participations_and_shares_have_their_foreign_keys():
    assert foreign_keys("campaigns_participation") >= {
        "campaign_id",
        "student_id",
        "first_import_id",
    }
    assert foreign_keys("campaigns_share") >= {"participation_id", "import_batch_id"}


def test_no_pointer_of_the_chain_goes_without_its_constraint():
    apps = [
        "campaigns",
        "grading",
        "pixoffice/badges",
        "rooms",
        "certification",
        "pixoffice/accounts",
    ]
    models = [p for app in apps for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    switched_off = "db_constraint" + "=False"  # spelled so that this test is not a hit itself
    assert [str(p) for p in models if switched_off in p.read_text()] == []


def test_the_database_refuses_a_participation_pointing_at_nobody(campaign):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Django's keys are checked at commit
        cursor.execute(
            "INSERT INTO campaigns_participation (campaign_id, identifier, student_id, last_name,"
            " first_name, \"group\") VALUES (%s, 'X', 987654321, 'A', 'B', '')",
            [campaign.pk],
        )


# --- 2. one participation per student -------------------------------------------------------


def test_the_database_allows_one_participation_per_student_and_campaign(roster, campaign):
    student = Student.objects.first()
    Participation.objects.create(campaign=campaign, identifier="A", student=student)
    Participation.objects.create(campaign=campaign, identifier="B")  # unmatched: any number
    Participation.objects.create(campaign=campaign, identifier="C")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(campaign=campaign, identifier="D", student=student)
    assert unique_constraints("campaigns_participation")["one_participation_per_student"] == [
        "campaign_id",
        "student_id",
    ]


def with_line(data: bytes, line: int, managed: str, external: str) -> bytes:
    """``data`` plus a copy of ``line`` (1 = header) under other identifiers."""
    lines = data.decode("utf-8-sig").split("\n")
    cells = lines[line - 1].split(";")
    cells[7], cells[8] = f'"{managed}"', f'"{external}"'
    return ("\ufeff" + "\n".join([*lines[:-1], ";".join(cells), lines[-1]])).encode()


def test_one_student_under_two_identifiers_is_refused_naming_both_lines(roster, campaign, sample):
    # line 29 is student 21093462; the new last line's managed number is unknown and its
    # external id is that student's number: today a second participation of the student
    data = with_line(sample("profiles-collection-sup.csv"), 29, "99999999", "21093462")
    last = data.decode("utf-8-sig").rstrip("\n").count("\n") + 1

    plan, batch = run_import(data, campaign=campaign)

    assert batch.status == batch.Status.REFUSED
    messages = [str(error) for error in plan.errors]
    assert len(messages) == 1
    assert messages[0].startswith(f"Ligne {last} : l'identifiant 99999999 désigne le même")
    assert "la ligne 29 (identifiant 21093462)" in messages[0]
    assert not Participation.objects.exists()  # nothing written: follow-up and note agree


def test_a_row_naming_a_student_already_stored_under_another_identifier_is_refused(
    roster, campaign, sample
):
    run_import(sample("profiles-collection-sup.csv"), campaign=campaign)
    student = Student.objects.get(student_number="21093462")
    data = with_line(sample("profiles-collection-sup.csv"), 29, "99999999", "21093462")

    plan, batch = run_import(data, campaign=campaign)

    assert batch.status == batch.Status.REFUSED
    assert "(identifiant 21093462)" in str(plan.errors[0])
    assert Participation.objects.filter(student=student).count() == 1


def test_linking_a_second_participation_is_refused_by_the_database(
    roster, campaign, sample, people
):
    run_import(sample("profiles-collection-sup.csv"), campaign=campaign)
    student = Student.objects.get(student_number="21093462")
    row = Participation.objects.get(identifier="E189966")
    with pytest.raises(ValueError, match=r"a déjà une participation .*identifiant 21093462"):
        services.link_participation(row, student, by=people["staff"])
    row.refresh_from_db()
    assert row.student_id is None


# --- 3. one counting share, one rule --------------------------------------------------------

# one participant's sendings: A the best, B the last before the deadline, C the last (late)
SENDINGS = [("A", "10/01/2026 10:00", 300), ("B", "10/03/2026 10:00", 200)]
LATE = ("C", "10/07/2026 10:00", 100)
EXPECTED = {"last_before_deadline": 200, "best": 300, "last": 100}


def export_of(sample, sendings, number="21093462") -> bytes:
    lines = sample("profiles-collection-sup.csv").decode("utf-8-sig").split("\n")
    template = lines[28].split(";")
    rows = []
    for _name, at, pix in sendings:
        cells = list(template)
        cells[7] = cells[8] = f'"{number}"'
        cells[10], cells[11] = f'"{at}"', str(pix)
        rows.append(";".join(cells))
    return ("\ufeff" + "\n".join([lines[0], *rows, ""])).encode()


def counting(campaign) -> list[int]:
    return list(
        Share.objects.filter(participation__campaign=campaign, counts=True).values_list(
            "total_pix", flat=True
        )
    )


def test_the_database_allows_one_counting_share_per_participation(campaign):
    participation = Participation.objects.create(campaign=campaign, identifier="A")
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    Share.objects.create(participation=participation, shared_at=at, counts=True)
    Share.objects.create(participation=participation, shared_at=at + dt.timedelta(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Share.objects.create(
            participation=participation, shared_at=at + dt.timedelta(2), counts=True
        )


@pytest.mark.parametrize("rule", list(EXPECTED))
def test_every_path_picks_the_same_share(roster, campaign, sample, people, rule):
    everything = export_of(sample, [*SENDINGS, LATE])
    campaign.counting_rule = rule
    campaign.save()

    run_import(everything, campaign=campaign)  # import
    assert counting(campaign) == [EXPECTED[rule]]

    Campaign.objects.filter(pk=campaign.pk).update(
        counting_rule="last" if rule != "last" else "best"
    )
    Share.objects.all().update(counts=False)
    services.recompute_counting(campaign)  # a rule change (the rule is read under the lock)
    Campaign.objects.filter(pk=campaign.pk).update(counting_rule=rule)
    services.recompute_counting(campaign)
    assert counting(campaign) == [EXPECTED[rule]]

    Participation.objects.all().delete()
    run_import(export_of(sample, SENDINGS[:1]), campaign=campaign)
    run_import(export_of(sample, SENDINGS), campaign=campaign)
    run_import(everything, campaign=campaign)  # re-imports, one sending more each time
    assert counting(campaign) == [EXPECTED[rule]]

    Participation.objects.all().delete()
    campaign.deadline = campaign.deadline + dt.timedelta(days=365)
    campaign.save()
    run_import(everything, campaign=campaign)
    campaign.deadline = campaign.deadline - dt.timedelta(days=365)
    campaign.save()
    services.recompute_counting(campaign)  # a deadline change
    assert counting(campaign) == [EXPECTED[rule]]
    assert list(Share.objects.filter(is_late=True).values_list("total_pix", flat=True)) == [100]

    Participation.objects.all().delete()
    run_import(export_of(sample, [*SENDINGS, LATE], number="X12345"), campaign=campaign)
    row = Participation.objects.get(identifier="X12345")
    services.link_participation(
        row, Student.objects.get(student_number="21093462"), by=people["staff"]
    )
    assert counting(campaign) == [EXPECTED[rule]]  # linking keeps it
