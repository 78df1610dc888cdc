"""Signed credentials of certifications (Open Badges 3.0 as VC-JWT) and their status lists."""
