"""What the plugin keeps for the whole process and moto must reset: the clock's offset and
the settings set over HTTP.

It lives in one of moto's BackendDicts, so it is cleared whenever moto's own state is (the
outermost ``mock_aws`` start and stop, ``POST /moto-api/reset``); one instance serves every
account and region.
"""

from __future__ import annotations

import datetime
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.models import DEFAULT_ACCOUNT_ID


class PluginState(BaseBackend):
    """The offset added to moto's clock (``clock``) and the settings' overrides (``settings``)."""

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.offset = datetime.timedelta(0)
        self.overrides: dict[str, Any] = {}


_states = BackendDict(PluginState, "cognito-idp", use_boto3_regions=False, additional_regions=["aws"])


def state() -> PluginState:
    """The process's one PluginState."""
    return _states[DEFAULT_ACCOUNT_ID]["aws"]
