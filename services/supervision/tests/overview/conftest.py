from ..session.records import mt_settings, supervisors, who

__all__ = ["mt_settings", "supervisors", "who"]
