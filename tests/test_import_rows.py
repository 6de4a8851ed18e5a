"""Row outcomes beyond the counts: what a SKIPPED row leaves alone and how users are keyed.

The FAILED reasons of every kind of bad row are pinned by the fixtures (``row_*.csv``) in
test_import.py. [OURS] username choices, documented in the README's fidelity notes:
- email/phone-as-username pools (``UsernameAttributes``): cognito:username must be the email or
  phone number; it fills that attribute when its column is empty, and the user's username is
  a generated ID (the sub), as moto's AdminCreateUser does for such pools;
- ``UsernameConfiguration.CaseSensitive=false``: ``John`` and ``JOHN`` are one user, stored
  lower-case (the guide: such pools flatten usernames to lower case in their output).
"""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from test_import import attributes_of, fixture_csv, users_by_name

from conftest import both_modes, decorator_only
from moto_cognito_import.tools.checker import check_file, read_pool

# The row rules are the backend's, which both modes share: each test runs under mock_aws, and
# those marked both_modes show the server applies them too (tests/conftest.py).
pytestmark = decorator_only


@both_modes
def test_an_existing_user_is_skipped_and_never_overwritten(aws):
    pool = aws.pool()
    before = aws.idp.admin_create_user(
        UserPoolId=pool["Id"],
        Username="john",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "old@example.com"}, {"Name": "given_name", "Value": "Old"}],
    )["User"]
    job = aws.run(pool["Id"], fixture_csv("existing_user_skipped"))
    assert (job["ImportedUsers"], job["SkippedUsers"]) == (1, 1)
    after = aws.idp.admin_get_user(UserPoolId=pool["Id"], Username="john")
    assert attributes_of(after) == attributes_of(before) == {"email": "old@example.com", "given_name": "Old"}
    assert after["UserStatus"] == before["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert after["UserLastModifiedDate"] == before["UserLastModifiedDate"]


def test_a_username_repeated_in_the_file_keeps_its_first_row(aws):
    pool = aws.pool()
    aws.run(pool["Id"], fixture_csv("repeated_username_skipped"))
    assert attributes_of(users_by_name(aws, pool["Id"])["john"])["email"] == "john@example.com"


@both_modes
@pytest.mark.parametrize("login", ["ann@example.com", "bo@example.com"])
def test_email_as_username_users_get_a_generated_username_and_are_found_by_email(aws, login):
    pool = aws.pool(UsernameAttributes=["email"])
    aws.run(pool["Id"], fixture_csv("username_is_email"))
    user = aws.idp.admin_get_user(UserPoolId=pool["Id"], Username=login)
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert user["Username"] == attributes["sub"]
    assert attributes["email"] == login  # ann's email column was empty: filled from the username
    assert user["UserStatus"] == "RESET_REQUIRED"


@pytest.mark.parametrize(
    ("kind", "limits", "username", "fits"),
    [
        ("email", {"MinLength": "10", "MaxLength": "2048"}, "a@b.co", "abcde@b.co"),
        ("email", {"MinLength": "0", "MaxLength": "12"}, "someone@example.com", "abc@b.co"),
        ("phone_number", {"MinLength": "0", "MaxLength": "10"}, "+12065550101", "+120655501"),
    ],
)
def test_an_attribute_filled_from_the_username_keeps_the_pool_s_limits(aws, kind, limits, username, fits):
    """The same value fails its row whichever column holds it: "The user data doesn't match the
    schema" (guide, "Viewing the user pool import results"). Filled in from cognito:username,
    it skipped the attribute's length limits and was imported."""
    schema = [{"Name": kind, "AttributeDataType": "String", "Mutable": True, "StringAttributeConstraints": limits}]
    pool = aws.pool(UsernameAttributes=[kind], AutoVerifiedAttributes=[kind], Schema=schema)
    for value in (username, ""):
        job = aws.run(pool["Id"], f"cognito:username,{kind},{kind}_verified\n{username},{value},true\n")
        assert (job["ImportedUsers"], job["FailedUsers"]) == (0, 1), value
    assert aws.idp.list_users(UserPoolId=pool["Id"])["Users"] == []
    assert aws.run(pool["Id"], f"cognito:username,{kind},{kind}_verified\n{fits},,true\n")["ImportedUsers"] == 1


def test_a_username_attribute_that_names_no_attribute_fails_rows_not_the_job(aws):
    """moto stores ``UsernameAttributes=["Email"]`` (AWS takes email or phone_number): the row
    check looked the attribute up, and the job ended in an internal error (the checker raised
    KeyError). The row fails, as a username the pool cannot take."""
    pool = aws.pool(UsernameAttributes=["Email"])
    job = aws.run(pool["Id"], "cognito:username,email,email_verified\njohn@example.com,john@example.com,true\n")
    assert (job["Status"], job["FailedUsers"]) == ("Failed", 1)
    assert "internal error" not in job["CompletionMessage"]
    # A phone-shaped name was read as a phone number for it, and imported with an "Email" of it.
    pool = aws.pool(UsernameAttributes=["Phone"])
    job = aws.run(pool["Id"], "cognito:username,email,email_verified\n+12065551234,a@example.com,true\n")
    assert (job["ImportedUsers"], job["FailedUsers"]) == (0, 1)


def test_email_as_username_is_case_sensitive_only_in_a_case_sensitive_pool(aws):
    sensitive = aws.pool(UsernameAttributes=["email"])
    insensitive = aws.pool(UsernameAttributes=["email"], UsernameConfiguration={"CaseSensitive": False})
    csv = "cognito:username,email_verified\nann@example.com,true\nAnn@Example.com,true\n"
    assert aws.run(sensitive["Id"], csv)["ImportedUsers"] == 2
    assert aws.run(insensitive["Id"], csv)["SkippedUsers"] == 1


def test_a_case_insensitive_pool_stores_usernames_lower_case(aws):
    pool = aws.pool(UsernameConfiguration={"CaseSensitive": False})
    job = aws.run(pool["Id"], "cognito:username,email,email_verified\nJohn,John@Example.com,true\n")
    assert job["ImportedUsers"] == 1
    user = aws.idp.admin_get_user(UserPoolId=pool["Id"], Username="john")
    assert attributes_of(user)["email"] == "John@Example.com"  # attributes keep their case


@pytest.mark.parametrize("written", ["John", "JOHN", "john"])
def test_a_case_insensitive_pool_finds_an_imported_user_in_any_case(aws, written):
    """UsernameConfigurationType: "users can sign in using username, USERNAME, or UserName"."""
    pool = aws.pool(UsernameConfiguration={"CaseSensitive": False})
    client = aws.idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    aws.run(pool["Id"], "cognito:username,email,email_verified\nJohn,john@example.com,true\n")
    assert aws.idp.admin_get_user(UserPoolId=pool["Id"], Username=written)["Username"] == "john"
    with pytest.raises(aws.idp.exceptions.PasswordResetRequiredException):
        aws.idp.initiate_auth(
            ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": written, "PASSWORD": "x"}
        )


def test_a_sign_in_in_another_case_gets_the_stored_user_s_tokens(aws):
    """Cognito's tokens name the stored user (``cognito:username``, the access token's
    ``username``) however the name was typed, and AdminUserGlobalSignOut in any case revokes
    them. moto passed on the typed name: tokens said ``JOHN``, and signing out ``john`` left
    them valid."""
    idp, pool_id = aws.idp, aws.pool(UsernameConfiguration={"CaseSensitive": False})["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    aws.run(pool_id, "cognito:username,email,email_verified\nJohn,john@example.com,true\n")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="JOHN", Password="N3w-Passw0rd!", Permanent=True)
    for typed, signed_out in [("JOHN", "john"), ("John", "JOHN")]:
        tokens = idp.initiate_auth(
            ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": typed, "PASSWORD": "N3w-Passw0rd!"}
        )["AuthenticationResult"]
        assert claims(tokens["IdToken"])["cognito:username"] == "john"
        assert claims(tokens["AccessToken"])["username"] == "john"
        assert idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "john"
        idp.admin_user_global_sign_out(UserPoolId=pool_id, Username=signed_out)
        with pytest.raises(idp.exceptions.NotAuthorizedException):
            idp.initiate_auth(
                ClientId=client, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]}
            )


