"""@K ranking metrics and running statistics usable in `compile()`."""

from kmr.metrics.accuracy_at_k import AccuracyAtK
from kmr.metrics.mean_average_precision_at_k import MeanAveragePrecisionAtK
from kmr.metrics.mean_reciprocal_rank import MeanReciprocalRank
from kmr.metrics.median import Median
from kmr.metrics.ndcg_at_k import NDCGAtK
from kmr.metrics.precision_at_k import PrecisionAtK
from kmr.metrics.ranking_metric import RankingMetric
from kmr.metrics.recall_at_k import RecallAtK
from kmr.metrics.standard_deviation import StandardDeviation

__all__ = [
    "AccuracyAtK",
    "MeanAveragePrecisionAtK",
    "MeanReciprocalRank",
    "Median",
    "NDCGAtK",
    "PrecisionAtK",
    "RankingMetric",
    "RecallAtK",
    "StandardDeviation",
]
