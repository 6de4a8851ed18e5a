"""``/moto-api/cognito-import/settings``: the settings a server-mode user cannot set through
the server's environment, over HTTP; ``POST /moto-api/reset`` restores the environment's."""

from __future__ import annotations

import pytest
import requests

from conftest import server_only

MOTO_API = "http://motoapi.amazonaws.com"  # moto's control host under mock_aws
DEFAULTS = {"check_role": True, "sign_in_rules": "imported"}
NO_ROLE = "arn:aws:iam::123456789012:role/Nobody"
CSV = "cognito:username,email,email_verified\nann,ann@example.com,true\n"


def settings_url(aws) -> str:
    return f"{aws.endpoint or MOTO_API}/moto-api/cognito-import/settings"


def test_get_reads_every_setting(aws):
    response = requests.get(settings_url(aws), timeout=10)
    assert (response.status_code, response.json()) == (200, DEFAULTS)
    assert response.headers["Content-Type"] == "application/json"


def test_the_role_check_can_be_switched_off_over_http_and_reset_restores_it(aws):
    pool_id = aws.pool()["Id"]
    assert aws.settings(check_role=False) == {**DEFAULTS, "check_role": False}
    job = aws.run(pool_id, CSV, CloudWatchLogsRoleArn=NO_ROLE)
    assert (job["Status"], job["ImportedUsers"]) == ("Succeeded", 1)
    requests.post(f"{aws.endpoint or MOTO_API}/moto-api/reset", timeout=30).raise_for_status()
    assert requests.get(settings_url(aws), timeout=10).json() == DEFAULTS
    pool_id = aws.pool()["Id"]
    job = aws.run(pool_id, CSV, CloudWatchLogsRoleArn=NO_ROLE)
    assert (job["Status"], job["CompletionMessage"]) == (
        "Failed", "The CloudWatch Logs role does not exist (skip the check: MOTO_COGNITO_IMPORT_CHECK_ROLE=false or the check_role setting)."
    )


def test_a_word_is_read_over_http_as_in_the_environment(aws):
    """Any case, spaces around it: ``MOTO_COGNITO_IMPORT_SIGN_IN_RULES=ALL`` was taken while
    ``{"sign_in_rules": "ALL"}`` was a 400."""
    assert aws.settings(sign_in_rules=" ALL ")["sign_in_rules"] == "all"


def test_http_wins_over_the_environment(aws, monkeypatch):
    """Decorator mode reads this process's environment; the server, its own."""
    monkeypatch.setenv("MOTO_COGNITO_IMPORT_SIGN_IN_RULES", "all")
    expected = "all" if aws.endpoint is None else "imported"
    assert requests.get(settings_url(aws), timeout=10).json()["sign_in_rules"] == expected
    assert aws.settings(sign_in_rules="imported")["sign_in_rules"] == "imported"


@pytest.mark.parametrize(
    "body, message",
    [
        (b"not json", 'Send a JSON object like {"check_role": false}.'),
        (b"[1]", 'Send a JSON object like {"check_role": false}.'),
        (b'{"shoe_size": 42}', "Unknown setting 'shoe_size'; known: check_role, sign_in_rules."),
        (b'{"check_role": "false"}', "check_role must be one of: true, false (a JSON boolean, unquoted)."),
        (b'{"sign_in_rules": "some"}', 'sign_in_rules must be one of: "imported", "all".'),
        (b'{"check_role": false, "sign_in_rules": 1}', 'sign_in_rules must be one of: "imported", "all".'),
    ],
)
def test_a_bad_body_is_a_400_and_changes_nothing(aws, body, message):
    response = requests.post(settings_url(aws), data=body, timeout=10)
    assert (response.status_code, response.json()) == (400, {"error": message})
    assert requests.get(settings_url(aws), timeout=10).json() == DEFAULTS


@server_only  # moto 5.2.1's mock takes no generator
def test_a_chunked_body_is_read_like_any_other(aws):
    """A client that streams its body (Transfer-Encoding: chunked, no Content-Length) was
    answered 200 with nothing changed: the server read only a Content-Length's worth."""
    chunks = iter([b'{"check_role": ', b"false}"])
    response = requests.post(settings_url(aws), data=chunks, timeout=10)
    assert (response.status_code, response.json()) == (200, {**DEFAULTS, "check_role": False})


def test_unknown_endpoints_and_methods(aws):
    base = f"{aws.endpoint or MOTO_API}/moto-api/cognito-import/"
    assert requests.get(base + "nothing", timeout=10).status_code == 404
    response = requests.delete(base + "settings", timeout=10)
    assert (response.status_code, response.json()) == (405, {"error": "Use GET or POST."})


def test_an_environment_value_not_understood_is_a_warning_and_the_default(monkeypatch, caplog):
    """``MOTO_COGNITO_IMPORT_CHECK_ROLE=disabled`` silently meant "on", and an unknown
    ``..._SIGN_IN_RULES`` silently meant "imported": the default stays, said once."""
    from moto_cognito_import import settings

    monkeypatch.setattr(settings, "_WARNED", set())  # said once per process: not yet in this test
    for setting, raw, default in ((settings.CHECK_ROLE, "disabled", True), (settings.SIGN_IN_RULES, "everyone", "imported")):
        monkeypatch.setenv(setting.env, raw)
        caplog.clear()
        assert (setting.from_environment(), setting.from_environment()) == (default, default)
        assert [r.getMessage() for r in caplog.records if r.name == "moto_cognito_import.settings"] == [
            f"{setting.env}={raw!r} is not one of "
            f"{'true, 1, yes, on, false, 0, no, off' if default is True else 'imported, all'}; using {default!r}"
        ]
    for raw, understood in ((" OFF ", False), ("Yes", True), ("0", False)):
        monkeypatch.setenv(settings.CHECK_ROLE_ENV, raw)
        assert settings.CHECK_ROLE.from_environment() is understood
    monkeypatch.setenv(settings.SIGN_IN_RULES_ENV, " ALL ")
    assert settings.SIGN_IN_RULES.from_environment() == "all"
    caplog.clear()
    monkeypatch.setenv(settings.CHECK_ROLE_ENV, "")  # set empty: the default, said nothing
    assert settings.CHECK_ROLE.from_environment() is True
    assert not caplog.records
