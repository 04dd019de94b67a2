"""Recommendation models."""

from kmr.models.base_model import BaseModel
from kmr.models.explainable_unified_recommendation_model import (
    ExplainableUnifiedRecommendationModel,
)
from kmr.models.unified_recommendation_model import UnifiedRecommendationModel

__all__ = [
    "BaseModel",
    "ExplainableUnifiedRecommendationModel",
    "UnifiedRecommendationModel",
]
