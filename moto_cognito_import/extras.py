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

#: What to run for them: the extra is moto's (setup.cfg), and a command that names this
#: package's extra fails while the package is not on PyPI (README, Installation).
SERVER_EXTRA_INSTALL = "pip install 'moto[server]>=5.2.1,<5.3' (the [server] extra)"


def server_extra_missing() -> bool:
    """True when moto's server cannot be imported for want of the ``[server]`` extra."""
    for name in SERVER_MODULES:
        try:
            if importlib.util.find_spec(name) is None:
                return True
        except (ImportError, ValueError):  # blocked, or a broken entry in sys.modules
            return True
    return False
