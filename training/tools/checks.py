"""Checks for the smoke tests that, unlike `assert`, python -O cannot remove."""


class CheckFailed(Exception):
    pass


def check(condition, detail='check failed'):
    """Raises CheckFailed with `detail` (any value, shown as text) unless `condition` holds."""
    if not condition:
        raise CheckFailed(detail if isinstance(detail, str) else repr(detail))
