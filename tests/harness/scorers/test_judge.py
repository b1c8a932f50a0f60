"""ragas' LLM-judged metrics against a local OpenAI-compatible endpoint.

The endpoint here is a small rule-following stand-in for a judge model (an HTTP server in the
test process): it reads the JSON schema ragas/instructor ask for and answers with an instance of
it. What is tested is tunebench's side: the requests reach the endpoint, ragas' answers become
per-sample verdicts and metric rows, verdicts are cached, and a dead endpoint is reported, not raised.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tunebench.harness.core.spec import JudgeConfig
from tunebench.harness.core.store import Store
from tunebench.harness.core.suites import Suite, SuiteConfig
from tunebench.harness.scorers.base import ScoringContext
from tunebench.harness.scorers.judge import JUDGE, Judge, judge_skipped


def judged_by(judge, store, suite, items, outputs):
    """(per-sample verdicts, metric rows) through the judge scorer."""
    result = JUDGE.score(ScoringContext(suite, "test", items, outputs, judge=judge, cache=store, judged=True))
    return [s.details for s in result.samples], result.metrics


def _instance(schema: dict, defs: dict, user: str):
    """An instance of ``schema``: verdicts 'supported', aspects fail on refund promises."""
    if "$ref" in schema:
        return _instance(defs[schema["$ref"].split("/")[-1]], defs, user)
    kind = schema.get("type")
    if kind == "object":
        return {name: (1 if name == "verdict" else 0 if name == "noncommittal" else _instance(sub, defs, user))
                for name, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [_instance(schema["items"], defs, user)]
    if "enum" in schema:
        return "fail" if "guaranteed" in user and "fail" in schema["enum"] else schema["enum"][0]
    return {"integer": 1, "number": 1.0, "boolean": True}.get(kind, "the order ships in two days")


class _Judge(BaseHTTPRequestHandler):
    requests = 0

    def do_POST(self):  # noqa: N802 - http.server's naming
        type(self).requests += 1
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        system = body["messages"][0]["content"]
        schema, _ = json.JSONDecoder().raw_decode(system[system.index("{"):])
        user = body["messages"][1]["content"]
        answer = _instance(schema, schema.get("$defs", {}), user.split("Answer:")[-1])
        out = json.dumps({"id": "1", "object": "chat.completion", "created": 0, "model": body["model"],
                          "choices": [{"index": 0, "finish_reason": "stop",
                                       "message": {"role": "assistant", "content": json.dumps(answer)}}],
                          "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Judge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def _suite(tmp_path) -> Suite:
    return Suite(SuiteConfig(name="support", task_type="generation", input_field="q", context_field="kb",
                             target_field="a", instruction="Answer.", splits={"test": "t.jsonl"}), tmp_path)


ITEMS = [{"id": str(i), "q": "Where is my order LC-1?", "kb": "Orders ship within two days.", "a": "In two days."}
         for i in range(3)]
OUTPUTS = ["Your order ships within two days.", "A full refund is guaranteed today.", ""]


def test_judged_metrics_per_sample_cached_and_explained(tmp_path, endpoint):
    judge = Judge(JudgeConfig(base_url=endpoint, model="judge-model", aspects={"on_policy": "Is it on policy?"}))
    store = Store(tmp_path / "store.sqlite")
    per_sample, rows = judged_by(judge, store, _suite(tmp_path), ITEMS, OUTPUTS)
    rows = {r.metric: r for r in rows}
    assert set(rows) == {"judge.faithfulness", "judge.answer_relevancy", "judge.aspect_critic.on_policy"}
    assert rows["judge.aspect_critic.on_policy"].value == pytest.approx(1 / 3)  # pass, fail, empty
    assert rows["judge.faithfulness"].value == pytest.approx(2 / 3)  # empty output scores 0
    assert 0.0 <= rows["judge.answer_relevancy"].value <= 1.0 and rows["judge.answer_relevancy"].n == 3
    assert "judge-model" in rows["judge.faithfulness"].explanation
    assert per_sample[1]["judge.aspect_critic.on_policy"]["value"] == "fail"
    assert per_sample[2]["judge.faithfulness"] == {"value": 0.0, "reason": "empty output"}
    asked = _Judge.requests
    assert asked > 0
    again = judged_by(judge, store, _suite(tmp_path), ITEMS, OUTPUTS)
    assert _Judge.requests == asked, "a cached verdict was asked again"
    assert again[0] == per_sample


def test_unreachable_judge_is_reported_not_raised(tmp_path):
    judge = Judge(JudgeConfig(base_url="http://127.0.0.1:9/v1", model="m", metrics=["aspect_critic"],
                              timeout_s=2))
    _, rows = judged_by(judge, Store(tmp_path / "store.sqlite"), _suite(tmp_path), ITEMS, OUTPUTS)
    assert all(r.value is None and r.explanation.startswith("failed:") for r in rows)


def test_without_a_judge_the_row_says_skipped():
    row = judge_skipped()
    assert row.value is None and "skipped" in row.explanation and "base_url" in row.explanation


def test_faithfulness_needs_a_context(tmp_path, endpoint):
    suite = Suite(SuiteConfig(name="s", task_type="generation", input_field="q", target_field="a",
                              instruction="i", splits={"test": "t.jsonl"}), tmp_path)
    judge = Judge(JudgeConfig(base_url=endpoint, model="m", metrics=["faithfulness", "answer_relevancy"]))
    _, rows = judged_by(judge, Store(tmp_path / "store.sqlite"), suite, ITEMS[:1], OUTPUTS[:1])
    assert [r.metric for r in rows] == ["judge.answer_relevancy"]
