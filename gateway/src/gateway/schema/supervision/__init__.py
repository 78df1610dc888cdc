"""Supervision: session logs, hours worked and the compliance report."""