def test_a_sign_in_by_email_in_another_case_is_signed_out_by_the_stored_email(aws):
    """In a case-insensitive pool with email as username, ``JOHN@example.com`` finds the user
    imported as ``john@example.com``; its tokens carry the stored email (moto's ``email``
    claim is the name signed in with), so AdminUserGlobalSignOut of it revokes them."""
    idp = aws.idp
    pool_id = aws.pool(UsernameAttributes=["email"], UsernameConfiguration={"CaseSensitive": False})["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    aws.run(pool_id, "cognito:username,email,email_verified\njohn@example.com,john@example.com,true\n")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="john@example.com", Password="N3w-Passw0rd!", Permanent=True)
    tokens = idp.initiate_auth(
        ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "JOHN@example.com", "PASSWORD": "N3w-Passw0rd!"},
    )["AuthenticationResult"]
    assert claims(tokens["IdToken"])["email"] == "john@example.com"
    idp.admin_user_global_sign_out(UserPoolId=pool_id, Username="JOHN@EXAMPLE.COM")
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=client, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]}
        )


@pytest.mark.parametrize("typed", ["ben@example.com", "BEN@EXAMPLE.COM", "Ben@Example.com"])
def test_an_email_username_written_in_mixed_case_is_found_in_any_case(aws, typed):
    """UsernameConfigurationType: case insensitivity "also enables both preferred_username and
    email alias to be case insensitive". The import took ``Ben@Example.com`` and
    ``ben@example.com`` for one user (the second row SKIPPED), but AdminGetUser and sign-in as
    ``ben@example.com`` found nobody, and AdminCreateUser made a second user of that email."""
    idp = aws.idp
    pool_id = aws.pool(UsernameAttributes=["email"], UsernameConfiguration={"CaseSensitive": False})["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    csv = "cognito:username,email_verified\nBen@Example.com,true\nben@example.com,true\n"
    assert aws.run(pool_id, csv)["SkippedUsers"] == 1
    assert attributes_of(idp.admin_get_user(UserPoolId=pool_id, Username=typed))["email"] == "Ben@Example.com"
    with pytest.raises(idp.exceptions.PasswordResetRequiredException):
        idp.initiate_auth(
            ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": typed, "PASSWORD": "x"}
        )
    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.admin_create_user(UserPoolId=pool_id, Username=typed.swapcase())
    idp.admin_set_user_password(UserPoolId=pool_id, Username=typed, Password="N3w-Passw0rd!", Permanent=True)
    tokens = idp.initiate_auth(
        ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": typed, "PASSWORD": "N3w-Passw0rd!"}
    )["AuthenticationResult"]
    idp.admin_user_global_sign_out(UserPoolId=pool_id, Username=typed.swapcase())
    with pytest.raises(idp.exceptions.NotAuthorizedException):
        idp.initiate_auth(
            ClientId=client, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]}
        )
    assert len(idp.list_users(UserPoolId=pool_id)["Users"]) == 1


