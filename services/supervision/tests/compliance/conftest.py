from ..session.records import mt_settings, who

__all__ = ["mt_settings", "who"]
