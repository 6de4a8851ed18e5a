"""Console script ``moto-cognito-import-server``: moto's server with the plugin installed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

import moto.server

from .. import activate


def main(argv: list[str] | None = None) -> None:
    """Same flags as ``moto_server`` (``-H``, ``-p``, ...)."""
    activate()
    moto.server.main(argv)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(output: IO[Any] | int = subprocess.DEVNULL, timeout: float = 60) -> tuple[str, subprocess.Popen[bytes]]:
    """Start ``moto-cognito-import-server`` as a child process on a free 127.0.0.1 port.

    For tests and benchmarks of server mode in a separate process (other-language clients
    see exactly this). Returns ``(url, process)`` once the server answers; the caller
    terminates the process. Raises RuntimeError if it exits or doesn't answer in ``timeout``.
    """
    port = free_port()
    script = shutil.which("moto-cognito-import-server", path=str(Path(sys.executable).parent))
    command = [script] if script else [sys.executable, "-m", "moto_cognito_import.tools.server"]
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", **os.environ}
    process = subprocess.Popen(
        [*command, "-H", "127.0.0.1", "-p", str(port)], stdout=output, stderr=subprocess.STDOUT, env=env
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/moto-api/cognito-import/clock", timeout=1):
                return url, process
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"moto-cognito-import-server did not start on {url}") from None
            time.sleep(0.1)  # waiting for the child to listen, not for time to pass


if __name__ == "__main__":
    main()
