"""``python -m moto_cognito_import``: the ``moto-cognito-import`` command line."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