def test_an_imported_email_is_taken_in_any_case_by_attribute_updates(aws):
    """moto refuses an email another user holds (AliasExistsException) only as written: in a
    case-insensitive email-as-username pool, ``bob`` took ``ANN@X.COM`` beside the imported
    ``ann@x.com``, by AdminUpdateUserAttributes or UpdateUserAttributes, and AdminGetUser of
    each spelling then found a different user; nor an imported user a moto user's. A user's
    own email in another case is fine."""
    idp = aws.idp
    pool_id = aws.pool(UsernameAttributes=["email"], UsernameConfiguration={"CaseSensitive": False})["Id"]
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    assert aws.run(pool_id, "cognito:username,email_verified\nann@x.com,true\nbob@x.com,true\n")["ImportedUsers"] == 2
    taken = [{"Name": "email", "Value": "ANN@X.COM"}]
    with pytest.raises(idp.exceptions.AliasExistsException):
        idp.admin_update_user_attributes(UserPoolId=pool_id, Username="bob@x.com", UserAttributes=taken)
    idp.admin_set_user_password(UserPoolId=pool_id, Username="bob@x.com", Password="N3w-Passw0rd!", Permanent=True)
    token = idp.initiate_auth(
        ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "bob@x.com", "PASSWORD": "N3w-Passw0rd!"},
    )["AuthenticationResult"]["AccessToken"]
    with pytest.raises(idp.exceptions.AliasExistsException):
        idp.update_user_attributes(AccessToken=token, UserAttributes=taken)
    # moto stores the last of two email entries (and checked the first)
    with pytest.raises(idp.exceptions.AliasExistsException):
        idp.update_user_attributes(AccessToken=token, UserAttributes=[{"Name": "email", "Value": "zed@x.com"}, *taken])
    # an imported user takes no email in another case from a user moto created
    idp.admin_create_user(UserPoolId=pool_id, Username="carl@x.com", MessageAction="SUPPRESS")
    with pytest.raises(idp.exceptions.AliasExistsException):
        idp.admin_update_user_attributes(
            UserPoolId=pool_id, Username="bob@x.com", UserAttributes=[{"Name": "email", "Value": "CARL@X.COM"}]
        )
    idp.admin_update_user_attributes(UserPoolId=pool_id, Username="ann@x.com", UserAttributes=taken)
    found = {typed: idp.admin_get_user(UserPoolId=pool_id, Username=typed)["Username"] for typed in ("ann@x.com", "ANN@X.COM")}
    assert len(set(found.values())) == 1
    assert attributes_of(idp.admin_get_user(UserPoolId=pool_id, Username="bob@x.com"))["email"] == "bob@x.com"


