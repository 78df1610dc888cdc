"""Employer alerts through the gateway."""
