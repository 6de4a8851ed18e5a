"""The plugin's fixed limits, and the settings a user can change.

A setting is read from its environment variable at each use (so ``monkeypatch.setenv``
works), unless it was set over HTTP (``/moto-api/cognito-import/settings``, for server-mode
users who cannot change the server's environment). Those overrides live in ``plugin_state``, so
``POST /moto-api/reset`` and every ``mock_aws`` start restore the environment's values.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from typing import Any

from .plugin_state import state

logger = logging.getLogger(__name__)

#: moto state-manager model that moves a started job Pending -> InProgress -> finished.
#: Default progression is "immediate": the job has finished by the next Describe or List.
STATE_MODEL = "cognito-idp::userimportjob"

# AWS quotas and limits (Cognito developer guide, "Quotas" and "Formatting the CSV file").
MAX_JOBS_PER_POOL = 1000
MAX_FILE_BYTES = 100_000_000  # "100 MB"; AWS's own import solution: maxUploadByteSize = 100000000
MAX_DATA_ROWS = 500_000
MAX_ROW_CHARS = 16_000
UPLOAD_URL_EXPIRES_SECONDS = 899  # real PreSignedUrls carry X-Amz-Expires=899 (~15 min)
JOB_EXPIRY_SECONDS = 24 * 3600  # [OURS] the early end of AWS's "24-48 hours"
LIST_PAGE_MAX = 50  # [OURS] the output list shape's max, although MaxResults allows 60
SPOOL_BYTES = 8 * 1024 * 1024  # the memory a file (an upload, a piped CSV) takes; the rest spools to disk
MAX_PUT_BYTES = 5 * 1024**3  # S3's largest single PUT, 5 GiB ("Uploading objects", Amazon S3 user guide)
MAX_REQUEST_BYTES = 16 * 1024 * 1024  # [OURS] a decompressed request body of the six operations
UPLOADS_MEMORY_BYTES = 64 * 1024 * 1024  # the memory all kept uploads take together; the rest go to disk
#: S3 answers 400 RequestTimeout to a client that sends nothing for 20 s mid-request (AWS
#: knowledge center, "s3-socket-connection-timeout-error").
IDLE_CONNECTION_SECONDS = 20.0


@dataclass(frozen=True)
class Setting:
    """One user setting: its name over HTTP, its environment variable and allowed values."""

    name: str
    env: str
    default: Any
    choices: tuple[Any, ...]

    def from_environment(self) -> Any:
        """The environment's value (any case, spaces around it), or the default when unset or
        not one of the choices; a value not understood is a WARNING, once, not silence."""
        raw = os.environ.get(self.env, "")
        word = raw.strip().lower()
        if not word:  # unset, or set empty (``VAR= command``)
            return self.default
        if isinstance(self.default, bool):
            if (meant := switch(word)) is not None:
                return meant
        elif word in self.choices:
            return word
        if (self.env, raw) not in _WARNED:
            _WARNED.add((self.env, raw))
            allowed = ", ".join(_TRUE + _FALSE if isinstance(self.default, bool) else self.choices)
            logger.warning("%s=%r is not one of %s; using %r", self.env, raw, allowed, self.default)
        return self.default


_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off")


def switch(word: str) -> bool | None:
    """What an on/off word in an environment variable means (any case, spaces around it):
    True, False, or None for a word that is neither."""
    word = word.strip().lower()
    return True if word in _TRUE else False if word in _FALSE else None

_WARNED: set[tuple[str, str]] = set()  # the values already warned about, for the process


#: Set to "false" to skip the CloudWatch Logs role check when a job starts (for tests
#: that don't model IAM).
CHECK_ROLE_ENV = "MOTO_COGNITO_IMPORT_CHECK_ROLE"
#: "imported" (default): Cognito's sign-in rules apply to users an import created; moto's
#: own behaviour stays for every other user. "all": the rules apply to every user.
SIGN_IN_RULES_ENV = "MOTO_COGNITO_IMPORT_SIGN_IN_RULES"

CHECK_ROLE = Setting("check_role", CHECK_ROLE_ENV, True, (True, False))
SIGN_IN_RULES = Setting("sign_in_rules", SIGN_IN_RULES_ENV, "imported", ("imported", "all"))
SETTINGS = {setting.name: setting for setting in (CHECK_ROLE, SIGN_IN_RULES)}


def value(setting: Setting) -> Any:
    """The setting's current value: set over HTTP, else from the environment, else default."""
    overrides = state().overrides
    return overrides[setting.name] if setting.name in overrides else setting.from_environment()


def override(values: dict[str, Any]) -> None:
    """Set settings by name (all or nothing). Raises ValueError naming an unknown setting or
    a value outside its choices. A word is read as the environment's is: any case, spaces
    around it ignored (``"ALL"``)."""
    meant: dict[str, Any] = {}
    for name, given in values.items():
        setting = SETTINGS.get(name)
        if setting is None:
            raise ValueError(f"Unknown setting {name!r}; known: {', '.join(SETTINGS)}.")
        if isinstance(given, str) and isinstance(setting.default, str):
            given = given.strip().lower()
        if given not in setting.choices or type(given) is not type(setting.default):
            allowed = ", ".join(json.dumps(choice) for choice in setting.choices)
            if isinstance(setting.default, bool):  # "false" was told it must be one of: true, false
                allowed += " (a JSON boolean, unquoted)"
            raise ValueError(f"{name} must be one of: {allowed}.")
        meant[name] = given
    state().overrides.update(meant)


def current() -> dict[str, Any]:
    """Every setting's current value, by name."""
    return {name: value(setting) for name, setting in SETTINGS.items()}


def role_check_enabled() -> bool:
    """True unless the role check was switched off (environment or HTTP)."""
    return bool(value(CHECK_ROLE))


def sign_in_rules_for_every_user() -> bool:
    """True when Cognito's sign-in rules were opted into for users the import did not create."""
    return bool(value(SIGN_IN_RULES) == "all")
