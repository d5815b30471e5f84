"""A recomputation reads its inputs under the scheme's lock, so an older run never
stores notes computed from inputs older than a newer run's."""

import psycopg
import pytest
from django.db import connection

from grading import services
from grading.services import recompute

pytestmark = pytest.mark.django_db(transaction=True)


def scheme_is_locked(scheme_id: int) -> bool:
    """Asked from another connection: is the scheme's row locked right now?"""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        try:
            other.execute(
                "SELECT 1 FROM grading_scheme WHERE id = %s FOR UPDATE NOWAIT", [scheme_id]
            )
        except psycopg.errors.LockNotAvailable:
            return True
        return False


@pytest.mark.parametrize("some", [False, True], ids=["whole cohort", "some students"])
def test_recompute_reads_its_inputs_under_the_scheme_lock(scheme, monkeypatch, some):
    seen = []
    for name in ["scheme_components", "gather_inputs"]:
        original = getattr(recompute, name)

        def checked(*args, _original=original, _name=name, **kwargs):
            seen.append((_name, scheme_is_locked(scheme.pk)))
            return _original(*args, **kwargs)

        monkeypatch.setattr(recompute, name, checked)

    from pixoffice.accounts.models import Student

    ids = list(Student.objects.values_list("pk", flat=True)[:3]) if some else None
    services.recompute_notes(scheme, ids)

    assert seen and all(locked for _name, locked in seen), seen
