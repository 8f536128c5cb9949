"""Runs the official OpenAI Python SDK against two running tierbench mocks and checks what the SDK sees.

Usage: openai_sdk_check.py BASE_URL API_KEY LIMITED_BASE_URL BATCH_BASE_URL
  BASE_URL          a mock started with --api-key API_KEY (no rate limits)
  LIMITED_BASE_URL  a mock with a tiny rate limit (seed002 free tier, time-scaled), any key accepted
  BATCH_BASE_URL    a mock whose Batch API runs time-scaled (a 24 h window in seconds), key API_KEY
Prints one line per check and "N passed, M failed"; exits 1 on any failure.
"""

import base64
import json
import struct
import sys
import time
import urllib.request

import openai

base_url, api_key, limited_url, batch_url = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
results = []


def check(name):
    def run(fn):
        started = time.monotonic()
        try:
            fn()
            results.append((name, None))
            print(f"ok    {name} ({time.monotonic() - started:.2f}s)")
        except Exception as error:  # noqa: BLE001 - report every failure and go on
            results.append((name, error))
            print(f"FAIL  {name}: {type(error).__name__}: {error}")
        return fn

    return run


client = openai.OpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=20)
messages = [{"role": "user", "content": "Who is the oldest president?"}]


@check("models.list")
def _():
    ids = [model.id for model in client.models.list()]
    assert "gpt-4o-mini" in ids and "text-embedding-3-small" in ids, ids
    assert client.models.retrieve("gpt-4o").object == "model"


@check("chat plain")
def _():
    response = client.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=8)
    assert response.id.startswith("chatcmpl-"), response.id
    assert response.object == "chat.completion"
    assert response.choices[0].message.role == "assistant"
    assert response.choices[0].message.content
    assert response.choices[0].finish_reason in ("stop", "length")
    assert response.usage.total_tokens == response.usage.prompt_tokens + response.usage.completion_tokens
    assert response._request_id and response._request_id.startswith("req_"), response._request_id


@check("chat streamed with include_usage")
def _():
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=messages, max_completion_tokens=6, stream=True,
        stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text, "no streamed text"
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["length"], finishes
    usage_chunk = chunks[-1]
    assert usage_chunk.choices == [] and usage_chunk.usage is not None, usage_chunk
    assert usage_chunk.usage.completion_tokens == 6, usage_chunk.usage


@check("chat n=2")
def _():
    response = client.chat.completions.create(model="gpt-4o-mini", messages=messages, n=2, max_tokens=5)
    assert [choice.index for choice in response.choices] == [0, 1]
    assert response.usage.completion_tokens == 10, response.usage


@check("completions with a prompt array and n=2")
def _():
    prompts = ["first prompt", "second prompt", "third"]
    response = client.completions.create(model="gpt-3.5-turbo-instruct", prompt=prompts, n=2, max_tokens=4)
    assert response.object == "text_completion"
    assert sorted(choice.index for choice in response.choices) == list(range(6))
    assert all(choice.text for choice in response.choices)
    assert response.usage.completion_tokens == 24, response.usage


@check("embeddings default (the SDK asks for base64 and decodes it)")
def _():
    response = client.embeddings.create(model="text-embedding-3-small", input=["alpha", "beta"])
    assert len(response.data) == 2 and len(response.data[0].embedding) == 1536
    assert all(isinstance(x, float) for x in response.data[0].embedding[:8])
    norm = sum(x * x for x in response.data[0].embedding) ** 0.5
    assert abs(norm - 1) < 1e-3, norm
    floats = client.embeddings.create(model="text-embedding-3-small", input=["alpha"], encoding_format="float")
    assert all(abs(a - b) < 1e-6 for a, b in zip(response.data[0].embedding, floats.data[0].embedding))


@check("embeddings float, equal to the base64 vector")
def _():
    floats = client.embeddings.create(model="text-embedding-3-small", input="alpha", encoding_format="float")
    raw = client.embeddings.with_raw_response.create(
        model="text-embedding-3-small", input="alpha", encoding_format="base64")
    encoded = json.loads(raw.text)["data"][0]["embedding"]
    decoded = struct.unpack("<1536f", base64.b64decode(encoded))
    assert all(abs(a - b) < 1e-7 for a, b in zip(decoded, floats.data[0].embedding))


@check("400 in the error envelope")
def _():
    try:
        client.chat.completions.create(model="gpt-4o-mini", messages=[])
    except openai.BadRequestError as error:
        assert error.status_code == 400
        assert error.body["type"] == "invalid_request_error" and error.body["param"] == "messages", error.body
        assert error.code == "empty_array", error.code
        return
    raise AssertionError("no BadRequestError")


@check("404 unknown model")
def _():
    try:
        client.chat.completions.create(model="gpt-does-not-exist", messages=messages)
    except openai.NotFoundError as error:
        assert error.code == "model_not_found", error.body
        assert "does not exist" in error.message
        return
    raise AssertionError("no NotFoundError")


@check("401 with a wrong key")
def _():
    wrong = openai.OpenAI(base_url=base_url, api_key="sk-proj-wrong-key-00001111", max_retries=0)
    try:
        wrong.models.list()
    except openai.AuthenticationError as error:
        assert error.status_code == 401 and error.code == "invalid_api_key", error.body
        assert "sk-proj-****1111" in error.message, error.message
        return
    raise AssertionError("no AuthenticationError")


