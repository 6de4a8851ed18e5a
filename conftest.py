"""Root conftest: pytester lets tests run pytest the way a user would (the plugin's own tests)."""

pytest_plugins = ["pytester"]
