"""Console script ``moto-cognito-import-server``: moto's server with the plugin installed."""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, Any

from .. import __version__, activate
from ..extras import SERVER_EXTRA_INSTALL, server_extra_missing
from .console import say

PROG = "moto-cognito-import-server"
EXIT_OK, EXIT_NO_SERVER_EXTRA = 0, 2
VERSION_HELP = "\nmoto-cognito-import:\n  --version             print this package's and moto's versions, and exit\n"
NO_SERVER_EXTRA = f"{PROG} needs the [server] extra: {SERVER_EXTRA_INSTALL}"


def version_line() -> str:
    """``moto-cognito-import-server 0.2.0 (moto 5.2.5)``: what ``--version`` prints."""
    try:
        moto_version = version("moto")
    except PackageNotFoundError:  # a moto on sys.path without its metadata
        moto_version = "unknown"
    return f"{PROG} {__version__} (moto {moto_version})"


def main(argv: list[str] | None = None) -> int:
    """Same flags as ``moto_server`` (``-H``, ``-p``, ...), plus ``--version``.

    Returns the exit code: 0, or 2 (one line on stderr) when the ``[server]`` extra is not
    installed. Otherwise runs moto's server until it is stopped.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    if "--version" in args:
        say(sys.stdout, version_line() + "\n")
        return EXIT_OK
    if server_extra_missing():
        say(sys.stderr, NO_SERVER_EXTRA + "\n")
        return EXIT_NO_SERVER_EXTRA
    import moto.server  # imports flask: only once the extra is known to be there

    # moto's parser lists its own flags; ours goes after them. argparse takes an unambiguous
    # prefix of --help too (--he, --hel), and -h after moto's flags without a value (-rh, -sh).
    if any(re.fullmatch(r"-[rs]*h.*", arg) or (len(arg) > 3 and "--help".startswith(arg)) for arg in args):
        try:
            moto.server.main(args)
        except SystemExit as done:
            if not done.code:  # the help was printed, not a usage error
                say(sys.stdout, VERSION_HELP)
            return done.code if isinstance(done.code, int) else EXIT_OK
    _show_job_log_records()
    activate()
    moto.server.main(args)
    return EXIT_OK


def _show_job_log_records() -> None:
    """Print the package's log records (jobs starting and ending, at INFO; failures, at
    WARNING) on stderr beside the server's request lines: a server's user has no other way to
    see them. Only the package's logger: moto's and the root logger stay as they are."""
    package = logging.getLogger("moto_cognito_import")
    if any(getattr(handler, _OURS, False) for handler in package.handlers):
        return  # main() ran before in this process
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    setattr(handler, _OURS, True)
    package.addHandler(handler)
    package.setLevel(logging.INFO)
    package.propagate = False


_OURS = "moto_cognito_import_server"  # marks the handler main() adds


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def spawn(
    output: IO[Any] | int = subprocess.DEVNULL, timeout: float = 60, command: Sequence[str] | None = None
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start ``moto-cognito-import-server`` as a child process on a free 127.0.0.1 port.

    For tests and benchmarks of server mode in a separate process (other-language clients
    see exactly this). Returns ``(url, process)`` once the server answers; the caller
    terminates the process. Raises RuntimeError if it exits or doesn't answer in ``timeout``.
    ``command`` replaces the console script (a wrapper that prepares the process, say) and
    is given ``-H`` and ``-p`` as the script would be.
    """
    port = free_port()
    if command is None:
        script = shutil.which(PROG, path=str(Path(sys.executable).parent))
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
    raise SystemExit(main())
