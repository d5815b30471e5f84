"""The allocation solver on plain data, then proposals and their application."""

import dataclasses
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bench.allocation_bench import generate
from campaigns.models import Participation, Share
from certification import allocation, allocation_runs
from certification.allocation import SessionIn, StudentIn
from certification.models import (
    AllocationAssignment,
    AllocationRun,
    Candidate,
    CertificationSession,
    Unavailability,
)
from pixoffice.mail.models import Message
from tests.factories import CampaignFactory, ProgrammeFactory, StudentFactory
from tests.factories.certification import CandidateFactory, SessionFactory, paris
from tests.factories.rooms import RoomFactory

Reason = AllocationAssignment.Reason


def session(id, hour=9, *, seats=10, limit=None, accessible=True, day=11, minute=0):
    start = paris(2027, 3, day, hour, minute)
    return SessionIn(
        id=id,
        starts_at=start,
        seats_free=seats,
        limit=paris(2027, 3, day, *limit) if limit else None,
        accessible=accessible,
        room=id,
    )


def student(id, group="TD1", *, programme=1, **kwargs):
    return StudentIn(id=id, group=(programme, group), sort_key=(f"N{id:04d}",), **kwargs)


# the solver, without the database


def test_same_input_same_result_whatever_the_order_given():
    students, sessions = generate(600, 20)
    first = allocation.solve(students, sessions)
    shuffled = students[:]
    random.Random(1).shuffle(shuffled)

    again = allocation.solve(shuffled, list(reversed(sessions)))

    assert again.placed == first.placed
    assert again.unplaced == first.unplaced
    assert len(first.placed) > 500


def test_neither_placement_breaks_a_rule_and_the_solver_splits_fewer_groups():
    students, sessions = generate(1500, 50)

    solved = allocation.solve(students, sessions)
    greedy = allocation.greedy(students, sessions)

    assert allocation.violations(students, sessions, solved.placed) == []
    assert allocation.violations(students, sessions, greedy.placed) == []
    assert len(solved.placed) >= len(greedy.placed)
    assert allocation.split_groups(students, solved.placed) < allocation.split_groups(
        students, greedy.placed
    )


def test_the_violation_checker_finds_each_broken_rule():
    sessions = [session(1, 8, seats=1, limit=(10, 0), accessible=False), session(2, 10)]
    busy = ((paris(2027, 3, 11, 10, 30), paris(2027, 3, 11, 11)),)
    students = [
        student(1, extra_time_percent=33),  # ends 10:35, the room is booked from 10:00
        student(2, needs_accessible_room=True),
        student(3, unavailable=busy),
    ]

    found = allocation.violations(students, sessions, {1: 1, 2: 1, 3: 2})

    assert found == [
        "student 1: ends 2027-03-11 10:35:00+01:00 after the room's limit",
        "student 2: room of session 1 not accessible",
        "student 3: unavailable during session 2",
        "session 1: 2 placed for 1",
    ]


def test_extra_time_goes_only_where_the_room_stays_free_long_enough():
    # 8:00 is followed by another session at 10:00; 10:00 is the last of the day
    sessions = [session(1, 8, limit=(10, 0)), session(2, 10)]
    students = [student(1), student(2, extra_time_percent=33)]

    result = allocation.solve(students, sessions)
    only_short = allocation.solve(students, sessions[:1])

    assert result.placed == {1: 1, 2: 2} or result.placed[2] == 2
    assert only_short.unplaced == {2: allocation.NO_LONG_SLOT}
    # 1 h 45 × 1.33 = 140 min of test after 15 min of setup: 10:35 fits a 10:35 limit
    exact = [session(1, 8, limit=(10, 35))]
    assert allocation.solve([student(2, extra_time_percent=33)], exact).placed == {2: 1}


