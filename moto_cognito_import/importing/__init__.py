"""The import pipeline: the pool's profile, CSV validation, the run that creates users, its log."""
