"""Applications, their documents, notices, fees and the staff work queues."""
