import numpy as np
import pytest

from kmr.evaluation import leave_last_out_split

USERS = np.array([0, 1, 0, 0, 1, 2, 1])
TIMES = np.array([30, 5, 10, 20, 5, 7, 1])


def test_holds_out_each_users_latest_interaction():
    train, test = leave_last_out_split(USERS, TIMES)

    # User 0: time 30 (index 0); user 1: tie at 5, the later row (4) wins;
    # user 2 has one interaction and stays in training.
    np.testing.assert_array_equal(test, [0, 4])
    np.testing.assert_array_equal(train, [1, 2, 3, 5, 6])


def test_num_last_two():
    train, test = leave_last_out_split(USERS, TIMES, num_last=2)

    np.testing.assert_array_equal(test, [0, 1, 3, 4])
    np.testing.assert_array_equal(train, [2, 5, 6])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_last": 0}, "num_last"),
        ({"timestamps": [1, 2]}, "same length"),
        ({"timestamps": np.zeros((7, 1))}, "timestamps"),
    ],
)
def test_invalid_arguments_raise(kwargs, message):
    arguments = {"user_ids": USERS, "timestamps": TIMES, **kwargs}
    with pytest.raises(ValueError, match=message):
        leave_last_out_split(**arguments)
