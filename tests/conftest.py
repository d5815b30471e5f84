from pathlib import Path

import pytest

from tests.factories import (
    AdminFactory,
    ProgrammeFactory,
    StaffFactory,
    StudentUserFactory,
)
from tests.factories.accounts import PASSWORD

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir():
    return DATA


@pytest.fixture
def roster_bytes():
    return (DATA / "roster-students.csv").read_bytes()


@pytest.fixture
def programmes(db):
    """The four programmes of the seeds (and of the sample roster)."""
    return {
        name: ProgrammeFactory(name=name)
        for name in ["L2 Géographie", "L2 Histoire", "L2 SED", "L2 Sociologie"]
    }


@pytest.fixture
def people(programmes):
    """One person per role, for permission tests."""
    geo, histoire = programmes["L2 Géographie"], programmes["L2 Histoire"]
    return {
        "student_a": StudentUserFactory(email="a@etu.univ-exemple.fr", student__programme=geo),
        "student_b": StudentUserFactory(email="b@etu.univ-exemple.fr", student__programme=geo),
        "staff": StaffFactory(email="equipe@univ-exemple.fr", programmes=list(programmes.values())),
        "staff_other": StaffFactory(email="histoire@univ-exemple.fr", programmes=[histoire]),
        "admin": AdminFactory(email="admin@univ-exemple.fr"),
    }


@pytest.fixture
def staff_client(client, people):
    client.force_login(people["staff"])
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits counted by one test must not refuse another test's requests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language (French): a test that activates English
    (a form validated outside a request, a command) must not change the next one's."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture(autouse=True)
def _pix_framework(request):
    """Tests on a live server or a real worker flush the database after them, the data
    migrations' rows included: put the Pix framework back before each of them."""
    if {"transactional_db", "live_server"} & set(request.fixturenames) or (
        request.node.get_closest_marker("django_db")
        and request.node.get_closest_marker("django_db").kwargs.get("transaction")
    ):
        request.getfixturevalue("transactional_db")
        from campaigns.framework import install_framework
        from campaigns.models import Competence, Domain

        install_framework(Domain, Competence)


@pytest.fixture
def command():
    """Run a management command: returns (exit code, stdout, stderr)."""
    import io

    from django.core.management import call_command

    def run(*args):
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(*args, stdout=out, stderr=err)
            code = 0
        except SystemExit as exit_:
            code = exit_.code
        return code, out.getvalue(), err.getvalue()

    return run


NOWHERE = "redis://127.0.0.1:6390/0"  # nothing listens there


@pytest.fixture
def redis_down():
    """The cache and the broker both point at a port where nothing listens."""
    from django.test import override_settings

    from pixoffice import cache as resilient
    from pixoffice.celery import app

    def _reset_broker_pools():
        app._pool = None
        app.amqp._producer_pool = None

    resilient._down_until.clear()
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = NOWHERE, False
    _reset_broker_pools()
    caches = {
        "default": {
            "BACKEND": "pixoffice.cache.ResilientRedisCache",
            "LOCATION": NOWHERE,
            "KEY_PREFIX": "pixoffice",
        }
    }
    with override_settings(CACHES=caches, CELERY_TASK_ALWAYS_EAGER=False):
        yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    _reset_broker_pools()
    resilient._down_until.clear()
