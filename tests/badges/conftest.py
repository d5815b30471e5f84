import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pixoffice.badges.signals import badge_status_changed
from tests.badges import bake
from tests.factories.badges import BadgeRequirementFactory


@pytest.fixture
def requirement(people):
    """« Module IA — Open Badge » for L2 Géographie (students A and B), due in a month."""
    return BadgeRequirementFactory(programmes=[people["student_a"].student.programme])


@pytest.fixture
def badge_for():
    """A baked PNG whose assertion is issued to ``email`` (hashed with a salt)."""

    def make(email, **options):
        return bake.bake_png(bake.assertion(email, **options))

    return make


@pytest.fixture
def upload():
    def make(data, name="badge.png"):
        return SimpleUploadedFile(name, data)

    return make


@pytest.fixture
def announced():
    """What ``badge_status_changed`` carried, in order."""
    calls = []

    def receiver(sender, signal, **kwargs):
        calls.append({"sender": sender.__name__, **kwargs})

    badge_status_changed.connect(receiver, dispatch_uid="test_badges_announced")
    yield calls
    badge_status_changed.disconnect(dispatch_uid="test_badges_announced")
