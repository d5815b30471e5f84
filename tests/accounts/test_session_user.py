"""The logged-in user read from the cache (``pixoffice/accounts/session_user.py``,
issue 15 point 2): a visit after the first reads no user row, and whatever is saved of
the user — deactivated, another password, another role, deleted — counts at the very
next request; a session that does not match the cached account is never let in."""

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pixoffice.accounts import session_user
from pixoffice.accounts.models import Role, User

pytestmark = pytest.mark.django_db
HOME = reverse("portal:student_home")


def _user_rows_read(client, path=HOME):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, sum('FROM "accounts_user"' in q["sql"] for q in queries)


def test_the_user_row_is_read_once_then_comes_from_the_cache(client, people):
    client.force_login(people["student_a"])

    first, read_first = _user_rows_read(client)
    second, read_second = _user_rows_read(client)

    assert first.status_code == second.status_code == 200
    assert (read_first, read_second) == (1, 0)
    assert "Bonjour" in second.content.decode()


def test_the_cached_copy_is_the_row_as_read_nothing_a_request_attached(client, people):
    client.force_login(people["staff"])
    client.get(reverse("portal:staff_home"))  # permissions checked, the record looked up

    backend = client.session["_auth_user_backend"]
    cached = cache.get(session_user._key(backend, people["staff"].pk))
    assert cached.email == "equipe@univ-exemple.fr"
    assert not {"_perm_cache", "_user_perm_cache", "student"} & set(vars(cached))


def test_a_deactivated_account_is_logged_out_at_the_next_request(client, people):
    client.force_login(people["student_a"])
    client.get(HOME)
    client.get(HOME)  # served with the cached user

    user = User.objects.get(pk=people["student_a"].pk)
    user.is_active = False
    user.save()

    response = client.get(HOME)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_another_password_ends_the_session_at_the_next_request(client, people):
    client.force_login(people["student_a"])
    client.get(HOME)

    user = User.objects.get(pk=people["student_a"].pk)
    user.set_password("un-tout-autre-mot-de-passe")
    user.save()

    response = client.get(HOME)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_another_role_counts_at_the_next_request(client, people):
    client.force_login(people["student_a"])
    assert client.get(HOME).status_code == 200

    user = User.objects.get(pk=people["student_a"].pk)
    user.role = Role.STAFF
    user.save(update_fields=["role"])

    assert client.get(HOME).status_code == 403


def test_a_deleted_account_is_logged_out(client, people):
    client.force_login(people["student_b"])
    client.get(HOME)

    User.objects.filter(pk=people["student_b"].pk).delete()  # signals sent per row

    assert client.get(HOME).status_code == 302


def test_a_session_not_made_for_the_cached_account_is_not_let_in(client, people):
    client.force_login(people["student_a"])
    client.get(HOME)  # the user is cached
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64  # another account's hash, or a forged one
    session.save()

    response = client.get(HOME)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session  # flushed, as Django does


def test_a_session_of_a_backend_no_longer_configured_is_anonymous(client, people):
    client.force_login(people["student_a"])
    client.get(HOME)
    session = client.session
    session["_auth_user_backend"] = "some.removed.Backend"
    session.save()

    assert client.get(HOME).status_code == 302


def test_a_transaction_saving_many_users_forgets_them_again_after_commit_once(people):
    users = [people[who] for who in ("student_a", "student_b", "staff")]
    backends = session_user.settings.AUTHENTICATION_BACKENDS
    keys = [session_user._key(path, user.pk) for user in users for path in backends]

    for user in users:
        user.first_name = "Renommé"
        user.save()
    # a request of another transaction read the old rows meanwhile and cached them
    cache.set_many(dict.fromkeys(keys, "ancienne ligne"))

    # the test's transaction has not committed: one callback waits for it, for them all
    pending = [
        func
        for _sids, func, _robust in connection.run_on_commit
        if isinstance(func, session_user._ForgetAfterCommit)
    ]
    assert len(pending) == 1 and {u.pk for u in users} <= pending[0].user_ids
    pending[0]()
    assert cache.get_many(keys) == {}


def test_while_redis_is_down_the_row_is_read_each_time(redis_down, client, people):
    client.force_login(people["student_a"])
    client.get(HOME)

    _response, read = _user_rows_read(client)
    assert read == 1


def test_an_update_of_users_in_bulk_counts_at_the_next_request(client, people):
    client.force_login(people["student_a"])
    client.get(HOME)

    User.objects.filter(email__startswith="a@").update(is_active=False)  # no post_save

    assert client.get(HOME).status_code == 302


def test_without_a_shared_cache_nothing_is_cached(client, people, settings):
    # the embedded default (no REDIS_URL): each process has a LocMemCache of its own
    settings.SESSION_USER_CACHE = False
    client.force_login(people["student_a"])
    client.get(HOME)

    _response, read = _user_rows_read(client)
    assert read == 1  # a password changed by `manage.py changepassword` counts at once
