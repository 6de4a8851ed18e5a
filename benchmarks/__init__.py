"""Benchmarks for the CSV user import (not collected by pytest): ``python -m benchmarks.run``."""
