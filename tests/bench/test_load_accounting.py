"""The load generator's bookkeeping: a lost, doubled or skipped message is reported."""

from __future__ import annotations

import argparse
from typing import Any

from bench.load import LoopLag, passed, percentile, summarise
from bench.load_clients import Observed, Officer, now_ns


def _officer(observed: Observed) -> Officer:
    return Officer(0, 1, "session", observed, "run", reply_every=0)


def _frame(seq: int, client_id: str, *, text: str = "x") -> dict[str, object]:
    return {
        "type": "message",
        "conversation_id": 7,
        "seq": seq,
        "sender": "citizen",
        "client_id": client_id,
        "text": text,
    }


def _sent(observed: Observed, *client_ids: str) -> None:
    observed.claimed.add("run.0")
    observed.conversations_started = observed.conversations_claimed = 1
    for cid in client_ids:
        observed.sent[cid] = now_ns()
        observed.live.add(cid)
        observed.acked.add(cid)
    observed.first_live_send.append(now_ns())
    observed.last_live_send.append(now_ns())


def _summary(observed: Observed) -> dict[str, Any]:
    args = argparse.Namespace(label="t", conversations=1, rate=1.0, duration=1.0)
    return summarise(
        args,
        observed,
        watcher=None,
        lag=LoopLag(),
        officers=1,
        load_start=0.0,
        load_end=1.0,
        load_average=0.0,
        client_cpu=0.0,
    )


def test_a_message_the_officer_never_got_is_lost() -> None:
    observed = Observed()
    _sent(observed, "run.0.1", "run.0.2")
    officer = _officer(observed)
    officer._on_message(_frame(1, "run.0.1", text=f"t={now_ns()}"), now_ns())
    result = _summary(observed)
    assert result["lost"] == 1
    assert result["lost_examples"] == ["run.0.2"]
    assert not passed(result)


def test_a_message_received_twice_is_a_duplicate_and_out_of_order() -> None:
    observed = Observed()
    _sent(observed, "run.0.1")
    officer = _officer(observed)
    officer._on_message(_frame(1, "run.0.1"), now_ns())
    officer._on_message(_frame(1, "run.0.1"), now_ns())
    result = _summary(observed)
    assert result["duplicated"] == 1
    assert result["seq_backwards"] == 1
    assert not passed(result)


def test_a_skipped_sequence_number_is_a_gap() -> None:
    observed = Observed()
    _sent(observed, "run.0.1", "run.0.3")
    officer = _officer(observed)
    officer._on_message(_frame(1, "run.0.1"), now_ns())
    officer._on_message(_frame(3, "run.0.3"), now_ns())
    result = _summary(observed)
    assert result["seq_gaps"] == 1
    assert result["lost"] == 0
    assert not passed(result)


def test_every_message_once_in_order_passes() -> None:
    observed = Observed()
    _sent(observed, "run.0.1", "run.0.2")
    officer = _officer(observed)
    officer._on_message(_frame(1, "run.0.1", text=f"t={now_ns()}"), now_ns())
    officer._on_message(_frame(2, "run.0.2", text=f"t={now_ns()}"), now_ns())
    result = _summary(observed)
    assert passed(result)
    assert result["latency_ms"]["samples"] == 2


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([], 99) is None