def test_a_wheelchair_user_gets_the_accessible_room_even_when_greedy_would_fill_it():
    sessions = [session(1, 9, seats=1, accessible=True), session(2, 14, seats=1, accessible=False)]
    students = [student(1), student(2, needs_accessible_room=True)]

    solved = allocation.solve(students, sessions)
    greedy = allocation.greedy(students, sessions)

    assert solved.placed == {1: 2, 2: 1}
    assert greedy.placed == {1: 1} and greedy.unplaced == {2: allocation.NO_SEAT}
    alone = allocation.solve(students[1:], sessions[1:])
    assert alone.unplaced == {2: allocation.NO_ACCESSIBLE_ROOM}


def test_declared_unavailable_slots_are_respected_extra_time_included():
    sessions = [session(1, 8), session(2, 14)]
    morning = ((paris(2027, 3, 11, 8), paris(2027, 3, 11, 12)),)
    # free from 10:15: a 2-hour candidate is done at 10:00, a +33 % one at 10:35
    late = ((paris(2027, 3, 11, 10, 15), paris(2027, 3, 11, 11)),)
    everything = ((paris(2027, 3, 11, 7), paris(2027, 3, 11, 18)),)
    students = [
        student(1, unavailable=morning),
        student(2, unavailable=late),
        student(3, unavailable=late, extra_time_percent=33),
        student(4, unavailable=everything),
    ]

    result = allocation.solve(students, sessions)

    assert result.placed[1] == 2
    assert result.placed[3] == 2
    assert 2 in result.placed
    assert result.unplaced == {4: allocation.UNAVAILABLE}


def test_groups_are_kept_together_where_greedy_splits_one():
    sessions = [session(1, 9, seats=15), session(2, 14, seats=10)]
    students = [student(i, "TD1") for i in range(10)] + [student(100 + i, "TD2") for i in range(15)]

    solved = allocation.solve(students, sessions)
    greedy = allocation.greedy(students, sessions)

    assert {solved.placed[i] for i in range(10)} == {2}
    assert {solved.placed[100 + i] for i in range(15)} == {1}
    assert allocation.split_groups(students, solved.placed) == 0
    assert allocation.split_groups(students, greedy.placed) == 1


def test_a_full_house_says_no_seat_and_a_closed_programme_says_so():
    sessions = [dataclasses.replace(session(1), seats_free=1, programmes=frozenset({7}))]

    result = allocation.solve([student(1, programme=7), student(2, programme=7)], sessions)
    other = allocation.solve([student(3, programme=8)], sessions)

    assert result.placed == {1: 1} and result.unplaced == {2: allocation.NO_SEAT}
    assert other.unplaced == {3: allocation.NOT_OPEN}


# proposals and their application, with the database


def make_eligible(students):
    """One profiles-collection campaign of the programme, shared certifiable."""
    first = students[0]
    campaign = CampaignFactory(
        code="ALLOC0001", academic_year=first.academic_year, programmes=[first.programme]
    )
    share_certifiable(students, campaign)
    return campaign


def share_certifiable(students, campaign):
    for s in students:
        participation = Participation.objects.create(
            campaign=campaign, identifier=s.student_number, student=s, last_name=s.last_name
        )
        Share.objects.create(
            participation=participation,
            shared_at=timezone.now(),
            certifiable=True,
            certifiable_count=5,
            counts=True,
        )


@pytest.fixture
def geo(db):
    return ProgrammeFactory(name="L2 Géographie")


@pytest.fixture
def two_sessions(db):
    room = RoomFactory(seats=30)
    return (
        SessionFactory(room=room, starts_at=paris(2027, 3, 11, 8), seats=3),
        SessionFactory(room=room, starts_at=paris(2027, 3, 11, 10, 30), seats=3),
    )


def propose(programmes, sessions, **kwargs):
    return allocation_runs.propose_allocation(
        programmes=programmes,
        session_ids=[s.pk for s in sessions],
        academic_year=sessions[0].academic_year,
        **kwargs,
    )


