"""Recommendation models."""

from kmr.models.base_model import BaseModel
from kmr.models.deep_ranking_model import DeepRankingModel
from kmr.models.explainable_recommendation_model import (
    ExplainableRecommendationModel,
)
from kmr.models.explainable_unified_recommendation_model import (
    ExplainableUnifiedRecommendationModel,
)
from kmr.models.matrix_factorization_model import MatrixFactorizationModel
from kmr.models.two_tower_model import TwoTowerModel
from kmr.models.unified_recommendation_model import UnifiedRecommendationModel

__all__ = [
    "BaseModel",
    "DeepRankingModel",
    "ExplainableRecommendationModel",
    "ExplainableUnifiedRecommendationModel",
    "MatrixFactorizationModel",
    "TwoTowerModel",
    "UnifiedRecommendationModel",
]
