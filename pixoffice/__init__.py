"""pixoffice: the web application of a university's Pix course office."""

from .celery import app as celery_app

__all__ = ["celery_app"]
