"""``python -m moto_cognito_import``: the ``moto-cognito-import`` command line."""

from .tools.checker import main

if __name__ == "__main__":
    raise SystemExit(main())
