"""scikit-learn's estimator conventions, with miner's own not-fitted error.

Estimators subclass :class:`sklearn.base.BaseEstimator` (``get_params``, ``clone`` and
``repr`` come from the constructor's signature) and call :func:`require_fitted`, which
is :func:`sklearn.utils.validation.check_is_fitted` raising :class:`~miner.errors.NotFitted`
(code E106, a message that says what to do) instead of scikit-learn's error.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from miner.errors import NotFitted

__all__ = ["BaseEstimator", "require_fitted"]


def require_fitted(estimator, attributes: str | list[str], message: str) -> None:
    """Raise :class:`NotFitted` with ``message`` unless ``estimator`` has ``attributes``."""
    try:
        check_is_fitted(estimator, attributes)
    except NotFittedError as exc:
        raise NotFitted(message) from exc
