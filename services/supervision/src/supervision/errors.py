"""The supervision service's own failures, each with a stable code.

None yet: the policy endpoint cannot fail in a domain way. Each aggregate adds the errors it
raises here, subclassing ``certboard_core.errors`` so that they carry their HTTP status.
"""
