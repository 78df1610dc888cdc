"""Supervision: supervisors (``supervisors``) and their agreements with peers (``agreements``)."""
