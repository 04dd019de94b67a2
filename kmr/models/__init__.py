"""Recommendation models."""

from kmr.models.base_model import BaseModel
from kmr.models.explainable_unified_recommendation_model import (
    ExplainableUnifiedRecommendationModel,
)
from kmr.models.export_recommender import export_for_serving
from kmr.models.sampled_candidate_dataset import SampledCandidateDataset
from kmr.models.unified_recommendation_model import UnifiedRecommendationModel

__all__ = [
    "BaseModel",
    "ExplainableUnifiedRecommendationModel",
    "SampledCandidateDataset",
    "UnifiedRecommendationModel",
    "export_for_serving",
]
