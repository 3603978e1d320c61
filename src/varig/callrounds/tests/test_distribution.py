from collections import Counter

import pytest

from varig.callrounds.distribution import distribute


def loads(assigned):
    return Counter(assigned.values())


def test_everyone_is_called_and_the_lists_differ_by_at_most_one():
    people = [(p, None) for p in range(1, 11)]
    assigned = distribute(people, [100, 200, 300])
    assert set(assigned) == set(range(1, 11))
    assert sorted(loads(assigned).values()) == [3, 3, 4]


def test_a_person_goes_to_their_own_advisor_when_the_advisor_calls():
    people = [(1, 100), (2, 200), (3, 100), (4, 200)]
    assert distribute(people, [100, 200]) == {1: 100, 2: 200, 3: 100, 4: 200}


def test_a_large_caseload_is_kept_only_up_to_the_even_share():
    """Advisor 100 has 8 of the 10 persons; 3 callers share 10: 100 keeps the first 4 (⌈10/3⌉,
    one of the extra places), the rest go to the colleagues."""
    people = [(p, 100) for p in range(1, 9)] + [(9, 200), (10, None)]
    assigned = distribute(people, [100, 200, 300])
    assert [p for p, c in assigned.items() if c == 100] == [1, 2, 3, 4]
    assert assigned[9] == 200
    assert sorted(loads(assigned).values()) == [3, 3, 4]


def test_persons_whose_advisor_is_not_calling_go_to_the_least_busy_caller():
    people = [(1, 100), (2, 100), (3, 999), (4, 999), (5, 999)]
    assigned = distribute(people, [100, 200])
    assert assigned[1] == assigned[2] == 100
    # 5 calls for 2 callers: 3 and 2. 100 has two of its own; one extra goes to each in turn.
    assert sorted(loads(assigned).values()) == [2, 3]
    assert [assigned[p] for p in (3, 4, 5)] == [200, 200, 100]


def test_ties_go_to_the_caller_named_first_and_the_result_is_the_same_every_time():
    people = [(p, None) for p in range(1, 6)]
    first = distribute(people, [300, 100, 200])
    assert first == {1: 300, 2: 100, 3: 200, 4: 300, 5: 100}
    assert distribute(people, [300, 100, 200]) == first


def test_one_caller_gets_everyone_and_more_callers_than_people_leaves_some_without():
    people = [(1, 100), (2, None)]
    assert distribute(people, [7]) == {1: 7, 2: 7}
    assigned = distribute(people, [100, 200, 300])
    assert assigned == {1: 100, 2: 200}


def test_a_caller_listed_twice_counts_once():
    people = [(p, None) for p in range(1, 5)]
    assert sorted(loads(distribute(people, [1, 1, 2])).values()) == [2, 2]


def test_no_callers_is_refused():
    with pytest.raises(ValueError):
        distribute([(1, None)], [])


@pytest.mark.parametrize("n", [0, 1, 7, 100, 1001])
@pytest.mark.parametrize("k", [1, 2, 3, 9])
def test_even_for_any_size(n, k):
    people = [(p, (p * 7) % 5 or None) for p in range(n)]
    assigned = distribute(people, list(range(1, k + 1)))
    assert len(assigned) == n
    counts = [loads(assigned).get(c, 0) for c in range(1, k + 1)]
    assert max(counts) - min(counts) <= 1
