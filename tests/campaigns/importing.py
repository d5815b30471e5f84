"""Running a Pix Orga import as the views and the command do: plan, keep the file, apply."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from campaigns import services


def run_import(data: bytes, *, campaign=None, by=None):
    """Plan, store and apply ``data``: ``(plan, the applied or refused batch)``."""
    plan = services.plan_result_import(data, campaign=campaign, by=by)
    batch = services.store_result_file(
        data, name="export.csv", by=by, campaign=plan.campaign, summary=plan.summary()
    )
    return plan, services.apply_result_import(batch.pk)


def apply(data: bytes):
    """Import a file that must be accepted; its plan."""
    plan = services.plan_result_import(data, campaign=None, by=None)
    assert not plan.refused, plan.errors
    batch = services.store_result_file(data, name="export.csv", by=None, campaign=plan.campaign)
    services.apply_result_import(batch.pk)
    return plan


def old_header_variant(data: bytes) -> bytes:
    """The export as Pix wrote it before the header said the time: « Date de l'envoi »,
    the UTC date of each sending only."""

    def utc_date(match) -> bytes:
        day, month, year, hour, minute = map(int, match.groups())
        paris = dt.datetime(year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/Paris"))
        return paris.astimezone(dt.UTC).strftime("%d/%m/%Y").encode()

    data = data.replace(b"Date et heure de l'envoi (Europe/Paris)", b"Date de l'envoi")
    return re.sub(rb"(\d{2})/(\d{2})/(\d{4}) (\d{2}):(\d{2})", utc_date, data)
