"""What the privacy app keeps."""

from .statistics_models import YearStatistics

__all__ = ["YearStatistics"]
