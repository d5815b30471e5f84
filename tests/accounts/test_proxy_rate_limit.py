"""Behind the university's reverse proxy the per-address login limit counts each
client, not the proxy; a forged X-Forwarded-For is ignored (issue 10, § 14)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # every request reaches the application from the proxy


def login(client, email, password, *, forwarded_for=None, remote=PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def fail_ten_times(client, **where):
    """Ten failures on ten different accounts: only the per-address limit is reached."""
    for n in range(10):
        assert login(client, f"inconnu{n}@exemple.fr", "mauvais", **where).status_code == 200


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_two_clients_behind_the_proxy_are_limited_separately(client, people, password, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    fail_ten_times(client, forwarded_for="203.0.113.7")

    login(client, "equipe@univ-exemple.fr", password, forwarded_for="203.0.113.7")
    assert not logged_in(client)  # this client is limited

    login(client, "equipe@univ-exemple.fr", password, forwarded_for="203.0.113.8")
    assert logged_in(client)  # the next one, behind the same proxy, is not


def test_the_proxy_appends_the_real_address_after_a_forged_one(client, people, password, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):  # the client forges a new first address each time
        login(client, f"x{n}@exemple.fr", "mauvais", forwarded_for=f"198.51.100.{n}, 203.0.113.7")

    login(client, "equipe@univ-exemple.fr", password, forwarded_for="1.2.3.4, 203.0.113.7")
    assert not logged_in(client)


def test_a_forged_forwarded_for_is_ignored_without_a_trusted_proxy(client, people, password):
    for n in range(10):
        login(client, f"x{n}@exemple.fr", "mauvais", forwarded_for=f"198.51.100.{n}")

    login(client, "equipe@univ-exemple.fr", password, forwarded_for="198.51.100.200")
    assert not logged_in(client)  # counted on the connecting address


def test_headers_from_outside_the_trusted_proxies_are_ignored(client, people, password, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    for n in range(10):  # straight to the application, around the proxy
        login(
            client,
            f"x{n}@exemple.fr",
            "mauvais",
            forwarded_for=f"198.51.100.{n}",
            remote="192.0.2.9",
        )

    login(
        client,
        "equipe@univ-exemple.fr",
        password,
        forwarded_for="198.51.100.99",
        remote="192.0.2.9",
    )
    assert not logged_in(client)
    login(client, "equipe@univ-exemple.fr", password, forwarded_for="203.0.113.8")
    assert logged_in(client)  # through the proxy, another client


def test_the_per_account_limit_holds_behind_the_proxy(client, people, password, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(5):  # five addresses, one account
        login(client, "equipe@univ-exemple.fr", "mauvais", forwarded_for=f"203.0.113.{n}")

    login(client, "equipe@univ-exemple.fr", password, forwarded_for="203.0.113.99")
    assert not logged_in(client)


def test_a_missing_client_header_falls_back_to_the_connecting_address(
    client, people, password, settings
):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 3

    response = login(client, "equipe@univ-exemple.fr", password, forwarded_for="203.0.113.7")

    assert response.status_code == 302  # neither a 403 nor a 500
    assert logged_in(client)


def test_the_trusted_proxy_is_configured_from_the_environment(tmp_path):
    from tests.test_settings import run_manage

    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT,"
        " s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER, s.TRUSTED_PROXIES)",
        env_extra={
            "TRUSTED_PROXY_COUNT": "1",
            "TRUSTED_PROXIES": "10.0.0.0/24,10.0.1.5",
            "PIXOFFICE_VAR_DIR": str(tmp_path),
        },
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1 None ['10.0.0.0/24', '10.0.1.5']"
