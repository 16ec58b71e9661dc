"""Loaded by every Python process started with this folder on PYTHONPATH (Python imports `sitecustomize`
at start-up): any connection or name lookup that would leave the machine is refused and written, one line
each, to the file named by GQA_NET_ATTEMPTS. Loopback and Unix sockets stay allowed, so a server on
127.0.0.1 and its browser still talk. Used by tests/test_offline.py and the browser tests."""

import ipaddress
import os
import socket

_LOG = os.environ.get("GQA_NET_ATTEMPTS")
_LOCAL_NAMES = {"localhost", "ip6-localhost", "ip6-loopback"}


def _local(host) -> bool:
    if host is None:
        return True  # a wildcard bind, not an outbound connection
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%", 1)[0]
    if host.lower() in _LOCAL_NAMES or host == "":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _refuse(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {what}\n")
    raise OSError(f"network disabled by the test: {what}")


_connect, _connect_ex, _getaddrinfo = socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo


def _checked(sock, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
        _refuse(f"connect {address!r}")


def connect(self, address):
    _checked(self, address)
    return _connect(self, address)


def connect_ex(self, address):
    _checked(self, address)
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if not _local(host):
        _refuse(f"lookup {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