@pytest.mark.django_db
def test_a_proposal_places_nobody_until_applied_then_mails_each_once(geo, two_sessions):
    _a, b = two_sessions
    students = [StudentFactory(programme=geo, group="TD1") for _ in range(4)]
    students.append(StudentFactory(programme=geo, group="TD1", extra_time_percent=33))
    not_yet = StudentFactory(programme=geo, group="TD2")
    make_eligible(students)
    programmes = type(geo).objects.filter(pk=geo.pk)

    run = propose(programmes, two_sessions)

    assert Candidate.objects.count() == 0
    rows = {x.student_id: x for x in run.assignments.all()}
    assert rows[not_yet.pk].reason == Reason.INELIGIBLE
    assert "profil pas encore certifiable" in rows[not_yet.pk].detail
    # 8:00 is followed at 10:30 in the same room: a +33 % candidate (10:35) goes at 10:30
    assert rows[students[-1].pk].session == b
    assert run.summary["placed"] == 5

    applied = allocation_runs.apply_allocation(run_id=run.pk, site_url="https://pix.test")

    assert applied.version == 1 and applied.status == AllocationRun.Status.APPLIED
    assert Candidate.objects.count() == 5
    b.refresh_from_db()
    assert b.occupied_until == paris(2027, 3, 11, 13, 5)  # booked for the tiers-temps
    assert Message.objects.filter(kind="certification_allocated").count() == 5
    mail = Message.objects.get(student=students[-1])
    assert "de 10:30 à 13:05" in mail.text
    assert mail.key == f"certification:allocation:v1:student:{students[-1].pk}"
    with pytest.raises(ValidationError, match="déjà été appliquée"):
        allocation_runs.apply_allocation(run_id=run.pk)


@pytest.mark.django_db
def test_a_new_version_mails_only_those_whose_session_is_new_or_changed(geo, two_sessions):
    a, b = two_sessions
    students = [StudentFactory(programme=geo, group="TD1") for _ in range(3)]
    campaign = make_eligible(students)
    programmes = type(geo).objects.filter(pk=geo.pk)
    allocation_runs.apply_allocation(run_id=propose(programmes, [a]).pk)
    # staff take two of them out again and shrink the sessions: one seat left in a, two
    # in b, so one of them comes back to a, the other moves to b
    first, second, _third = Candidate.objects.order_by("student__last_name")
    CertificationSession.objects.filter(pk=a.pk).update(seats=2)
    CertificationSession.objects.filter(pk=b.pk).update(seats=2)
    first.delete()
    second.delete()
    newcomer = StudentFactory(programme=geo, group="TD1")
    share_certifiable([newcomer], campaign)
    Message.objects.all().delete()

    second_run = propose(programmes, [a, b])
    allocation_runs.apply_allocation(run_id=second_run.pk)

    placed = dict(Candidate.objects.values_list("student_id", "session_id"))
    earlier = {first.student_id: a.pk, second.student_id: a.pk}
    changed = {
        s for s in [first.student_id, second.student_id, newcomer.pk] if placed[s] != earlier.get(s)
    }
    mailed = set(Message.objects.values_list("student_id", flat=True))
    assert mailed == changed
    assert newcomer.pk in mailed
    assert placed[first.student_id] == a.pk  # back where they were: not told again
    assert mailed == {second.student_id, newcomer.pk}


