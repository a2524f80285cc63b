"""CPU time of a process tree, read from /proc, and the port check."""

import os
import socket

from processes import cpu_seconds, port_in_use

__all__: list[str] = []


def test_this_process_has_used_some_cpu_time():
    sum(range(200_000))
    assert cpu_seconds(os.getpid()) > 0


def test_a_port_with_a_listener_is_in_use_and_a_closed_one_is_not():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert port_in_use(port)
    assert not port_in_use(port)
