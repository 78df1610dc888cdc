"""Supervision: supervisors, their agreements with peers, session logs, hours worked and the
compliance report."""
