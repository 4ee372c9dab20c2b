"""The shortcuts :func:`reducers.changes.step_changes` takes give what the long way gives."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from reducers.changes import _compared, _json, _parts
from reducers.diff import _walk

#: Values an entity's field may hold as it is written: JSON scalars (and the ones JSON
#: writes differently: a float NaN or infinity is ``null``), and small containers.
#: Values that are equal in Python but differ as JSON, drawn often.
LOOKALIKES = st.sampled_from([0, 1, 0.0, 1.0, True, False, None, "", "1", float("nan")])
SCALARS = st.one_of(
    LOOKALIKES, st.none(), st.booleans(), st.integers(-3, 3), st.floats(), st.text(max_size=3)
)
VALUES = st.one_of(SCALARS, SCALARS, st.lists(SCALARS, max_size=2), st.tuples(SCALARS))


@given(VALUES, VALUES)
def test_two_values_compare_as_their_json_forms(old: Any, new: Any) -> None:
    # Scalars are compared as they are, without encoding: 1, 1.0 and true still differ.
    keys = ("objects", "o-1", "description")
    assert list(_parts(old, new, keys, set())) == list(_walk(_json(old), _json(new), keys))


JSON = st.recursive(
    SCALARS.filter(lambda value: value == value),  # JSON has no NaN
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c/~"]), inner, max_size=3)
    ),
    max_leaves=10,
)


@given(JSON, JSON)
def test_two_json_values_compare_as_diff_walks_them(old: Any, new: Any) -> None:
    # Entries with the same JSON text are skipped: what is left is diff's own walk.
    keys = ("chats", "c-1", "message")
    assert list(_compared(old, new, keys)) == list(_walk(old, new, keys))


@given(
    st.dictionaries(st.sampled_from("ab"), LOOKALIKES.filter(lambda value: value == value)),
    st.dictionaries(st.sampled_from("ab"), LOOKALIKES.filter(lambda value: value == value)),
)
def test_entries_equal_in_python_but_not_in_json_are_changes(old: Any, new: Any) -> None:
    keys = ("sensors", "s-1", "data")
    assert list(_compared(old, new, keys)) == list(_walk(old, new, keys))
