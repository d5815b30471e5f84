"""Allocation: 6,000 students into 200 sessions, the app's solver beside a plain greedy
placement of the same input, in the same run.

The input is generated (seeded, so every run places the same students): the Caen
rooms and the Strasbourg salle PIX, four slots a day (8:00, 10:30, 14:00, 16:30: only
the 10:30 and 16:30 ones leave the room free long enough for a tiers-temps), some
seats already taken, Jupiter not wheelchair accessible; students in programmes of
groups of 15 to 45, 6 % with extra time (33 % or 50 %), 1 % needing an accessible
room, 10 % with declared unavailable slots. It goes straight to
``certification.allocation`` (the code the staff pages run), without the database;
the placement is then checked by ``violations``, which recomputes every rule from the
input rather than trusting the solver's own feasibility.

    python bench/run.py allocation
"""

import datetime as dt
import hashlib
import itertools
import os
import random
import time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
STUDENTS = int(os.environ.get("BENCH_ALLOCATION_STUDENTS", "6000"))
SESSIONS = int(os.environ.get("BENCH_ALLOCATION_SESSIONS", "200"))
BUDGET_SECONDS = 5.0
ROOMS = [  # (name, seats, wheelchair accessible)
    ("Mercure DR S03", 37, True),
    ("Neptune DR S04", 80, True),
    ("Venus SC S36", 50, True),
    ("Jupiter SC S37", 18, False),
    ("Alençon B100", 30, True),
    ("Saint-Lô ENB SO S41", 28, True),
    ("Saint-Lô Multimédia SO 034", 31, True),
    ("Strasbourg salle PIX", 24, True),
]
STARTS = [(8, 0), (10, 30), (14, 0), (16, 30)]


def generate(students: int = STUDENTS, sessions: int = SESSIONS, seed: int = 13):
    from certification.allocation import SessionIn, StudentIn

    rng = random.Random(seed)
    slots = []
    day = dt.date(2027, 3, 1)
    while len(slots) < sessions:
        if day.weekday() < 5:
            for hour, minute in STARTS:
                for room, (_name, seats, accessible) in enumerate(ROOMS):
                    start = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)
                    slots.append((start, room, seats, accessible))
        day += dt.timedelta(days=1)
    slots = slots[:sessions]
    next_start = {}  # (start, room) → the next session's start in that room, that day
    by_room_day = {}
    for start, room, _seats, _accessible in slots:
        by_room_day.setdefault((room, start.date()), []).append(start)
    for (room, _day), starts in by_room_day.items():
        starts.sort()
        for a, b in itertools.pairwise(starts):
            next_start[(a, room)] = b
    session_rows = []
    for i, (start, room, seats, accessible) in enumerate(slots):
        taken = rng.choice([0, 3, 6, 9, 12])  # seats already taken by enrolment
        limit = next_start.get((start, room))
        session_rows.append(
            SessionIn(
                id=i + 1,
                starts_at=start,
                seats_free=max(seats - taken, 0),
                limit=limit,
                accessible=accessible,
                room=room,
            )
        )
    student_rows = []
    programme, group, left = 1, 1, rng.randint(15, 45)
    first_day = slots[0][0]
    for i in range(students):
        if left == 0:
            group += 1
            left = rng.randint(15, 45)
            if group > 12:
                programme, group = programme + 1, 1
        left -= 1
        draw = rng.random()
        extra = 33 if draw < 0.05 else 50 if draw < 0.06 else 0
        unavailable = ()
        if rng.random() < 0.10:
            spans = []
            for _ in range(rng.randint(1, 3)):
                start = first_day + dt.timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 8))
                spans.append((start, start + dt.timedelta(hours=rng.randint(2, 6))))
            unavailable = tuple(sorted(spans))
        student_rows.append(
            StudentIn(
                id=i + 1,
                group=(programme, f"TD{group}"),
                sort_key=(f"Nom{i:05d}",),
                extra_time_percent=extra,
                needs_accessible_room=rng.random() < 0.01,
                unavailable=unavailable,
            )
        )
    return student_rows, session_rows


def digest(result) -> str:
    """A fingerprint of a placement, to compare runs (and machines)."""
    text = repr(sorted(result.placed.items())) + repr(sorted(result.unplaced.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def allocation_bench():
    from certification import allocation

    students, sessions = generate()
    seats = sum(s.seats_free for s in sessions)
    groups = len({s.group for s in students})

    def run(fn):
        start = time.perf_counter()
        result = fn(students, sessions)
        return time.perf_counter() - start, result

    solver_seconds, solved = min((run(allocation.solve) for _ in range(3)), key=lambda m: m[0])
    greedy_seconds, greedy = min((run(allocation.greedy) for _ in range(3)), key=lambda m: m[0])
    again = allocation.solve(students, sessions)
    print(
        f"allocation, {len(students)} students into {len(sessions)} sessions "
        f"({seats} free seats), {groups} groups, no database"
    )
    for label, seconds, result in (
        ("solver (OR-Tools min-cost flow)", solver_seconds, solved),
        ("greedy (first session that fits)", greedy_seconds, greedy),
    ):
        placed = len(result.placed)
        reasons = {}
        for reason in result.unplaced.values():
            reasons[reason] = reasons.get(reason, 0) + 1
        print(
            f"  {label:34}: {seconds * 1000:7.0f} ms, placed {placed} "
            f"(fill rate {placed / len(students):.1%} of students, {placed / seats:.1%} of seats), "
            f"violations {len(allocation.violations(students, sessions, result.placed))}, "
            f"groups split {allocation.split_groups(students, result.placed)}/{groups}, "
            f"unplaced {dict(sorted(reasons.items()))}"
        )
    split_solver = allocation.split_groups(students, solved.placed)
    split_greedy = allocation.split_groups(students, greedy.placed)
    print(
        f"  solver / greedy: placed {len(solved.placed) / max(len(greedy.placed), 1):.3f}x, "
        f"groups split {split_solver / max(split_greedy, 1):.2f}x, "
        f"time {solver_seconds / max(greedy_seconds, 1e-9):.1f}x; "
        f"same input, same result: {again.placed == solved.placed} "
        f"(digest {digest(solved)}); "
        f"within {BUDGET_SECONDS:.0f} s: {solver_seconds < BUDGET_SECONDS}"
    )


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixoffice.settings.test")
    import django

    django.setup()
    allocation_bench()
