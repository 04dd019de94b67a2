"""Splits, label matrices and full-catalog ranking evaluation."""

from kmr.evaluation.catalog_inputs import catalog_inputs
from kmr.evaluation.evaluate_model import evaluate_model
from kmr.evaluation.evaluate_ranking import evaluate_ranking
from kmr.evaluation.label_matrix import label_matrix
from kmr.evaluation.leave_last_out_split import leave_last_out_split
from kmr.evaluation.popularity_recommender import PopularityRecommender
from kmr.evaluation.random_holdout_split import random_holdout_split
from kmr.evaluation.seen_item_mask import seen_item_mask

__all__ = [
    "PopularityRecommender",
    "catalog_inputs",
    "evaluate_model",
    "evaluate_ranking",
    "label_matrix",
    "leave_last_out_split",
    "random_holdout_split",
    "seen_item_mask",
]
