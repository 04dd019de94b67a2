import numpy as np
import pytest

from kmr.evaluation import evaluate_ranking

LOG3, LOG5 = np.log2(3.0), np.log2(5.0)

TOP_K = np.array(
    [
        [5, 1, 7, 2],  # user 0: test items {1, 2, 9}
        [3, -1, -1, -1],  # user 1: test item {3}, short padded list
        [0, 1, 2, 3],  # user 2: no test items, left out
        [8, 6, 0, 1],  # user 3: test item {7}, no hit
    ]
)
TEST = (np.array([0, 0, 0, 1, 3, 0]), np.array([1, 2, 9, 3, 7, 1]))


def test_matches_hand_computation():
    result = evaluate_ranking(
        TOP_K, TEST, k_values=[2, 4], user_ids=[0, 1, 2, 3], num_items=10
    )

    user0 = {
        "precision@4": 2 / 4,
        "recall@4": 2 / 3,
        "ndcg@4": (1 / LOG3 + 1 / LOG5) / (1 + 1 / LOG3 + 1 / 2),
        "map@4": (1 / 2 + 2 / 4) / 3,
        "hit_rate@4": 1.0,
        "mrr@4": 1 / 2,
        "precision@2": 1 / 2,
        "recall@2": 1 / 3,
        "ndcg@2": (1 / LOG3) / (1 + 1 / LOG3),
        "map@2": (1 / 2) / 2,
        "hit_rate@2": 1.0,
        "mrr@2": 1 / 2,
    }
    user1 = {
        "precision@4": 1 / 4,
        "recall@4": 1.0,
        "ndcg@4": 1.0,
        "map@4": 1.0,
        "hit_rate@4": 1.0,
        "mrr@4": 1.0,
        "precision@2": 1 / 2,
        "recall@2": 1.0,
        "ndcg@2": 1.0,
        "map@2": 1.0,
        "hit_rate@2": 1.0,
        "mrr@2": 1.0,
    }
    for key in user0:
        expected = (user0[key] + user1[key] + 0.0) / 3
        assert result[key] == pytest.approx(expected), key
    assert result["num_users"] == 3
    assert result["coverage@2"] == pytest.approx(5 / 10)
    assert result["coverage@4"] == pytest.approx(8 / 10)


def test_default_rows_are_sorted_test_users_and_per_user_values():
    result = evaluate_ranking(TOP_K[[0, 1, 3]], TEST, k_values=4, per_user=True)

    np.testing.assert_array_equal(result["user_ids"], [0, 1, 3])
    np.testing.assert_allclose(
        result["per_user"]["recall@4"], [2 / 3, 1.0, 0.0]
    )
    assert "coverage@4" not in result


def _oracle(top_k, users, test_sets, k):
    rows = []
    for user, ranked in zip(users, top_k):
        relevant = test_sets.get(user, set())
        if not relevant:
            continue
        hits = [int(item in relevant) for item in ranked[:k]]
        dcg = sum(h / np.log2(r + 2) for r, h in enumerate(hits))
        idcg = sum(1 / np.log2(r + 2) for r in range(min(len(relevant), k)))
        precisions = [sum(hits[: r + 1]) / (r + 1) for r in range(k)]
        ap = sum(p * h for p, h in zip(precisions, hits))
        first = next((r for r, h in enumerate(hits) if h), None)
        rows.append(
            [
                sum(hits) / k,
                sum(hits) / len(relevant),
                dcg / idcg,
                ap / min(len(relevant), k),
                float(any(hits)),
                0.0 if first is None else 1 / (first + 1),
            ]
        )
    return np.mean(rows, axis=0)


def test_matches_loop_oracle_on_random_lists(rng):
    num_users, num_items, k = 40, 30, 7
    top_k = np.array([rng.permutation(num_items)[:k] for _ in range(num_users)])
    test_users = rng.integers(0, num_users, 150)
    test_items = rng.integers(0, num_items, 150)
    test_sets = {}
    for user, item in zip(test_users, test_items):
        test_sets.setdefault(int(user), set()).add(int(item))

    result = evaluate_ranking(
        top_k, (test_users, test_items), [k], user_ids=np.arange(num_users)
    )

    expected = _oracle(top_k, range(num_users), test_sets, k)
    names = ["precision", "recall", "ndcg", "map", "hit_rate", "mrr"]
    for name, value in zip(names, expected):
        assert result[f"{name}@{k}"] == pytest.approx(value), name


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"top_k_item_ids": [1, 2]}, "top_k_item_ids"),
        ({"k_values": [5]}, "k_values"),
        ({"k_values": [0]}, "k_values"),
        ({"user_ids": [0, 1]}, "user_ids"),
        ({"test_interactions": [1, 2, 3]}, "test_interactions"),
        ({"test_interactions": ([0, 1], [1])}, "same length"),
        ({"test_interactions": ([0], [-1])}, "test_item_ids"),
        ({"num_items": 0}, "num_items"),
    ],
)
def test_invalid_inputs_raise(kwargs, message):
    arguments = {
        "top_k_item_ids": TOP_K,
        "test_interactions": TEST,
        "k_values": [2],
        "user_ids": [0, 1, 2, 3],
    }
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=message):
        evaluate_ranking(**arguments)
