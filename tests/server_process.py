"""``moto-cognito-import-server`` for the tests' session server: the console script's own
``main``, with moto's user-pool key parsed once per process (``pool_key.py``), as in the test
process. The console script itself is run by tests/test_packaging.py."""

import sys

import pool_key

from moto_cognito_import.tools.server import main

if __name__ == "__main__":
    with pool_key.parsed_once():
        sys.exit(main())
