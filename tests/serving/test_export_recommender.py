"""Tests for export_for_serving."""

import json
import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest

from kmr.losses import SoftmaxCrossEntropyRankingLoss
from kmr.models import UnifiedRecommendationModel, export_for_serving

NUM_USERS, NUM_ITEMS, USER_DIM, ITEM_DIM = 12, 30, 4, 3

LOAD_AND_SERVE = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    import tensorflow as tf

    path, inputs_path, outputs_path = sys.argv[1:]
    inputs = np.load(inputs_path)
    loaded = tf.saved_model.load(path)
    user_ids = tf.constant(inputs["user_ids"], tf.int32)
    user_features = tf.constant(inputs["user_features"], tf.float32)
    seen = tf.constant(inputs["seen_item_mask"])
    plain = loaded.serve(user_ids, user_features)
    excluding = loaded.serve_excluding_seen(user_ids, user_features, seen)
    default = loaded.signatures["serving_default"](
        user_ids=user_ids, user_features=user_features
    )
    np.savez(
        outputs_path,
        plain_ids=plain["top_k_item_ids"].numpy(),
        plain_scores=plain["top_k_scores"].numpy(),
        seen_ids=excluding["top_k_item_ids"].numpy(),
        seen_scores=excluding["top_k_scores"].numpy(),
        default_ids=default["top_k_item_ids"].numpy(),
    )
    print(json.dumps(sorted(loaded.signatures.keys())))
    """
)


def trained_model(rng):
    model = UnifiedRecommendationModel(
        num_users=NUM_USERS,
        num_items=NUM_ITEMS,
        user_feature_dim=USER_DIM,
        item_feature_dim=ITEM_DIM,
        top_k=5,
    )
    model.set_item_catalog(rng.random((NUM_ITEMS, ITEM_DIM), "float32"))
    labels = (rng.random((NUM_USERS, NUM_ITEMS)) < 0.2).astype("float32")
    user_features = rng.random((NUM_USERS, USER_DIM), "float32")
    model.compile("adam", loss=SoftmaxCrossEntropyRankingLoss())
    model.fit(
        [np.arange(NUM_USERS), user_features], labels, epochs=2, verbose=0
    )
    return model, user_features


@pytest.mark.tf_only
def test_export_matches_recommend_in_a_fresh_process(rng, tmp_path):
    if keras.backend.backend() != "tensorflow":
        pytest.skip("exports a TensorFlow SavedModel")
    model, user_features = trained_model(rng)
    user_ids = np.arange(NUM_USERS)
    seen = rng.random((NUM_USERS, NUM_ITEMS)) < 0.3
    seen[0] = True
    seen[0, -3:] = False  # user 0 has 3 unseen items, fewer than k
    export_path = str(tmp_path / "export")
    export_for_serving(model, export_path, k=6)

    inputs_path = tmp_path / "inputs.npz"
    np.savez(
        inputs_path,
        user_ids=user_ids,
        user_features=user_features,
        seen_item_mask=seen,
    )
    outputs_path = tmp_path / "outputs.npz"
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            LOAD_AND_SERVE,
            export_path,
            str(inputs_path),
            str(outputs_path),
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    signatures = json.loads(completed.stdout.strip().splitlines()[-1])
    assert signatures == [
        "serve",
        "serve_excluding_seen",
        "serving_default",
    ]
    served = np.load(outputs_path)

    expected_ids, expected_scores = model.recommend(
        user_ids, user_features, k=6
    )
    np.testing.assert_array_equal(served["plain_ids"], expected_ids)
    np.testing.assert_allclose(
        served["plain_scores"], expected_scores, rtol=1e-5, atol=1e-6
    )
    np.testing.assert_array_equal(served["default_ids"], expected_ids)

    expected_ids, expected_scores = model.recommend(
        user_ids, user_features, k=6, seen_item_mask=seen
    )
    unseen = np.isfinite(expected_scores)
    np.testing.assert_array_equal(
        served["seen_ids"][unseen], expected_ids[unseen]
    )
    np.testing.assert_allclose(
        served["seen_scores"][unseen],
        expected_scores[unseen],
        rtol=1e-5,
        atol=1e-6,
    )
    assert np.all(np.isneginf(served["seen_scores"][~unseen]))
    assert unseen[0].sum() == 3


@pytest.mark.tf_only
def test_invalid_k(rng, tmp_path):
    if keras.backend.backend() != "tensorflow":
        pytest.skip("exports a TensorFlow SavedModel")
    model, _ = trained_model(rng)
    with pytest.raises(ValueError, match="`k`.*0"):
        export_for_serving(model, str(tmp_path / "export"), k=0)


def test_other_backends_are_refused(rng, tmp_path):
    if keras.backend.backend() == "tensorflow":
        pytest.skip("checks the error under JAX and torch")
    model, _ = trained_model(rng)
    with pytest.raises(RuntimeError, match="KERAS_BACKEND=tensorflow"):
        export_for_serving(model, str(tmp_path / "export"))


def test_importing_kmr_does_not_import_tensorflow():
    code = (
        "import sys, kmr, kmr.models, kmr.losses, kmr.metrics, "
        "kmr.evaluation, kmr.utils, kmr.callbacks; "
        "print('tensorflow' in sys.modules)"
    )
    environment = {**os.environ, "KERAS_BACKEND": "jax"}
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
        cwd=os.getcwd(),
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip() == "False"
