"""Keras callbacks that record and log recommendation training."""

from kmr.callbacks.component_weights_logger import ComponentWeightsLogger
from kmr.callbacks.explainability_visualizer import ExplainabilityVisualizer
from kmr.callbacks.recommendation_metrics_logger import (
    RecommendationMetricsLogger,
)
from kmr.callbacks.similarity_matrix_visualizer import (
    SimilarityMatrixVisualizer,
)

__all__ = [
    "ComponentWeightsLogger",
    "ExplainabilityVisualizer",
    "RecommendationMetricsLogger",
    "SimilarityMatrixVisualizer",
]