def claims(token: str) -> dict[str, Any]:
    """A JWT's payload (moto signs it; the signature does not matter here)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))  # type: ignore[no-any-return]


def test_resend_in_a_case_insensitive_pool_acts_on_the_one_user(aws):
    """moto's RESEND checks the user exists (found in any case) and then stores a new user
    under the name as given: it must not add "John" beside the imported "john". (RESEND
    needs a user awaiting a first password: test_sign_in.py.)"""
    pool = aws.pool(UsernameConfiguration={"CaseSensitive": False})
    aws.run(pool["Id"], "cognito:username,email,email_verified\nJohn,john@example.com,true\n")
    aws.idp.admin_set_user_password(UserPoolId=pool["Id"], Username="john", Password="Temp0rary-pw!", Permanent=False)
    aws.idp.admin_create_user(UserPoolId=pool["Id"], Username="John", MessageAction="RESEND")
    assert [u["Username"] for u in aws.idp.list_users(UserPoolId=pool["Id"])["Users"]] == ["john"]
    with pytest.raises(aws.idp.exceptions.UsernameExistsException):
        aws.idp.admin_create_user(UserPoolId=pool["Id"], Username="JOHN")


def test_a_case_sensitive_pool_finds_users_only_as_written(aws):
    pool = aws.pool()
    aws.run(pool["Id"], "cognito:username,email,email_verified\nJohn,john@example.com,true\n")
    assert aws.idp.admin_get_user(UserPoolId=pool["Id"], Username="John")["Username"] == "John"
    with pytest.raises(aws.idp.exceptions.UserNotFoundException):
        aws.idp.admin_get_user(UserPoolId=pool["Id"], Username="john")


def test_phone_as_username_users_are_found_by_phone_number(aws):
    pool = aws.pool(UsernameAttributes=["phone_number"], AutoVerifiedAttributes=["phone_number"])
    csv = "cognito:username,phone_number_verified\n+12065550100,true\nann,true\n"
    job = aws.run(pool["Id"], csv)
    assert (job["ImportedUsers"], job["FailedUsers"]) == (1, 1)
    user = aws.idp.admin_get_user(UserPoolId=pool["Id"], Username="+12065550100")
    assert attributes_of(user) == {"phone_number": "+12065550100", "phone_number_verified": "true"}


def test_custom_and_developer_only_attributes_are_stored_under_their_prefixed_names(aws):
    pool = aws.pool(
        Schema=[
            {"Name": "tier", "AttributeDataType": "String", "Mutable": True},
            {"Name": "bandwidth", "AttributeDataType": "Number", "DeveloperOnlyAttribute": True, "Mutable": True},
        ]
    )
    csv = "cognito:username,email,email_verified,custom:tier,dev:custom:bandwidth\nann,ann@example.com,true,gold,100\n"
    aws.run(pool["Id"], csv)
    stored = attributes_of(users_by_name(aws, pool["Id"])["ann"])
    assert (stored["custom:tier"], stored["dev:custom:bandwidth"]) == ("gold", "100")


def test_every_username_attribute_is_unique_inside_a_file_as_across_files(aws):
    """An email+phone-as-username pool: a user signs in with either, so no second user may
    have the first one's phone number as its username (issue 12: inside one file both rows
    imported and two users shared the number)."""
    both = {"UsernameAttributes": ["email", "phone_number"], "AutoVerifiedAttributes": ["email", "phone_number"]}
    pool = aws.pool(**both)
    header = "cognito:username,email,email_verified,phone_number,phone_number_verified\n"
    first = "a@x.com,a@x.com,true,+15550100,false\n"
    second = "+15550100,,false,+15550100,true\n"
    one_file = aws.run(pool["Id"], header + first + second)
    assert (one_file["ImportedUsers"], one_file["SkippedUsers"]) == (1, 1)
    assert aws.log_messages(pool, one_file)[1] == "[SKIPPED] Line Number 3 - The user already exists."
    other = aws.pool(PoolName="two-files", **both)
    assert aws.run(other["Id"], header + first)["ImportedUsers"] == 1
    later = aws.run(other["Id"], header + second, name="second")
    assert (later["ImportedUsers"], later["SkippedUsers"]) == (0, 1)
    for pool_id in (pool["Id"], other["Id"]):
        users = aws.idp.list_users(UserPoolId=pool_id)["Users"]
        assert [attributes_of(user)["phone_number"] for user in users] == ["+15550100"]


@pytest.mark.parametrize(
    "name",
    [
        "nul\x00x", "bel\x07x", "zero\u200bwidth", "bom\ufeffinside", "private\ue000use", "del\x7fx", "soft\xadhyphen",
        "unit\x1fseparator", "trailing-separator\x1c", "trailing-bel\x07",
    ],
    ids=[
        "NUL", "BEL", "zero-width-space", "BOM", "private-use", "DEL", "soft-hyphen",
        "unit-separator", "trailing-file-separator", "trailing-BEL",
    ],
)
def test_a_username_outside_usernametypes_pattern_fails_its_row(aws, name):
    """UsernameType: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+ (botocore's model): letters, marks,
    symbols, numbers and punctuation; no controls, format, private-use or separators. A
    control character at the end is no white space to trim: ``str.strip`` took U+001C-U+001F
    for white space, and "trailing-separator\\x1c" was stored as "trailing-separator"."""
    pool = aws.pool()
    csv = f"cognito:username,email,email_verified\n{name},a@example.com,true\nzoë-o'neil_ü+1,b@example.com,true\n"
    job = aws.run(pool["Id"], csv)
    assert (job["ImportedUsers"], job["FailedUsers"]) == (1, 1)
    assert aws.log_messages(pool, job)[0] == (
        "[FAILED] Line Number 2 - The cognito:username value has a character that is not a letter, mark, "
        "symbol, number or punctuation."
    )
    assert [user["Username"] for user in aws.idp.list_users(UserPoolId=pool["Id"])["Users"]] == ["zoë-o'neil_ü+1"]


def test_a_username_and_another_user_s_preferred_username_are_one_sign_in_name(aws):
    """With the preferred_username alias, a row whose username is another user's
    preferred_username (which sign-in then found as the row's user: carol lost "boss"), or
    whose preferred_username is another user's username, fails in the alias's words, inside a
    file as across files and in any case in a case-insensitive pool; AWS refuses even a user's
    own username as its preferred_username (aws/aws-sdk-net#761), which stays allowed [OURS]."""
    pool = aws.pool(AliasAttributes=["preferred_username"], UsernameConfiguration={"CaseSensitive": False})

    def rows(*users: tuple[str, str]) -> str:
        header = "cognito:username,preferred_username,email,email_verified\n"
        return header + "".join(f"{name},{alias},{name}@example.com,true\n" for name, alias in users)

    assert aws.run(pool["Id"], rows(("carol", "boss"), ("dan", "dan")))["ImportedUsers"] == 2
    csv = rows(
        ("BOSS", ""),  # carol's alias, in another case
        ("erin", "Carol"),  # carol's username
        ("fay", ""),
        ("gus", "fay"),  # an earlier row's username
        ("fay2", "gus2"),
        ("gus2", ""),  # an earlier row's alias
        ("hal", "\0preferred_username\0boss"),  # no name (NUL), though keyed like carol's alias
    )
    profile, exists = read_pool(aws.idp, pool["Id"])
    checked = check_file(io.BytesIO(csv.encode()), profile, exists=exists)
    job = aws.run(pool["Id"], csv, name="second")
    taken = "An account with the given preferred_username already exists."
    assert aws.log_messages(pool, job) == [
        f"[FAILED] Line Number 2 - {taken}",
        f"[FAILED] Line Number 3 - {taken}",
        "[SUCCEEDED] Line Number 4 - The import succeeded.",
        f"[FAILED] Line Number 5 - {taken}",
        "[SUCCEEDED] Line Number 6 - The import succeeded.",
        f"[FAILED] Line Number 7 - {taken}",
        "[SUCCEEDED] Line Number 8 - The import succeeded.",
    ]
    assert [row.message() for row in checked.rows] == aws.log_messages(pool, job)
    assert aws.idp.admin_get_user(UserPoolId=pool["Id"], Username="boss")["Username"] == "carol"


def test_sign_in_aliases_are_unique_and_no_username_looks_like_one(aws):
    """An AliasAttributes pool (developer guide, "Customizing sign-in attributes"): a verified
    email or phone number and a preferred_username sign a user in, so no second user may hold
    one (AdminCreateUser's words, boto3#3213), inside a file as across files and against moto's
    own users; an unverified one is no alias. A username in the format of an email (phone
    number) alias is refused, in Cognito's words (amplify-js#8800). Every row imported."""
    pool = aws.pool(AliasAttributes=["email", "phone_number", "preferred_username"])
    for username, verified in (("moto-verified", "true"), ("moto-unverified", "false")):
        aws.idp.admin_create_user(
            UserPoolId=pool["Id"], Username=username, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}, {"Name": "email_verified", "Value": verified}],
        )
    csv = (
        "cognito:username,email,email_verified,phone_number,phone_number_verified,preferred_username\n"
        "a,a@example.com,true,+12065550100,true,pa\n"
        "b,a@example.com,true,,,\n"
        "c,c@example.com,true,+12065550100,true,\n"
        "d,d@example.com,true,,,pa\n"
        "e,moto-verified@example.com,true,,,\n"
        "y@example.com,y@example.com,true,,,\n"
        "+12065550199,p@example.com,true,,,\n"
        "g,moto-unverified@example.com,true,,,\n"
        "h,h@example.com,true,+12065550100,false,\n"
    )
    job = aws.run(pool["Id"], csv)
    assert (job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (3, 0, 6)
    assert aws.log_messages(pool, job)[1:7] == [
        "[FAILED] Line Number 3 - An account with the given email already exists.",
        "[FAILED] Line Number 4 - An account with the given phone_number already exists.",
        "[FAILED] Line Number 5 - An account with the given preferred_username already exists.",
        "[FAILED] Line Number 6 - An account with the given email already exists.",
        "[FAILED] Line Number 7 - Username cannot be of email format, since user pool is configured for email alias.",
        "[FAILED] Line Number 8 - Username cannot be of phone number format, since user pool is configured for "
        "phone number alias.",
    ]
    users = {user["Username"] for user in aws.idp.list_users(UserPoolId=pool["Id"])["Users"]}
    assert users == {"a", "g", "h", "moto-verified", "moto-unverified"}
    again = aws.run(pool["Id"], csv.replace("\na,", "\nz,"), name="again")
    assert (again["ImportedUsers"], again["SkippedUsers"], again["FailedUsers"]) == (0, 2, 7)


def test_an_alias_taken_while_a_job_is_held_fails_its_row_as_if_taken_before(aws):
    """A job held InProgress lets other calls run between its rows. An email verified for
    another user after Start (moto keeps ``True`` as given) was no alias at all, and then the
    row was SKIPPED "The user already exists." although no such user exists."""
    pool = aws.pool(AliasAttributes=["email"])
    aws.hold_jobs(reads=2)
    job = aws.job(pool["Id"], "cognito:username,email,email_verified\nann,ann@example.com,true\nbob,bob@example.com,true\n")
    aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    for _ in range(2):
        held = aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert (held["Status"], held["ImportedUsers"]) == ("InProgress", 0)
    aws.idp.admin_create_user(
        UserPoolId=pool["Id"], Username="zed", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "ann@example.com"}, {"Name": "email_verified", "Value": "True"}],
    )
    aws.unset_transition()
    done = aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert (done["Status"], done["ImportedUsers"], done["SkippedUsers"], done["FailedUsers"]) == ("Succeeded", 1, 0, 1)
    assert aws.log_messages(pool, job)[0] == "[FAILED] Line Number 2 - An account with the given email already exists."


