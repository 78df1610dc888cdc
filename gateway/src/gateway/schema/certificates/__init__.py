"""Training providers, their programs, and the completion certificates they send."""
