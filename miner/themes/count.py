"""How many themes: the automatic rule, a target count, or coarser or finer than automatic.

The automatic rule is :func:`miner.themes.cluster.choose_count` (the fewest themes whose
silhouette is within reach of the best). A PM can ask for another granularity:
``n_themes`` cuts about that many themes, ``granularity`` ``"coarser"`` about half the
automatic count and ``"finer"`` about twice it. Themes below the minimum size still
dissolve, so the count found can be a little lower than the count cut.
"""

from __future__ import annotations

from numbers import Integral

from miner.errors import InvalidConfig
from miner.schema import GRANULARITIES
from miner.themes.cluster import adaptive_min_size, most_clusters

# The automatic count is multiplied by this before the themes are cut.
GRANULARITY_SCALE = {"coarser": 0.5, "auto": 1.0, "finer": 2.0}


def check_theme_count(n_themes: int | None, granularity: str) -> None:
    """Raise :class:`InvalidConfig` (E108) for a target count or granularity that
    cannot be asked for (checked before any work)."""
    if granularity not in GRANULARITIES:
        raise InvalidConfig(f"granularity '{granularity}' is not one of {', '.join(GRANULARITIES)}")
    if n_themes is None:
        return
    if isinstance(n_themes, bool) or not isinstance(n_themes, Integral) or n_themes < 2:
        raise InvalidConfig(
            f"--themes must be a whole number of 2 or more, got {n_themes!r} "
            "(leave it out to let the data choose)"
        )
    if granularity != "auto":
        raise InvalidConfig(
            f"give --themes ({n_themes}) or --granularity ({granularity}), not both: "
            "--themes asks for a count, --granularity for fewer or more than automatic"
        )


def check_enough_texts(
    n_themes: int | None, n_texts: int, min_theme_size: int | None, what: str = "comments"
) -> None:
    """Raise :class:`InvalidConfig` (E108) when ``n_themes`` is more than ``n_texts``
    texts (``what`` they are) can give, each theme holding at least the minimum theme
    size (``min_theme_size``, or the size that adapts to the corpus)."""
    if n_themes is None:
        if min_theme_size is not None and n_texts and min_theme_size > n_texts // 2:
            # one theme of everything (--min-theme-size 100000 on 240 comments had given
            # "Bank sync", 100% of them, praise and requests alike)
            raise InvalidConfig(
                f"--min-theme-size {min_theme_size} leaves room for one theme at most in "
                f"{n_texts:,} {what}: two themes need {2 * min_theme_size:,}; lower it"
            )
        return
    min_size = min_theme_size or adaptive_min_size(n_texts)
    most = most_clusters(n_texts, min_size)
    if n_themes <= most:
        return
    raise InvalidConfig(
        f"--themes {n_themes} is more themes than {n_texts:,} {what} allow: each theme "
        f"needs at least {min_size} of them (the minimum theme size), so at most {most} "
        f"theme{'' if most == 1 else 's'}; ask for fewer, or lower --min-theme-size"
    )


def count_note(record: dict | None) -> str:
    """What was asked of the count, for the fit's summary line ("" when automatic):
    ``"about 8 asked for; "``, ``"coarser than the automatic 14; "``."""
    if not record:
        return ""
    cut, kept = record.get("cut"), record.get("themes")
    # Themes too small or too alike to keep go after the cut: say so, or "finer than the
    # automatic 7" beside 6 themes found reads as the option doing nothing.
    after = f": cut into {cut}, {kept} kept" if cut is not None and kept not in (None, cut) else ""
    if record.get("n_themes") is not None:
        return f"about {record['n_themes']} asked for{after}; "
    if record.get("granularity", "auto") != "auto" and record.get("automatic") is not None:
        return f"{record['granularity']} than the automatic {record['automatic']}{after}; "
    return ""