def test_values_moto_stored_from_raw_requests_that_are_no_strings_break_no_lookup_and_no_later_import(aws):
    """AWS refuses a JSON number or boolean where a string belongs (SerializationException: the
    README's protocol notes); moto stores it. A later lookup of a name nobody has, in an alias
    pool with an imported user whose ``email_verified`` moto stored as ``true``, was an
    AttributeError (HTTP 500 on the server; moto alone answers UserNotFoundException), and every
    row of a later import into the pool FAILED; a case-insensitive pool with a user moto stored
    under the number 7 failed them too. Such a value equals no row's and verifies nothing."""
    pool = aws.pool(AliasAttributes=["email"], UsernameConfiguration={"CaseSensitive": False})
    header = "cognito:username,email,email_verified\n"
    assert aws.run(pool["Id"], header + "ann,ann@example.com,true\n")["ImportedUsers"] == 1
    stored = [
        aws.raw("AdminUpdateUserAttributes", {"UserPoolId": pool["Id"], "Username": "ann",
                                              "UserAttributes": [{"Name": "email_verified", "Value": True}]}),
        aws.raw("AdminCreateUser", {"UserPoolId": pool["Id"], "Username": 7, "MessageAction": "SUPPRESS"}),
    ]
    assert [response.status_code for response in stored] == [200, 200]  # moto's own leniency
    for name in ("nobody", "ann@example.com"):  # the email verifies nothing now: no alias
        with pytest.raises(aws.idp.exceptions.UserNotFoundException):
            aws.idp.admin_get_user(UserPoolId=pool["Id"], Username=name)
    assert aws.idp.admin_get_user(UserPoolId=pool["Id"], Username="ANN")["Username"] == "ann"
    job = aws.run(pool["Id"], header + "bob,bob@example.com,true\n7,seven@example.com,true\n", name="again")
    assert (job["Status"], job["ImportedUsers"], job["FailedUsers"]) == ("Succeeded", 2, 0)
    # An email moto stored as a number is no channel for a code: a 400, not a TypeError's 500.
    updated = aws.raw("AdminUpdateUserAttributes", {"UserPoolId": pool["Id"], "Username": "bob",
                                                    "UserAttributes": [{"Name": "email", "Value": 5}]})
    assert updated.status_code == 200
    with pytest.raises(aws.idp.exceptions.InvalidParameterException, match="no registered/verified email"):
        aws.idp.admin_reset_user_password(UserPoolId=pool["Id"], Username="bob")


