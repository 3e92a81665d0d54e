"""Synthetic lab reports with their truth, for testing and benchmarking the lab-report reader."""
