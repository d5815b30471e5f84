import pytest

from tests.factories.api import make_token


@pytest.fixture
def histoire_token(programmes):
    """A token that reads L2 Histoire only."""
    return make_token([programmes["L2 Histoire"]], name="Pégase Histoire")


@pytest.fixture
def api(client):
    """GET (or another method) on the API with a token: ``api.get(token, url)``."""
    from tests.factories.api import bearer

    class Api:
        def get(self, token, url, **params):
            return client.get(url, params, **bearer(token))

        def call(self, method, token, url):
            return getattr(client, method)(url, **bearer(token))

    return Api()
