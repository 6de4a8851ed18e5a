"""Console script ``moto-cognito-import-server``: moto's server with the plugin installed."""

from __future__ import annotations

import moto.server

from ._install import install


def main(argv: list[str] | None = None) -> None:
    """Same flags as ``moto_server`` (``-H``, ``-p``, ...)."""
    install()
    moto.server.main(argv)


if __name__ == "__main__":
    main()