@pytest.mark.django_db
def test_a_stale_proposal_is_refused_and_nothing_is_written(geo, two_sessions):
    a, _b = two_sessions
    students = [StudentFactory(programme=geo, group="TD1") for _ in range(3)]
    make_eligible(students)
    run = propose(type(geo).objects.filter(pk=geo.pk), [a])
    CandidateFactory(session=a)  # a seat taken meanwhile

    with pytest.raises(ValidationError, match="n'est plus à jour"):
        allocation_runs.apply_allocation(run_id=run.pk)

    assert Candidate.objects.count() == 1
    assert AllocationRun.objects.get().status == AllocationRun.Status.PROPOSED
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_student_placed_meanwhile_makes_the_proposal_stale(geo, two_sessions):
    a, b = two_sessions
    students = [StudentFactory(programme=geo, group="TD1") for _ in range(2)]
    make_eligible(students)
    run = propose(type(geo).objects.filter(pk=geo.pk), [a])
    CandidateFactory(session=b, student=students[0])

    with pytest.raises(ValidationError, match="placé·e·s entre-temps"):
        allocation_runs.apply_allocation(run_id=run.pk)


@pytest.mark.django_db
def test_unavailability_and_accessibility_come_from_the_database(geo):
    plain = SessionFactory(room=RoomFactory(wheelchair_accessible=False), seats=5)
    later = SessionFactory(
        room=RoomFactory(wheelchair_accessible=True), starts_at=paris(2027, 3, 11, 14), seats=5
    )
    wheelchair = StudentFactory(programme=geo, needs_accessible_room=True)
    busy = StudentFactory(programme=geo)
    make_eligible([wheelchair, busy])
    Unavailability.objects.create(
        student=busy, starts_at=paris(2027, 3, 11, 13), ends_at=paris(2027, 3, 11, 17)
    )

    run = propose(type(geo).objects.filter(pk=geo.pk), [plain, later])

    placed = dict(run.assignments.values_list("student_id", "session_id"))
    assert placed == {wheelchair.pk: later.pk, busy.pk: plain.pk}
    only_plain = propose(type(geo).objects.filter(pk=geo.pk), [plain])
    reasons = dict(only_plain.assignments.values_list("student_id", "reason"))
    assert reasons[wheelchair.pk] == Reason.NO_ACCESSIBLE_ROOM


@pytest.mark.django_db
def test_the_bulk_eligibility_agrees_with_the_student_page(geo):
    from certification.allocation_input import ineligibility
    from certification.eligibility import eligibility

    yes, no = StudentFactory(programme=geo), StudentFactory(programme=geo)
    make_eligible([yes])

    refused = ineligibility([yes, no])

    assert set(refused) == {no.pk}
    assert eligibility(yes).eligible and not eligibility(no).eligible


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 6])
def test_a_proposal_costs_the_same_queries_for_any_number_of_students(
    geo, two_sessions, django_assert_num_queries, count
):
    students = [StudentFactory(programme=geo, group=f"TD{i % 2}") for i in range(count)]
    make_eligible(students)
    programmes = type(geo).objects.filter(pk=geo.pk)

    # savepoint, sessions, students, eligibility (3), limits, programmes of the
    # sessions, unavailabilities, the run, its programmes (read, existing, insert) and
    # sessions (existing, insert), the assignments, release; whatever the head count
    with django_assert_num_queries(17):
        run = propose(programmes, two_sessions)

    assert run.assignments.count() == count


@pytest.mark.django_db
def test_a_session_booked_right_after_meanwhile_makes_an_extended_slot_stale(geo):
    room = RoomFactory()
    alone = SessionFactory(room=room, starts_at=paris(2027, 3, 11, 8), seats=2)
    tiers = StudentFactory(programme=geo, extra_time_percent=33)
    make_eligible([tiers])
    run = propose(type(geo).objects.filter(pk=geo.pk), [alone])
    assert run.assignments.get().session == alone  # 10:35: the room is free after
    # the room is booked from 10:00 meanwhile (the proposal would run into it)
    SessionFactory(room=room, starts_at=paris(2027, 3, 11, 10))

    with pytest.raises(ValidationError, match="n'est plus à jour"):
        allocation_runs.apply_allocation(run_id=run.pk)

    alone.refresh_from_db()
    assert alone.occupied_until == paris(2027, 3, 11, 10)
    assert not Candidate.objects.exists()