@check("429 with rate-limit headers, retried successfully by the SDK")
def _():
    def stats():
        with urllib.request.urlopen(limited_url.removesuffix("/v1") + "/mock/stats", timeout=10) as response:
            return json.load(response)

    # Drain the bucket (3 RPM, time-scaled) with a client that does not retry, and look at the 429 it gets.
    no_retry = openai.OpenAI(base_url=limited_url, api_key="sk-any", max_retries=0, timeout=20)
    error = None
    for _ in range(6):
        try:
            no_retry.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=2)
        except openai.RateLimitError as caught:
            error = caught
            break
    assert error is not None, "no RateLimitError"
    assert error.status_code == 429 and error.code == "rate_limit_exceeded", error.body
    assert error.body["type"] == "requests", error.body
    headers = error.response.headers
    for name in ("x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
                 "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens",
                 "retry-after", "retry-after-ms"):
        assert headers.get(name) is not None, (name, dict(headers))
    assert headers["x-ratelimit-limit-requests"] == "3" and headers["x-ratelimit-remaining-requests"] == "0"
    before = stats()

    # A retrying client: its first attempt meets the same empty bucket, waits retry-after-ms, and succeeds.
    retrying = openai.OpenAI(base_url=limited_url, api_key="sk-any", max_retries=4, timeout=20)
    result = retrying.chat.completions.create(model="gpt-4o-mini", messages=messages, max_tokens=2)
    assert result.choices[0].message.content
    after = stats()
    assert after["rateLimited"] > before["rateLimited"], (before, after)
    assert after["retries"] > before["retries"], (before, after)


batches = openai.OpenAI(base_url=batch_url, api_key=api_key, max_retries=0, timeout=30)
TERMINAL = ("completed", "failed", "expired", "cancelled")


def batch_input(count, prefix="req"):
    lines = [
        json.dumps({
            "custom_id": f"{prefix}-{index}", "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"question {index}"}],
                     "max_tokens": 8},
        })
        for index in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def wait_for(batch, statuses=TERMINAL, seconds=90):
    deadline = time.monotonic() + seconds
    while batch.status not in statuses:
        assert time.monotonic() < deadline, f"batch still {batch.status} after {seconds}s"
        time.sleep(0.1)
        batch = batches.batches.retrieve(batch.id)
    return batch


@check("files.create, batches.create, batches.retrieve to completed, files.content, batches.list")
def _():
    data = batch_input(20)
    uploaded = batches.files.create(file=("input.jsonl", data), purpose="batch")
    assert uploaded.object == "file" and uploaded.id.startswith("file-"), uploaded
    assert uploaded.purpose == "batch" and uploaded.bytes == len(data), uploaded
    assert batches.files.retrieve(uploaded.id).filename == "input.jsonl"
    assert uploaded.id in [f.id for f in batches.files.list()]
    created = batches.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h",
        metadata={"job": "interop"})
    assert created.object == "batch" and created.id.startswith("batch_"), created
    assert created.status == "validating" and created.request_counts.total == 0, created
    assert created.expires_at - created.created_at == 86400, created
    done = wait_for(created)
    assert done.status == "completed", done
    assert done.request_counts.total == 20 and done.request_counts.completed == 20, done.request_counts
    assert done.in_progress_at and done.finalizing_at and done.completed_at, done
    assert done.created_at <= done.in_progress_at <= done.finalizing_at <= done.completed_at, done
    assert done.metadata == {"job": "interop"} and done.output_file_id, done
    output = batches.files.retrieve(done.output_file_id)
    assert output.purpose == "batch_output", output
    lines = [json.loads(line) for line in batches.files.content(done.output_file_id).text.splitlines() if line]
    assert sorted(line["custom_id"] for line in lines) == sorted(f"req-{index}" for index in range(20))
    for line in lines:
        assert line["id"].startswith("batch_req_") and line["error"] is None, line
        assert line["response"]["status_code"] == 200, line
        assert line["response"]["body"]["object"] == "chat.completion", line
    # Auto-pagination, two batches a page, must reach this batch.
    assert done.id in [batch.id for batch in batches.batches.list(limit=2)]
    assert batches.files.delete(uploaded.id).deleted is True


@check("batches.cancel: cancelling then cancelled; 409 for a completed batch")
def _():
    uploaded = batches.files.create(file=("big.jsonl", batch_input(5000, "big")), purpose="batch")
    created = batches.batches.create(
        input_file_id=uploaded.id, endpoint="/v1/chat/completions", completion_window="24h")
    cancelling = batches.batches.cancel(created.id)
    assert cancelling.status in ("cancelling", "cancelled"), cancelling
    assert cancelling.cancelling_at is not None, cancelling
    cancelled = wait_for(cancelling)
    assert cancelled.status == "cancelled" and cancelled.cancelled_at is not None, cancelled
    small = batches.files.create(file=("small.jsonl", batch_input(2, "small")), purpose="batch")
    done = wait_for(batches.batches.create(
        input_file_id=small.id, endpoint="/v1/chat/completions", completion_window="24h"))
    assert done.status == "completed", done
    try:
        batches.batches.cancel(done.id)
    except openai.ConflictError as error:
        assert "Cannot cancel a batch with status 'completed'" in str(error), error
    else:
        raise AssertionError("cancelling a completed batch did not raise 409")


failed = [name for name, error in results if error is not None]
print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
