"""Ranking losses: one loss value per user row, masked labels ignored."""

from kmr.losses.average_margin_loss import AverageMarginLoss
from kmr.losses.bpr_loss import BPRLoss
from kmr.losses.geospatial_margin_loss import GeospatialMarginLoss
from kmr.losses.improved_margin_ranking_loss import ImprovedMarginRankingLoss
from kmr.losses.max_min_margin_loss import MaxMinMarginLoss
from kmr.losses.ranking_loss import RankingLoss
from kmr.losses.softmax_cross_entropy_ranking_loss import (
    SoftmaxCrossEntropyRankingLoss,
)

__all__ = [
    "AverageMarginLoss",
    "BPRLoss",
    "GeospatialMarginLoss",
    "ImprovedMarginRankingLoss",
    "MaxMinMarginLoss",
    "RankingLoss",
    "SoftmaxCrossEntropyRankingLoss",
]
