"""The COPY encoder's column shortcuts (a column of NULLs, of dates) and its errors."""

import datetime as dt

import pytest
from django.db import OperationalError, connection

from pixoffice.accounts.models import Programme
from pixoffice.core import bulk


def texts(values) -> list[str]:
    return list(bulk._column_texts(tuple(values)))


def test_a_column_of_nulls_and_a_column_of_dates():
    assert texts([None, None, None]) == ["\\N"] * 3
    day = dt.date(2004, 10, 1)
    assert texts([day, None, day, dt.date(2001, 11, 8)]) == [
        "2004-10-01",
        "\\N",
        "2004-10-01",
        "2001-11-08",
    ]


@pytest.mark.django_db(transaction=True)
def test_an_error_of_the_driver_during_copy_is_a_django_database_error():
    """``copy_columns`` uses the driver's cursor; a lost connection must still read as
    Django's ``OperationalError`` (which the batches mark « connexion perdue »)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    connection.ensure_connection()
    connection.connection.close()  # what a server restart does to our session
    with pytest.raises(OperationalError):
        bulk.copy_columns((Programme, {"name": ["L2 Chimie"], "code": [""]}))
    connection.close()
