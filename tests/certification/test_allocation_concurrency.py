"""Applying a proposal while others write (PostgreSQL, real connections)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from certification import allocation_runs, services
from certification.models import AllocationRun, Candidate
from pixoffice.mail.models import Message
from tests.certification.test_allocation import make_eligible
from tests.factories import ProgrammeFactory, StudentFactory
from tests.factories.certification import SessionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks"),
]


def run_together(*calls):
    """Run ``calls`` at once in threads; each one's result or the ValidationError code."""
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def call(index, fn):
        try:
            start.wait()
            fn()
            outcomes[index] = "ok"
        except ValidationError as error:
            outcomes[index] = error.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def proposal(seats=3, students=3):
    geo = ProgrammeFactory(name="L2 Géographie")
    session = SessionFactory(seats=seats)
    people = [StudentFactory(programme=geo, group="TD1") for _ in range(students)]
    make_eligible(people)
    run = allocation_runs.propose_allocation(
        programmes=type(geo).objects.filter(pk=geo.pk),
        session_ids=[session.pk],
        academic_year=session.academic_year,
    )
    return session, run


def test_the_same_proposal_applied_twice_at_once_places_its_students_once():
    _session, run = proposal()

    outcomes = run_together(
        lambda: allocation_runs.apply_allocation(run_id=run.pk),
        lambda: allocation_runs.apply_allocation(run_id=run.pk),
    )

    assert sorted(outcomes) == ["applied", "ok"]
    assert Candidate.objects.count() == 3
    assert Message.objects.count() == 3
    assert AllocationRun.objects.get().version == 1


def test_an_enrolment_racing_the_application_never_overbooks():
    session, run = proposal(seats=3, students=3)
    walk_in = StudentFactory()

    outcomes = run_together(
        lambda: allocation_runs.apply_allocation(run_id=run.pk),
        lambda: services.place_candidate(session_id=session.pk, student=walk_in),
    )

    placed = Candidate.objects.filter(session=session).count()
    assert placed <= 3
    # either the proposal went first (the walk-in finds the session full) or the
    # walk-in did (the proposal is stale and writes nothing)
    assert outcomes in (["ok", "full"], ["stale", "ok"])
    assert placed == 3 if outcomes[0] == "ok" else placed == 1
