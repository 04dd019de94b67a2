"""Great-circle distances between points given by latitude and longitude."""

from __future__ import annotations

import math

import keras
from keras import ops

from kmr._validation import check_choice, check_float
from kmr.layers.base_layer import BaseLayer

_ANGLE_UNITS = ("radians", "degrees")
_NORMALIZATIONS = (None, "max_distance", "batch_min_max")


@keras.saving.register_keras_serializable(package="kmr.layers")
class HaversineGeospatialDistance(BaseLayer):
    """Great-circle distance by the haversine formula, in units of the radius.

    With `dlat = lat2 - lat1` and `dlon = lon2 - lon1`:

        a = sin(dlat / 2)^2 + cos(lat1) * cos(lat2) * sin(dlon / 2)^2
        d = 2 * earth_radius * atan2(sqrt(a), sqrt(1 - a))

    so with the default radius of 6371.0 the distances are in kilometres.
    By default the distance is element-wise: point `i` of the first set to
    point `i` of the second, with the (broadcast) shape of the inputs. With
    `pairwise=True` every point of the first set is compared with every
    point of the second, giving a `(num_points_1, num_points_2)` matrix.

    Unlike the original KMR layer, the distances are not min-max
    normalised over the batch unless `normalization="batch_min_max"` is
    asked for; `normalization="max_distance"` divides by half the
    circumference (`pi * earth_radius`), which maps to [0, 1] without making
    a value depend on the rest of the batch.

    Args:
        earth_radius: Sphere radius, > 0. Defaults to 6371.0 (km).
        pairwise: Whether to return the matrix of all pairs instead of the
            element-wise distances. Defaults to `False`.
        angle_unit: `"radians"` or `"degrees"`, the unit of the four
            inputs. Defaults to `"radians"`.
        normalization: `None` (distances), `"max_distance"` (divided by
            `pi * earth_radius`, in [0, 1]) or `"batch_min_max"` (the
            original's `(d - min d) / (max d - min d + 1e-6)` over the
            whole output; batch-dependent). Defaults to `None`.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        Four tensors `(lat1, lon1, lat2, lon2)`. Element-wise: shapes that
        broadcast together, e.g. all `(batch_size,)` or `(batch_size, 1)`.
        Pairwise: `lat1, lon1` of shape `(num_points_1,)` and `lat2, lon2`
        of shape `(num_points_2,)` (a trailing axis of size 1 is allowed).

    Output shape:
        Element-wise: the broadcast shape of the inputs. Pairwise:
        `(num_points_1, num_points_2)`.

    Example:
    ```python
    import numpy as np
    from kmr.layers import HaversineGeospatialDistance

    paris = np.array([48.8566, 2.3522], "float32")
    london = np.array([51.5074, -0.1278], "float32")
    layer = HaversineGeospatialDistance(angle_unit="degrees")
    layer([paris[:1], paris[1:], london[:1], london[1:]])  # [343.5...] km
    ```
    """

    def __init__(
        self,
        earth_radius: float = 6371.0,
        pairwise: bool = False,
        angle_unit: str = "radians",
        normalization: str | None = None,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.earth_radius = check_float(
            "earth_radius", earth_radius, minimum=0.0, min_inclusive=False
        )
        self.pairwise = check_choice("pairwise", pairwise, (False, True))
        self.pairwise = bool(self.pairwise)
        self.angle_unit = check_choice("angle_unit", angle_unit, _ANGLE_UNITS)
        self.normalization = check_choice(
            "normalization", normalization, _NORMALIZATIONS
        )

    def _config_arguments(self) -> dict:
        return {
            "earth_radius": self.earth_radius,
            "pairwise": self.pairwise,
            "angle_unit": self.angle_unit,
            "normalization": self.normalization,
        }

    def call(self, inputs):
        lat1, lon1, lat2, lon2 = self._prepare(inputs)

        half_dlat = (lat2 - lat1) / 2.0
        half_dlon = (lon2 - lon1) / 2.0
        a = ops.square(ops.sin(half_dlat)) + ops.cos(lat1) * ops.cos(
            lat2
        ) * ops.square(ops.sin(half_dlon))

        # Rounding can push `a` just outside [0, 1] for (anti)podal points.
        a = ops.clip(a, 0.0, 1.0)
        central_angle = 2.0 * ops.arctan2(ops.sqrt(a), ops.sqrt(1.0 - a))
        distances = self.earth_radius * central_angle
        return self._normalize(distances)

    def _prepare(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 4:
            count = len(inputs) if isinstance(inputs, (list, tuple)) else 1
            raise ValueError(
                "HaversineGeospatialDistance expects four inputs (lat1, "
                f"lon1, lat2, lon2), received {count}."
            )
        coordinates = [ops.cast(x, self.compute_dtype) for x in inputs]
        if self.angle_unit == "degrees":
            coordinates = [x * (math.pi / 180.0) for x in coordinates]
        if not self.pairwise:
            return coordinates

        for value in coordinates:
            shape = tuple(value.shape)
            if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] != 1):
                raise ValueError(
                    "With `pairwise=True` each input must have shape "
                    f"(num_points,) or (num_points, 1), received {shape}."
                )
        lat1, lon1, lat2, lon2 = coordinates
        return (
            ops.reshape(lat1, (-1, 1)),
            ops.reshape(lon1, (-1, 1)),
            ops.reshape(lat2, (1, -1)),
            ops.reshape(lon2, (1, -1)),
        )

    def _normalize(self, distances):
        if self.normalization == "max_distance":
            return distances / (math.pi * self.earth_radius)
        if self.normalization == "batch_min_max":
            smallest = ops.min(distances)
            spread = ops.max(distances) - smallest
            return (distances - smallest) / (spread + 1e-6)
        return distances
