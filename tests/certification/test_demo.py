import io

import pytest
from django.core.management import call_command

from certification.models import CertificationResult, CertificationSession

pytestmark = pytest.mark.django_db


def test_the_demo_has_published_sessions_with_extra_time_and_results_twice_the_same():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    published = CertificationSession.objects.filter(status="published")
    assert published.count() == 2
    assert sum(s.candidates.count() for s in published) == 24
    assert published.filter(candidates__extra_time_percent=33).exists()
    morning = published.order_by("starts_at").first()
    assert morning.occupied_until > morning.ends_at  # extended for tiers-temps
    assert CertificationResult.objects.count() == 40
    assert CertificationResult.objects.filter(student__isnull=False).count() == 32
