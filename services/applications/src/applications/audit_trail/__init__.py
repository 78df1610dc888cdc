"""Applications' audit trails, read by staff (the records are written by each change)."""
