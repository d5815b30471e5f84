"""The allocation in a real browser: from the sessions' week, staff run it for their
programme, review who goes where (the tiers-temps in the longer slot), apply it, and
the students are placed and mailed."""

import pytest

from certification.models import Candidate
from pixoffice.mail.models import Message
from tests.certification.test_allocation import make_eligible
from tests.e2e.test_smoke_journeys import log_in
from tests.factories import ProgrammeFactory, StaffFactory, StudentFactory
from tests.factories.accounts import PASSWORD
from tests.factories.certification import SessionFactory, paris
from tests.factories.rooms import RoomFactory

pytestmark = pytest.mark.e2e

SCREENSHOT = "/tmp/e2e-allocation-proposal.png"  # noqa: S108


def test_staff_allocate_review_and_apply(page, live_server):
    from playwright.sync_api import expect

    geo = ProgrammeFactory(name="L2 Géographie")
    StaffFactory(email="equipe@univ-exemple.fr", programmes=[geo])
    room = RoomFactory(name="Mercure (DR S03)", seats=37)
    SessionFactory(room=room, starts_at=paris(2027, 3, 11, 8), seats=3)
    SessionFactory(room=room, starts_at=paris(2027, 3, 11, 10, 30), seats=3)
    students = [StudentFactory(programme=geo, group="TD1") for _ in range(3)]
    students.append(
        StudentFactory(programme=geo, group="TD1", last_name="Tiers", extra_time_percent=33)
    )
    make_eligible(students)

    page.goto(live_server.url + "/certification/sessions/?semaine=2027-03-08")
    log_in(page, "equipe@univ-exemple.fr", PASSWORD)
    page.get_by_role("link", name="Allocation automatique").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Allocation automatique")
    page.get_by_label("L2 Géographie").check()
    page.get_by_label("11/03/2027 à 08:00", exact=False).check()
    page.get_by_label("11/03/2027 à 10:30", exact=False).check()
    page.get_by_role("button", name="Calculer la proposition").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposition d'allocation")
    later = page.get_by_role("table").filter(has_text="11/03/2027 10:30")
    expect(later).to_contain_text("Tiers")
    expect(later).to_contain_text("33 %")
    expect(later).to_contain_text("13:05")  # 10:30 + 15 min + 1 h 45 × 1.33
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert Candidate.objects.count() == 0
    page.get_by_role("button", name="Appliquer cette proposition").click()

    expect(page.get_by_text("Allocation appliquée (version 1)")).to_be_visible()
    expect(page.get_by_role("button", name="Appliquer cette proposition")).to_have_count(0)
    assert Candidate.objects.count() == 4
    assert Message.objects.filter(kind="certification_allocated").count() == 4
