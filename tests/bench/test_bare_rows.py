"""The bare chat beside Poradnia in the overload and scale-out runs: where its sockets go,
how its rows read and how CPU per message is set against it."""

from __future__ import annotations

from typing import Any

import pytest

from bench import bare_load, overload, scale


def test_one_port_serves_both_parties_of_every_room() -> None:
    assert [bare_load.room_ports(i, (8000,)) for i in range(3)] == [(8000, 8000)] * 3


def test_over_several_ports_every_officer_is_on_another_process_than_its_citizen() -> None:
    ports = (8000, 8001, 8002)
    pairs = [bare_load.room_ports(i, ports) for i in range(6)]
    assert [citizen for citizen, _ in pairs] == [8000, 8001, 8002] * 2
    assert all(citizen != officer for citizen, officer in pairs)
    assert {officer for _, officer in pairs} == set(ports)


def test_port_and_ports_both_parse() -> None:
    assert bare_load.parse_args(["--port", "8792"]).ports == (8792,)
    args = bare_load.parse_args(["--ports", "8792,8793", "--server-pid", "1", "--server-pid", "2"])
    assert args.ports == (8792, 8793)
    assert args.server_pid == [1, 2]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--port", "1", "--ports", "1,2"],
        ["--ports", "8792,8792"],
        ["--ports", "8792,x"],
        ["--ports", ",".join(str(8000 + k) for k in range(bare_load.MAX_PORTS + 1))],
    ],
)
def test_ports_are_refused_unless_one_list_of_different_numbers(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        bare_load.parse_args(argv)


def test_cpu_ratio_is_missing_when_either_side_is() -> None:
    assert bare_load.cpu_ratio(3.0, 1.5) == 2.0
    assert bare_load.cpu_ratio(None, 1.5) is None
    assert bare_load.cpu_ratio(3.0, None) is None
    assert bare_load.cpu_ratio(3.0, 0.0) is None


def _row(code: str, n: int, factor: int, cpu: float | None) -> dict[str, Any]:
    return {"code": code, "round": n, "factor": factor, "cpu_ms_per_msg": cpu}


def test_overload_ratio_is_against_the_bare_chat_of_the_same_round_and_factor() -> None:
    rows = [
        _row("bare", 0, 1, 1.0),
        _row("bare", 0, 2, 2.0),
        _row("after", 0, 1, 3.0),
        _row("after", 0, 2, 8.0),
        _row("bare", 1, 1, 2.0),
        _row("bare", 1, 2, 2.0),
        _row("after", 1, 1, 4.0),
        _row("after", 1, 2, 4.0),
        _row("bare", 2, 1, 1.0),
        _row("after", 2, 1, 5.0),
        _row("before", 2, 1, 6.0),
    ]
    # 1×: 3.0, 2.0 and 5.0 over the three rounds; 2×: 4.0 and 2.0 (no bare 2× in round 2).
    assert overload.cpu_ratios(rows) == {"after": {"1x": 3.0, "2x": 3.0}, "before": {"1x": 6.0}}


def test_overload_has_no_ratio_without_a_bare_row() -> None:
    assert overload.cpu_ratios([_row("after", 0, 1, 3.0), _row("bare", 0, 1, None)]) == {}


def _bare_result(
    *, lost: int = 0, replies_lost: int = 0, p99: float | None = 20.0
) -> dict[str, Any]:
    return {
        "conversations": 4,
        "offered_msgs_per_s": 4.0,
        "delivered_msgs_per_s": 3.9,
        "latency_ms": {"p50": 5.0, "p99": p99, "max": p99},
        "lost": lost,
        "replies": {"sent": 40, "delivered": 40 - replies_lost, "lost": replies_lost},
        "rooms_failed": {},
        "cross_process_rooms": 4,
        "server": {"cpu_percent": 10.0, "cpu_percent_by_pid": {"1": 5.0, "2": 5.0}},
        "client": {"cpu_percent": 3.0},
        "load_average_at_start": 1.0,
    }


def test_scale_bare_row_counts_lost_replies_and_reads_in_the_table() -> None:
    found = scale.bare_row(2, _bare_result(replies_lost=1), 100.0)
    assert found["run"] == "bare"
    assert found["lost"] == 1
    assert not found["sustained"]
    assert found["cross_process"] == "4/4"
    line = scale.markdown([found]).splitlines()[-1]
    assert line.startswith("| bare | 2 | 4 | 3.9 | 5.0 / 20.0 | – |")
    assert "10.0 % (5.0 + 5.0)" in line
    assert scale.bare_row(2, _bare_result(), 100.0)["sustained"]
    assert not scale.bare_row(2, _bare_result(p99=100.0), 100.0)["sustained"]
