"""Recommendation models."""

from kmr.models.base_model import BaseModel

__all__ = ["BaseModel"]
