"""Which of the package's optional extras are installed.

moto's server needs flask and flask_cors, which only the ``[server]`` extra (through
``moto[server]``) installs: without them the plugin patches no server and
``moto-cognito-import-server`` says what to install. This module imports nothing of the
package, so the patch table can ask while the package is still being imported.
"""

from __future__ import annotations

import importlib.util

#: moto's server needs these; only the ``[server]`` extra (``moto[server]``) installs them.
SERVER_MODULES = ("flask", "flask_cors")

#: What to run for them: this package's extra (what a user who installed it from PyPI runs);
#: and, since that command fails while the package is not on PyPI (README, Installation), the
#: extra's own requirement (setup.cfg), which pip finds.
SERVER_EXTRA_INSTALL = (
    "pip install 'moto-cognito-import[server]' (before the package is on PyPI: pip install 'moto[server]>=5.2.1,<5.3')"
)


def server_extra_missing() -> bool:
    """True when moto's server cannot be imported for want of the ``[server]`` extra."""
    for name in SERVER_MODULES:
        try:
            if importlib.util.find_spec(name) is None:
                return True
        except (ImportError, ValueError):  # blocked, or a broken entry in sys.modules
            return True
    return False
