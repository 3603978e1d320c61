"""How a call list is shared out among the callers: the rule, in one place, as a pure function.

1. Even: every caller gets ⌊n/k⌋ or ⌈n/k⌉ calls (n persons, k callers), so no two callers'
   lists differ by more than one.
2. A person's own advisor first, where sensible: when their advisor is one of the callers, the
   person goes to them, as long as the advisor's list stays within the even share. An advisor
   with a larger caseload than the even share keeps the first of their persons (in the list's
   order, by name) and the rest go to colleagues.
3. Everyone else (no advisor among the callers, or the advisor's share is full) goes, in the
   list's order, to the caller with the fewest calls so far; a tie goes to the caller named
   first (callers in the order given, by name).

The same persons and callers always give the same lists.
"""

import heapq
from collections.abc import Sequence


def distribute(people: Sequence[tuple[int, int | None]], callers: Sequence[int]) -> dict[int, int]:
    """`people`: (person id, advisor id or None) in the list's order; `callers`: user ids in
    order. Returns person id → caller id for everyone."""
    if not callers:
        raise ValueError("at least one caller is needed")
    callers = list(dict.fromkeys(callers))  # once each, order kept
    n, k = len(people), len(callers)
    floor_share, extras = divmod(n, k)
    load = dict.fromkeys(callers, 0)
    is_caller = set(callers)
    assigned: dict[int, int] = {}
    # 1-2: own advisors up to the even share ⌊n/k⌋ ...
    for person, advisor in people:
        if advisor in is_caller and load[advisor] < floor_share:
            assigned[person] = advisor
            load[advisor] += 1
    # ... and then, while there are extra places (n mod k), one more each.
    for person, advisor in people:
        if extras == 0:
            break
        if person not in assigned and advisor in is_caller and load[advisor] == floor_share:
            assigned[person] = advisor
            load[advisor] += 1
            extras -= 1
    # 3: the rest to whoever has the fewest (never above ⌈n/k⌉, as the totals add up).
    queue = [(load[caller], i, caller) for i, caller in enumerate(callers)]
    heapq.heapify(queue)
    for person, _advisor in people:
        if person in assigned:
            continue
        calls, i, caller = heapq.heappop(queue)
        assigned[person] = caller
        heapq.heappush(queue, (calls + 1, i, caller))
    return assigned
