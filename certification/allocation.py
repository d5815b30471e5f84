"""Placing students into certification sessions: the solver, on plain data.

The same code serves the staff pages (``allocation_runs`` builds the input from the
database) and the benchmark (``bench/allocation_bench.py`` builds it from generated
data): nothing here reads or writes the database.

**What may go where** (``fits``): a student goes into a session only if it has a free
seat, its room is wheelchair accessible when they need one, it is open to their
programme, none of their declared unavailable slots meets their own time in it
(``[start, their end)``), and the room stays free long enough for their extra time:
a candidate with +x % needs 1 h 45 × (1 + x) of test, so their end
(``models.candidate_end``) must not pass the session's ``limit``, the start of the
next session in that room (allocation may extend a session's occupied interval up to
there, never beyond: the exclusion constraint keeps holding).

**How** (``solve``): an OR-Tools min-cost max-flow. Students of one programme's group
with the same constraints form a class; arcs source → class (its size) → session
(the class's cost there) → sink (the free seats). The flow places as many students as
any placement could (maximum flow first), then, among those, minimises the cost,
which is what keeps groups together: each group is first given "home" sessions by a
best-fit packing of whole groups into sessions (a group lands whole in one session
where one can hold it), a class costs nothing at its group's homes and more the
farther it goes from them in the sessions' order. A class's students are then handed
out in student order: the same input gives the same placement (the flow algorithm is
deterministic). ``greedy`` is the plain placement it is measured against.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from .models import candidate_end

# why a student was not placed (stored on the proposal's assignments)
INELIGIBLE = "ineligible"
NO_SEAT = "no_seat"
NO_LONG_SLOT = "no_long_slot"
NO_ACCESSIBLE_ROOM = "no_accessible_room"
UNAVAILABLE = "unavailable"
NOT_OPEN = "not_open"  # no chosen session is open to their programme

AWAY = 1_000  # the cost of a student placed outside their group's home sessions


@dataclass(frozen=True)
class StudentIn:
    id: int
    group: tuple  # (programme id, group name): the students kept together
    sort_key: tuple = ()  # the order in which a class's students are handed out
    extra_time_percent: int = 0
    needs_accessible_room: bool = False
    unavailable: tuple = ()  # ((starts_at, ends_at), ...)


@dataclass(frozen=True)
class SessionIn:
    id: int
    starts_at: dt.datetime
    seats_free: int
    limit: dt.datetime | None  # the room is booked by someone else from then on
    test_minutes: int = 105
    slot_minutes: int = 120
    accessible: bool = True
    programmes: frozenset = frozenset()  # open to these programmes only (empty: all)
    room: int = 0

    def end_for(self, extra: int) -> dt.datetime:
        return candidate_end(
            self.starts_at,
            test_minutes=self.test_minutes,
            slot_minutes=self.slot_minutes,
            extra=extra,
        )


@dataclass
class Result:
    placed: dict[int, int] = field(default_factory=dict)  # student id → session id
    unplaced: dict[int, str] = field(default_factory=dict)  # student id → reason code


def fits(student: StudentIn, session: SessionIn, *, end=None) -> str | None:
    """Why ``student`` cannot sit ``session`` (seats aside), or None if they can;
    ``end``: their end in it, when already known."""
    if session.programmes and student.group[0] not in session.programmes:
        return NOT_OPEN
    if student.needs_accessible_room and not session.accessible:
        return NO_ACCESSIBLE_ROOM
    end = end or session.end_for(student.extra_time_percent)
    if session.limit is not None and end > session.limit:
        return NO_LONG_SLOT
    for start, stop in student.unavailable:
        if start < end and session.starts_at < stop:
            return UNAVAILABLE
    return None


# the reason shown when no session fits: the first condition, in this order, that
# rules out every chosen session
_REASON_ORDER = [NOT_OPEN, NO_ACCESSIBLE_ROOM, NO_LONG_SLOT, UNAVAILABLE]


def _profile(student: StudentIn) -> tuple:
    return (
        student.group[0],
        student.extra_time_percent,
        student.needs_accessible_room,
        student.unavailable,
    )


def feasibility(students, sessions) -> tuple[dict[int, list[int]], dict[int, str]]:
    """``({student id: indices of the sessions they fit}, {student id: reason})``
    for those who fit none; computed once per distinct profile."""
    by_profile, ends = {}, {}
    fitting, reasons = {}, {}
    for student in students:
        key = _profile(student)
        if key not in by_profile:
            extra = student.extra_time_percent
            if extra not in ends:
                ends[extra] = [session.end_for(extra) for session in sessions]
            why = [
                fits(student, session, end=end)
                for session, end in zip(sessions, ends[extra], strict=True)
            ]
            ok = [i for i, w in enumerate(why) if w is None]
            reason = None
            if not ok:
                found = set(why)
                reason = next((r for r in _REASON_ORDER if r in found), NO_SEAT)
            by_profile[key] = (ok, reason)
        ok, reason = by_profile[key]
        if ok:
            fitting[student.id] = ok
        else:
            reasons[student.id] = reason
    return fitting, reasons


def _ordered(students):
    return sorted(students, key=lambda s: (s.group, s.sort_key, s.id))


def _in_time_order(sessions):
    return sorted(sessions, key=lambda s: (s.starts_at, s.room, s.id))


def _homes(groups: dict, fitting: dict, sessions) -> dict[tuple, list[int]]:
    """Each group's home sessions: best-fit packing of whole groups.

    The most constrained groups first (fewest sessions that all their members fit),
    then the largest. A group goes whole into the session, among those all its members
    fit (else those most of them fit: members with extra time or other needs may fit
    fewer, the flow then sends them to the nearest session that fits them), whose free
    seats it fills best; when none holds it, it takes the roomiest one and the rest of
    it is packed the same way."""
    free = [s.seats_free for s in sessions]
    homes, tiers = {}, {}
    for group, members in groups.items():
        shapes = defaultdict(int)
        for student in members:
            if student.id in fitting:
                shapes[tuple(fitting[student.id])] += 1
        if not shapes:
            homes[group] = []
            continue
        everyone = set.intersection(*map(set, shapes))
        most = set(max(shapes, key=lambda k: (shapes[k], k)))
        tiers[group] = (everyone, most, sum(shapes.values()))
    order = sorted(tiers, key=lambda g: (len(tiers[g][0]), -tiers[g][2], g))
    for group in order:
        everyone, most, left = tiers[group]
        chosen = []
        while left > 0:
            best = None
            for tier in (everyone, most):
                whole = [i for i in tier if free[i] >= left and i not in chosen]
                if whole:
                    best = min(whole, key=lambda i: (free[i] - left, i))
                    break
            if best is None:
                rest = [i for i in everyone | most if free[i] > 0 and i not in chosen]
                if not rest:
                    break
                best = max(rest, key=lambda i: (free[i], -i))
            taken = min(left, free[best])
            free[best] -= taken
            left -= taken
            chosen.append(best)
        homes[group] = chosen
    return homes


def solve(students, sessions) -> Result:
    """The placement the app applies: maximum placed, groups kept together."""
    from ortools.graph.python import min_cost_flow  # heavy: numpy, pandas, protobuf

    sessions = _in_time_order(sessions)
    students = _ordered(students)
    fitting, reasons = feasibility(students, sessions)
    result = Result(unplaced=dict(reasons))
    groups = defaultdict(list)
    for student in students:
        groups[student.group].append(student)
    homes = _homes(groups, fitting, sessions)

    # classes: one group's students who fit the same sessions
    classes = defaultdict(list)
    for student in students:
        if student.id in fitting:
            classes[(student.group, tuple(fitting[student.id]))].append(student)
    class_keys = list(classes)  # insertion order: deterministic

    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = 0, 1
    first_class = 2
    first_session = first_class + len(class_keys)
    tails, heads, capacities, costs, arc_of = [], [], [], [], []
    away = {}
    for c, key in enumerate(class_keys):
        group, ok = key
        size = len(classes[key])
        tails.append(source)
        heads.append(first_class + c)
        capacities.append(size)
        costs.append(0)
        arc_of.append(None)
        if group not in away:  # the cost of each session for this group
            home = homes.get(group) or []
            away[group] = [
                (0 if i in home else AWAY + min(abs(i - h) for h in home)) if home else AWAY
                for i in range(len(sessions))
            ]
        cost_of = away[group]
        for i in ok:
            cost = cost_of[i]
            tails.append(first_class + c)
            heads.append(first_session + i)
            capacities.append(size)
            costs.append(cost)
            arc_of.append((c, i))
    for i, session in enumerate(sessions):
        tails.append(first_session + i)
        heads.append(sink)
        capacities.append(max(session.seats_free, 0))
        costs.append(0)
        arc_of.append(None)
    if tails:
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
        placeable = sum(len(members) for members in classes.values())
        flow.set_node_supply(source, placeable)  # as many as can go: maximum flow
        flow.set_node_supply(sink, -placeable)
    status = flow.solve_max_flow_with_min_cost() if tails else flow.OPTIMAL
    if status != flow.OPTIMAL:  # pragma: no cover - a bug, not an input
        raise RuntimeError(f"min-cost flow failed: {status}")

    given = defaultdict(list)  # class → [(session index, count)]
    amounts = flow.flows(range(len(tails))).tolist() if tails else []
    for target, amount in zip(arc_of, amounts, strict=True):
        if target is not None and amount > 0:
            given[target[0]].append((target[1], amount))
    for c, key in enumerate(class_keys):
        members = iter(classes[key])
        for i, amount in sorted(given.get(c, ())):
            for _ in range(amount):
                result.placed[next(members).id] = sessions[i].id
        for student in members:  # the sessions they fit are full
            result.unplaced[student.id] = NO_SEAT
    return result


def greedy(students, sessions) -> Result:
    """The plain placement: students in group order, each into the first session (in
    time order) that fits them and has a seat left."""
    sessions = _in_time_order(sessions)
    students = _ordered(students)
    fitting, reasons = feasibility(students, sessions)
    result = Result(unplaced=dict(reasons))
    free = [s.seats_free for s in sessions]
    for student in students:
        if student.id not in fitting:
            continue
        i = next((i for i in fitting[student.id] if free[i] > 0), None)
        if i is None:
            result.unplaced[student.id] = NO_SEAT
        else:
            free[i] -= 1
            result.placed[student.id] = sessions[i].id
    return result


def violations(students, sessions, placed: dict[int, int]) -> list[str]:
    """Every broken rule of a placement, checked from the input alone (not from the
    solver's own feasibility): seats, accessibility, extra time, unavailability."""
    by_id = {s.id: s for s in sessions}
    taken = defaultdict(int)
    found = []
    for student in students:
        if student.id not in placed:
            continue
        session = by_id.get(placed[student.id])
        if session is None:
            found.append(f"student {student.id}: unknown session {placed[student.id]}")
            continue
        taken[session.id] += 1
        end = session.starts_at + dt.timedelta(minutes=session.slot_minutes - session.test_minutes)
        end += dt.timedelta(
            minutes=-(-session.test_minutes * (100 + student.extra_time_percent) // 100)
        )
        if session.limit is not None and end > session.limit:
            found.append(f"student {student.id}: ends {end} after the room's limit")
        if student.needs_accessible_room and not session.accessible:
            found.append(f"student {student.id}: room of session {session.id} not accessible")
        if session.programmes and student.group[0] not in session.programmes:
            found.append(f"student {student.id}: session {session.id} not open to them")
        if any(a < end and session.starts_at < b for a, b in student.unavailable):
            found.append(f"student {student.id}: unavailable during session {session.id}")
    for session_id, count in taken.items():
        if count > by_id[session_id].seats_free:
            found.append(f"session {session_id}: {count} placed for {by_id[session_id].seats_free}")
    return found


def split_groups(students, placed: dict[int, int]) -> int:
    """How many groups have their placed students in more than one session."""
    sessions_of = defaultdict(set)
    for student in students:
        if student.id in placed:
            sessions_of[student.group].add(placed[student.id])
    return sum(1 for used in sessions_of.values() if len(used) > 1)
