"""The follow-up's charts as data for the templates: the curve of shares over time.

The curve is drawn in SVG without any text (lines only, scaled with the page); its
numbers and dates are HTML around it (readable at any zoom, checked for contrast like
any text) and its data is a table (``days``) for screen readers and for whoever wants
the figures. Its scale is the roster the counters cover, so 24 senders of 100 students
reach a quarter of the height, not the top.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from .models import Campaign

WIDTH, HEIGHT = 600, 200  # user units of the SVG's viewBox


@dataclass
class Timeline:
    points: str  # the polyline's points, in user units
    width: int
    height: int
    sent: int  # students of the roster who sent (the curve's last point)
    total: int  # the roster: the curve's scale
    deadline_x: str | None  # None when the deadline is outside the chart
    start: datetime
    end: datetime
    days: list[tuple[date, int, int]]  # (day, first shares that day, cumulative)


def timeline(campaign: Campaign, points: list[tuple[datetime, int]], total: int) -> Timeline | None:
    """The curve from the opening to the deadline (or the last share, if later) of
    ``points`` (``followup.shares_over_time``: cumulative senders of the roster) on
    a scale of ``total`` students (the counters' total)."""
    if not points:
        return None
    start = timezone.make_aware(datetime.combine(campaign.opens_on, datetime.min.time()))
    end = max(campaign.deadline, points[-1][0])
    span = max((end - start).total_seconds(), 1)
    sent = points[-1][1]
    scale = max(total, sent, 1)

    def x(moment: datetime) -> float:
        return min(max(0.0, (moment - start).total_seconds() / span), 1.0) * WIDTH

    def y(count: int) -> float:
        return HEIGHT - count / scale * HEIGHT

    # a step per day: the count holds until the next day's first shares
    coords = [(0.0, float(HEIGHT))]
    for moment, count in points:
        coords.append((x(moment), coords[-1][1]))
        coords.append((x(moment), y(count)))
    coords.append((float(WIDTH), coords[-1][1]))
    days, before = [], 0
    for moment, count in points:
        days.append((timezone.localtime(moment).date(), count - before, count))
        before = count
    deadline = (campaign.deadline - start).total_seconds() / span
    return Timeline(
        points=" ".join(f"{a:.1f},{b:.1f}" for a, b in coords),
        width=WIDTH,
        height=HEIGHT,
        sent=sent,
        total=total,
        deadline_x=f"{deadline * WIDTH:.1f}" if 0 <= deadline <= 1 else None,
        start=start,
        end=end,
        days=days,
    )
