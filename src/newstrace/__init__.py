"""newstrace: where news text came from, what happened, and whether the sources agree."""

__version__ = "0.1.0"
