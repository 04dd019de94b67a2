"""Reusable recommendation layers."""

from kmr.layers.base_layer import BaseLayer
from kmr.layers.collaborative_user_item_embedding import (
    CollaborativeUserItemEmbedding,
)
from kmr.layers.cosine_similarity_explainer import CosineSimilarityExplainer
from kmr.layers.deep_feature_ranking import DeepFeatureRanking
from kmr.layers.deep_feature_tower import DeepFeatureTower
from kmr.layers.dynamic_batch_index_generator import (
    DynamicBatchIndexGenerator,
)
from kmr.layers.feedback_adjustment_layer import FeedbackAdjustmentLayer
from kmr.layers.geospatial_score_ranking import GeospatialScoreRanking
from kmr.layers.haversine_geospatial_distance import (
    HaversineGeospatialDistance,
)
from kmr.layers.learnable_weighted_combination import (
    LearnableWeightedCombination,
)
from kmr.layers.normalized_dot_product_similarity import (
    NormalizedDotProductSimilarity,
)
from kmr.layers.spatial_feature_clustering import SpatialFeatureClustering
from kmr.layers.tensor_dimension_expander import TensorDimensionExpander
from kmr.layers.threshold_based_masking import ThresholdBasedMasking
from kmr.layers.top_k_recommendation_selector import (
    TopKRecommendationSelector,
)

__all__ = [
    "BaseLayer",
    "CollaborativeUserItemEmbedding",
    "CosineSimilarityExplainer",
    "DeepFeatureRanking",
    "DeepFeatureTower",
    "DynamicBatchIndexGenerator",
    "FeedbackAdjustmentLayer",
    "GeospatialScoreRanking",
    "HaversineGeospatialDistance",
    "LearnableWeightedCombination",
    "NormalizedDotProductSimilarity",
    "SpatialFeatureClustering",
    "TensorDimensionExpander",
    "ThresholdBasedMasking",
    "TopKRecommendationSelector",
]
