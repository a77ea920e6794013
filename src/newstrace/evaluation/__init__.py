"""Shared evaluation toolkit: real data sets, a synthetic spinner, and metrics.

``datasets`` loads the real data in ``../shared/data``; ``synthetic`` makes clearly labelled
synthetic spun text (with its ground truth); ``metrics`` scores detections and clusterings.
The ``newstrace eval ...`` commands build on these three modules.
"""
