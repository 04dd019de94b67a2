"""Reusable recommendation layers."""

from kmr.layers.base_layer import BaseLayer
from kmr.layers.collaborative_user_item_embedding import (
    CollaborativeUserItemEmbedding,
)
from kmr.layers.cosine_similarity_explainer import CosineSimilarityExplainer
from kmr.layers.deep_feature_ranking import DeepFeatureRanking
from kmr.layers.deep_feature_tower import DeepFeatureTower
from kmr.layers.feedback_adjustment_layer import FeedbackAdjustmentLayer
from kmr.layers.learnable_weighted_combination import (
    LearnableWeightedCombination,
)
from kmr.layers.top_k_recommendation_selector import (
    TopKRecommendationSelector,
)

__all__ = [
    "BaseLayer",
    "CollaborativeUserItemEmbedding",
    "CosineSimilarityExplainer",
    "DeepFeatureRanking",
    "DeepFeatureTower",
    "FeedbackAdjustmentLayer",
    "LearnableWeightedCombination",
    "TopKRecommendationSelector",
]
