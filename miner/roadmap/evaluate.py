"""Co-creators judged against planted truth (the demo's ``truth.csv``): used by the
tests and ``bench/cocreators_eval.py``."""

from __future__ import annotations

import numpy as np
import pandas as pd

from miner import schema
from miner.insights.stats import mentions
from miner.persist import Run


def cocreator_hits(
    run: Run, truth: pd.DataFrame, feed: dict, themes: int = 5, top: int = 5
) -> tuple[float, float, int]:
    """For the ``top`` co-creators of each of the ``themes`` largest themes: the share
    with a comment on that theme carrying a planted job or feature request; that share
    among all customers of those themes (the base rate); and the number judged.

    ``truth`` is row-aligned with the run's documents (``job_id``, ``kind``).
    """
    documents = run.documents
    analysed = documents["status"].isin(schema.ANALYSED).to_numpy()
    pairs = mentions(documents[analysed], "theme_id")
    rows = np.flatnonzero(analysed)[pairs["pos"].to_numpy()]
    carries = ((truth["job_id"] != "") | (truth["kind"] == "feature_request")).to_numpy()
    frame = pd.DataFrame(
        {
            "theme": pairs["theme_id"].to_numpy(),
            "customer": documents[run.id_column].astype(str).to_numpy()[rows],
            "carries": carries[rows],
        }
    )
    by_customer = frame.groupby(["theme", "customer"])["carries"].any()
    items = {i["theme_id"]: i for i in feed["themes"]}
    largest = run.themes[run.themes["theme_id"] >= 0].nlargest(themes, "comments")["theme_id"]
    hits = [
        bool(by_customer[(theme, str(person["customer_id"]))])
        for theme in largest
        if theme in items
        for person in items[theme]["co_creators"][:top]
    ]
    base = by_customer.loc[list(largest)]
    return float(np.mean(hits)) if hits else float("nan"), float(base.mean()), len(hits)
