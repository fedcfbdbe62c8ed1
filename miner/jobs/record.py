"""The Job record: one job-to-be-done found in one document."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

# Pattern families a job can be triggered by (the `trigger` field).
TRIGGERS = ("want", "request", "purpose", "failure", "enable", "question")


@dataclass(frozen=True, slots=True)
class Job:
    """A job-to-be-done with its parts and where they are in the original text.

    ``situation``/``motivation``/``outcome`` are verbatim slices of the input text
    (``text[motivation_start:motivation_end] == motivation``); ``statement`` is the
    tidied canonical sentence "When <situation>, I want to <motivation>, so I can
    <outcome>." ``start``/``end`` delimit the sentence the job was found in (the quote).
    """

    statement: str
    motivation: str
    motivation_start: int
    motivation_end: int
    trigger: str
    start: int
    end: int
    situation: str | None = None
    situation_start: int | None = None
    situation_end: int | None = None
    outcome: str | None = None
    outcome_start: int | None = None
    outcome_end: int | None = None

    def to_dict(self) -> dict:
        """Plain dict (JSON/Parquet friendly), field names as in the dataclass."""
        return {name: getattr(self, name) for name in _FIELD_NAMES}

    def shifted(self, offset: int) -> Job:
        """The same job with every character offset moved by ``offset``."""

        def move(value: int | None) -> int | None:
            return None if value is None else value + offset

        return replace(
            self,
            motivation_start=self.motivation_start + offset,
            motivation_end=self.motivation_end + offset,
            start=self.start + offset,
            end=self.end + offset,
            situation_start=move(self.situation_start),
            situation_end=move(self.situation_end),
            outcome_start=move(self.outcome_start),
            outcome_end=move(self.outcome_end),
        )


_FIELD_NAMES = tuple(field.name for field in fields(Job))
