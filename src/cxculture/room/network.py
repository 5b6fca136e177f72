"""Where the room listens: the laptop's address on the local network, found without sending anything."""

from __future__ import annotations

import ipaddress
import socket
import subprocess

LOCAL = "127.0.0.1"


def lan_address() -> str:
    """The laptop's IPv4 address on the local network, else ``127.0.0.1``.

    Read from the host name's addresses, then (Linux) from the interfaces that
    ``ip`` lists: no packet leaves the machine to find it.
    """
    for candidate in _from_hostname() + _from_ip_command():
        if _usable(candidate):
            return candidate
    return LOCAL


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return ip.is_private and not ip.is_loopback and not ip.is_link_local


def _from_hostname() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return []
    return [str(info[4][0]) for info in infos]


def _from_ip_command() -> list[str]:
    try:
        done = subprocess.run(
            ["ip", "-4", "-o", "addr", "show", "scope", "global"],
            capture_output=True,
            text=True,
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in done.stdout.splitlines():
        words = line.split()
        if "inet" in words and words.index("inet") + 1 < len(words):
            found.append(words[words.index("inet") + 1].split("/")[0])
    return found


BACKLOG = 1024  # connections not yet accepted; beyond, a phone's attempt is dropped and tried again a second later


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port)."""
    from cxculture.errors import CxError

    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise CxError(key="error.host", value=host) from None
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as error:
        sock.close()
        from cxculture.reading import reason

        raise CxError(key="error.listen", host=host, port=port, reason=reason(error)) from None
    return sock