@pytest.mark.parametrize("stored", ["email", ["email", 5]])
def test_an_auto_verified_setting_moto_stored_as_no_list_starts_no_job(aws, stored):
    """A raw UpdateUserPool can make moto store ``AutoVerifiedAttributes`` as a string, or a
    list with a number in it (AWS refuses both: SerializationException). Start read any
    non-empty value as "verifies something" and started a job that then failed with an internal
    error; the plugin reads a setting it cannot read as absent, so Start refuses the job as for
    a pool that auto-verifies nothing."""
    pool = aws.pool()
    job = aws.job(pool["Id"], "cognito:username,email,email_verified\nann,ann@example.com,true\n")
    updated = aws.raw("UpdateUserPool", {"UserPoolId": pool["Id"], "AutoVerifiedAttributes": stored})
    assert updated.status_code == 200  # moto's own leniency
    with pytest.raises(aws.idp.exceptions.PreconditionNotMetException, match="has no auto-verified attributes"):
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    described = aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
    assert described["Status"] == "Created"


def test_a_username_moto_stored_with_nul_holds_no_row_s_alias(aws):
    """The import keys a sign-in alias as ``\\0email\\0<value>``, beside usernames, since no
    username holds NUL (UsernameType refuses it, and a row with one fails). moto's
    AdminCreateUser stores any name: a user named ``\\0email\\0ann@example.com``, without an
    email, made ann's row FAIL with "An account with the given email already exists."."""
    pool = aws.pool(AliasAttributes=["email"])
    aws.idp.admin_create_user(UserPoolId=pool["Id"], Username="\0email\0ann@example.com", MessageAction="SUPPRESS")
    job = aws.run(pool["Id"], "cognito:username,email,email_verified\nann,ann@example.com,true\n")
    assert (job["Status"], job["ImportedUsers"], job["FailedUsers"]) == ("Succeeded", 1, 0)


