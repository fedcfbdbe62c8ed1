"""The learned job gate: shipped as .npy + JSON, deterministic, drops narrative rule jobs."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from miner.errors import ModelLoadError
from miner.jobs import JobExtractor
from miner.jobs.gate import DEFAULT_GATE_PATH, JobGate
from miner.kinds import CUE_NAMES

# A story from a help forum the failure rule reads as a job, and a long aside.
NARRATIVE = [
    "After the firmware flash the decoder behaved the same way as before, in that I "
    "couldn't pick any of the equaliser presets.",
    "(I tried to crash my laptop on purpose but it runs as it should).",
]
REQUESTS = [
    "Please add a dark mode to the app.",
    "I need to transfer money to my savings account.",
    "It would be great if I could sync my runs with Strava.",
]


@pytest.fixture(scope="module")
def extractors() -> tuple[JobExtractor, JobExtractor]:
    """The extractor with the shipped gate and the rules alone (the default)."""
    return JobExtractor(gate="default"), JobExtractor()


def test_gate_ships_as_arrays_and_json():
    assert sorted(p.name for p in DEFAULT_GATE_PATH.iterdir()) == ["coef.npy", "config.json"]
    gate = JobGate.load()
    assert gate.coef.shape == (2 * 384 + 3 + len(CUE_NAMES),)
    assert 0.0 < gate.threshold < 1.0


def test_a_gate_that_does_not_fit_is_refused(tmp_path):
    folder = tmp_path / "gate"
    shutil.copytree(DEFAULT_GATE_PATH, folder)
    np.save(folder / "coef.npy", np.zeros(10, dtype=np.float32))
    with pytest.raises(ModelLoadError, match="does not match"):
        JobGate.load(folder)
    shutil.copy(DEFAULT_GATE_PATH / "coef.npy", folder / "coef.npy")
    config = json.loads((folder / "config.json").read_text())
    config["sentiment_model_sha256"] = "0" * 64
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelLoadError, match="another sentiment encoder"):
        JobGate.load(folder)
    (folder / "coef.npy").unlink()
    with pytest.raises(ModelLoadError, match="train_jobs_gate"):
        JobGate.load(folder)


def test_gate_is_deterministic_and_reads_each_sentence_alone():
    gate = JobGate.load()
    sentences = NARRATIVE + REQUESTS
    together = gate.probability(sentences)
    reversed_order = gate.probability(sentences[::-1])[::-1]
    alone = np.array([gate.probability([s])[0] for s in sentences])
    np.testing.assert_array_equal(together, reversed_order)
    # One sentence per encoder call: a score does not depend on the rest of the input
    # (up to float rounding in the final dot product).
    np.testing.assert_allclose(together, alone, rtol=0, atol=1e-6)


def test_gate_drops_narrative_and_keeps_requests(extractors):
    gated, rules = extractors
    for text in NARRATIVE:
        assert rules.extract([text])[0], f"the rules should find a job in {text!r}"
        assert gated.extract([text])[0] == [], f"the gate should drop {text!r}"
    for text in REQUESTS:
        kept = gated.extract([text])[0]
        assert kept and kept == rules.extract([text])[0]


def test_gate_works_per_sentence_and_keeps_order(extractors):
    gated, rules = extractors
    texts = [f"{NARRATIVE[0]} {REQUESTS[0]}", "", None, REQUESTS[1]]
    found = gated.extract(texts)
    assert [len(jobs) for jobs in found] == [1, 0, 0, 1]
    job = found[0][0]
    assert texts[0][job.motivation_start : job.motivation_end] == job.motivation
    assert job in rules.extract(texts[:1])[0]
    assert list(gated.pipe(iter(texts))) == found


def test_rules_alone_by_default_and_requests_are_never_gated(extractors):
    _, rules = extractors
    assert rules.job_gate is None
    shipped = JobGate.load()
    # A gate that drops every sentence it reads still keeps explicit requests.
    strict = JobGate(shipped.coef, shipped.intercept, threshold=1.01)
    texts = [REQUESTS[0], REQUESTS[1], NARRATIVE[1]]
    found = rules.extract(texts)
    assert [job.trigger for job in found[0]] == ["request"]
    assert strict.filter(texts, found) == [found[0], [], []]


# --- the gate as an option of the analysis, the saved model and the CLI ------------------


def test_the_analysis_applies_the_gate_only_when_asked():
    from miner.analysis import DocumentAnalyser

    texts = [NARRATIVE[0], REQUESTS[1]]
    plain, _ = DocumentAnalyser().analyse(texts)
    gated_analyser = DocumentAnalyser(job_gate=True)
    gated, _ = gated_analyser.analyse(texts)
    assert plain["job_statement"].notna().tolist() == [True, True]
    assert gated["job_statement"].notna().tolist() == [False, True]
    assert gated["job_statement"][1] == plain["job_statement"][1]
    # the run's record names the gate's weights among the models used
    assert "jobs_gate" in gated_analyser.model_files()
    assert "jobs_gate" not in DocumentAnalyser().model_files()


def test_a_saved_model_keeps_the_gate_setting():
    from miner.config import MinerConfig
    from miner.pipeline import FeedbackMiner

    miner = FeedbackMiner(job_gate=True)
    config = MinerConfig.from_dict(json.loads(json.dumps(miner.config.to_dict())))
    assert config.job_gate is True
    assert FeedbackMiner.from_config(config).job_gate is True
    # a model saved before the setting existed reads as "no gate"
    old = miner.config.to_dict()
    del old["job_gate"]
    assert MinerConfig.from_dict(old).job_gate is False


def test_score_with_the_job_gate(cli, tmp_path):
    import pandas as pd

    path = tmp_path / "reviews.csv"
    pd.DataFrame({"text": [NARRATIVE[0], REQUESTS[1]]}).to_csv(path, index=False)
    code, _, err = cli("score", path, "--out", tmp_path / "plain.csv")
    assert code == 0, err
    code, _, err = cli("score", path, "--out", tmp_path / "gated.csv", "--job-gate")
    assert code == 0, err
    plain = pd.read_csv(tmp_path / "plain.csv")
    gated = pd.read_csv(tmp_path / "gated.csv")
    assert plain["job_statement"].notna().tolist() == [True, True]
    assert gated["job_statement"].notna().tolist() == [False, True]
    # adding rows to a run scores them as the run was fitted: the option is refused there
    code, _, err = cli("score", path, "--into", tmp_path, "--job-gate")
    assert code != 0 and "--job-gate" in err and "Traceback" not in err


def test_scoring_with_a_fitted_model_can_add_the_gate(small_run):
    from miner.engines import _load_scorer

    model = str(small_run[0] / "model")
    fitted, _ = _load_scorer(model)
    assert fitted.job_gate is False and fitted._analyser().job_gate is False
    fitted, _ = _load_scorer(model, job_gate=True)
    assert fitted._analyser().job_gate is True
    texts = [NARRATIVE[0], REQUESTS[1]]
    assert [bool(jobs) for jobs in fitted._analyser().analyse(texts)[1]] == [False, True]


def test_a_fit_of_long_comments_suggests_the_gate():
    from types import SimpleNamespace

    from miner.batch import job_gate_hint

    long = SimpleNamespace(per_document=True, job_gate=False, theme_unit_="piece")
    assert "--job-gate" in job_gate_hint(long)
    for settings in ({"job_gate": True}, {"theme_unit_": "comment"}, {"per_document": False}):
        assert job_gate_hint(SimpleNamespace(**{**vars(long), **settings})) is None
