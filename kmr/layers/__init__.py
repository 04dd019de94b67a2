"""Reusable recommendation layers."""

from kmr.layers.base_layer import BaseLayer
from kmr.layers.cosine_similarity_explainer import CosineSimilarityExplainer
from kmr.layers.top_k_recommendation_selector import (
    TopKRecommendationSelector,
)

__all__ = [
    "BaseLayer",
    "CosineSimilarityExplainer",
    "TopKRecommendationSelector",
]
