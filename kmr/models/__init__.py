"""Recommendation models, the sampled-candidate dataset and serving export."""

from kmr.models.base_model import BaseModel
from kmr.models.deep_ranking_model import DeepRankingModel
from kmr.models.explainable_recommendation_model import (
    ExplainableRecommendationModel,
)
from kmr.models.explainable_unified_recommendation_model import (
    ExplainableUnifiedRecommendationModel,
)
from kmr.models.export_recommender import export_for_serving
from kmr.models.matrix_factorization_model import MatrixFactorizationModel
from kmr.models.sampled_candidate_dataset import SampledCandidateDataset
from kmr.models.two_tower_model import TwoTowerModel
from kmr.models.unified_recommendation_model import UnifiedRecommendationModel

__all__ = [
    "BaseModel",
    "DeepRankingModel",
    "ExplainableRecommendationModel",
    "ExplainableUnifiedRecommendationModel",
    "MatrixFactorizationModel",
    "SampledCandidateDataset",
    "TwoTowerModel",
    "UnifiedRecommendationModel",
    "export_for_serving",
]
