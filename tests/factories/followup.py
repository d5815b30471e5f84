"""A campaign's follow-up world in bulk (``bulk_create``): ``n`` roster students, most of
them participants with shares, for query-count tests and the follow-up benchmark."""

import datetime as dt

from campaigns.models import Participation, Share
from tests.factories.accounts import StudentFactory

SENT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def follow_up_world(campaign, programme, n: int, *, prefix: str = "7") -> list:
    """``n`` students of ``programme``; by ``i % 10``: 0 never joined, 1 started without
    sending, 2 sent once after the deadline (not counted), 3 sent twice (the earlier
    counts, the later is late), the others sent once (counted), with levels
    ``i % 9``... on each competence of ``campaign``. Returns the students."""
    codes = list(campaign.competences.values_list("code", flat=True))
    students = StudentFactory.build_batch(
        n, programme=programme, academic_year=campaign.academic_year
    )
    for i, student in enumerate(students):
        student.student_number = f"{prefix}{i:07d}"
        student.email = f"{student.student_number}@etu.univ-exemple.fr"
        student.last_name = f"Nom{i:06d}"
    students = _bulk(students)
    participations = _bulk(
        [
            Participation(
                campaign=campaign,
                student=s,
                identifier=s.student_number,
                last_name=s.last_name,
                first_name=s.first_name,
            )
            for i, s in enumerate(students)
            if i % 10
        ]
    )
    late = campaign.deadline + dt.timedelta(days=2)
    shares = []
    for participation in participations:
        i = int(participation.identifier[len(prefix) :])
        if i % 10 == 1:
            continue
        results = {code: [(i + k) % 9, 8 * ((i + k) % 9)] for k, code in enumerate(codes)}
        common = {"participation": participation, "results": results, "total_pix": 40}
        if i % 10 == 2:
            shares.append(Share(shared_at=late, is_late=True, counts=False, **common))
            continue
        shares.append(
            Share(
                shared_at=SENT + dt.timedelta(minutes=i),
                counts=True,
                certifiable=i % 3 == 0,
                **common,
            )
        )
        if i % 10 == 3:
            shares.append(Share(shared_at=late, is_late=True, counts=False, **common))
    _bulk(shares)
    return students


def _bulk(objects):
    if not objects:
        return []
    return type(objects[0]).objects.bulk_create(objects, batch_size=2000)
