"""Row statuses: nothing is dropped, each row says why it was or was not analysed."""

from __future__ import annotations

from miner.clean import clean


def test_statuses_and_duplicates():
    texts = [
        "Sync is broken",
        "",
        "   ",
        "n/a",
        "10",
        "5/10 !!",
        "sync  is   BROKEN",
        "Please add dark mode",
        None,
    ]
    result = clean(texts)
    assert result.status.tolist() == [
        "ok",
        "empty",
        "empty",
        "empty",
        "not_text",
        "not_text",
        "duplicate",
        "ok",
        "empty",
    ]
    assert result.duplicate_of.tolist()[6] == 0
    assert len(result.texts) == len(texts)
    assert result.texts[6] == "sync is BROKEN"


def test_duplicates_across_chunks():
    seen: dict[str, int] = {}
    first = clean(["sync is broken", "great app"], seen=seen, offset=0)
    second = clean(["Great app", "new text"], seen=seen, offset=2)
    assert first.status.tolist() == ["ok", "ok"]
    assert second.status.tolist() == ["duplicate", "ok"]
    assert second.duplicate_of.tolist() == [-2, -1]
    assert second.to_embed.tolist() == [True, True]