def test_cognito_mfa_enabled_is_checked_against_the_pool_s_current_mfa_setting(aws):
    """SetUserPoolMfaConfig changes the pool's MFA setting (which moto's sign-in follows); the
    import checked rows against the setting the pool was created with, which moto's pool
    description keeps: a row MFA off failed in a pool whose MFA was off, and the user of a
    blank value got SMS MFA there."""
    sms = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms"}
    pool = aws.pool(MfaConfiguration="ON", SmsConfiguration=sms)
    aws.idp.set_user_pool_mfa_config(UserPoolId=pool["Id"], MfaConfiguration="OFF")
    csv = (
        "cognito:username,email,email_verified,phone_number,cognito:mfa_enabled\n"
        "a,a@example.com,true,+12065550100,false\n"
        "b,b@example.com,true,+12065550101,\n"
    )
    job = aws.run(pool["Id"], csv)
    assert (job["ImportedUsers"], job["FailedUsers"]) == (2, 0), aws.log_messages(pool, job)
    assert aws.idp.admin_get_user(UserPoolId=pool["Id"], Username="b")["UserMFASettingList"] == []


def test_the_token_index_looks_at_each_token_once_whatever_sign_outs_do():
    """A sign-out elsewhere (between a held import's rows) took the last access token the
    index had seen: every token was indexed again at each look, the index grew with each."""
    from types import SimpleNamespace

    from moto_cognito_import.importing.run import _TokenIndex

    pool = SimpleNamespace(
        refresh_tokens={f"r{n}": ("client", f"u{n}", "jti") for n in range(100)},
        access_tokens={f"a{n}": ("client", f"u{n}") for n in range(100)},
    )
    index = _TokenIndex(pool, str.lower)  # type: ignore[arg-type]
    for round_ in range(5):
        pool.access_tokens.pop(next(reversed(pool.access_tokens)))  # a sign-out elsewhere
        pool.access_tokens[f"new{round_}"] = ("client", f"new{round_}")
        index._catch_up(pool)  # type: ignore[arg-type]
    assert sum(len(entries) for entries in index._by_name.values()) == 100 + 100 + 5
