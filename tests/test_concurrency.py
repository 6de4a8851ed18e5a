"""Concurrency: moto's server is threaded, so many clients at once must lose nothing.

- Against the server subprocess: six client threads create, upload, start, describe and list
  jobs on four pools in two accounts, and create users with AdminCreateUser meanwhile; every
  job must end consistent, every user exist exactly once, and the server log stay free of
  tracebacks (the ``server_url`` fixture checks at the end of the session).
- A stalled upload (half a body, connection left open) must not hold up anyone else.
- In-process, a deterministic interleaving: AdminCreateUser of a name an import is inserting
  at that very moment must not silently replace (or be replaced by) the imported user.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import bcrypt
import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.cognitoidp.models import CognitoIdpUser
from test_faults import half_sent_upload

from conftest import ACCOUNT, REGION, create_logs_role, decorator_only, server_only
from moto_cognito_import.lock import LOCK, computed_once
from moto_cognito_import.upload import http, signing

OTHER_ACCOUNT = "210987654321"
THREADS = 6
JOBS_PER_THREAD = 3
UNIQUE_ROWS = 8
SHARED = ["shared0", "shared1", "shared2"]  # in every file of a pool: imported once, then skipped


def account_client(aws: Any, service: str, account: str) -> Any:
    """A new client (not the harness's cached one) whose requests all go to ``account``
    (moto's ``x-moto-account-id`` header)."""

    def add_header(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = account

    client = boto3.client(service, region_name=REGION, endpoint_url=aws.endpoint)
    client.meta.events.register_first("before-sign.*.*", add_header)
    return client


def csv_of(usernames: list[str]) -> str:
    return "cognito:username,email,email_verified\n" + "".join(
        f"{name},{name}@example.com,true\n" for name in usernames
    )


@dataclass
class JobRun:
    account: str
    pool_id: str
    job: dict[str, Any]
    usernames: list[str]


@dataclass
class Account:
    """One account's clients (shared by all threads: boto3 clients are thread-safe), role, pools."""

    account: str
    idp: Any
    logs: Any
    role: str
    pools: list[str]


def make_account(aws: Any, account: str) -> Account:
    idp = account_client(aws, "cognito-idp", account)
    iam = account_client(aws, "iam", account)
    role = create_logs_role(iam)
    pools = [
        idp.create_user_pool(PoolName=f"busy{n}", AutoVerifiedAttributes=["email"])["UserPool"]["Id"] for n in range(2)
    ]
    return Account(account, idp, account_client(aws, "logs", account), role, pools)


def start_when_no_other_job_runs(idp: Any, pool_id: str, job_id: str) -> None:
    """Only one job may be active per account and region: retry Start, as AWS's own import
    solution does, until the other thread's next read has finished its job."""
    for _ in range(3000):
        try:
            idp.start_user_import_job(UserPoolId=pool_id, JobId=job_id)
            return
        except idp.exceptions.PreconditionNotMetException as error:
            assert "is already running in this account and region" in str(error)  # noqa: PT017  (retried, as AWS's own solution does)
            time.sleep(0.005)  # not waiting for time: giving the other thread the server
    raise AssertionError(f"{job_id} never started")


@server_only
def test_many_clients_at_once_lose_and_duplicate_nothing(aws):
    aws.unset_transition()  # jobs finish by their next read
    accounts = [make_account(aws, ACCOUNT), make_account(aws, OTHER_ACCOUNT)]
    targets = [(a, pool) for a in accounts for pool in a.pools]

    def worker(thread: int) -> tuple[list[JobRun], list[tuple[str, str]]]:
        runs, admin_created = [], []
        for k in range(JOBS_PER_THREAD):
            account, pool_id = targets[(thread + k) % len(targets)]
            idp = account.idp
            usernames = [f"t{thread}j{k}u{i}" for i in range(UNIQUE_ROWS)] + SHARED
            job = idp.create_user_import_job(
                JobName=f"t{thread}j{k}", UserPoolId=pool_id, CloudWatchLogsRoleArn=account.role
            )["UserImportJob"]
            assert aws.upload(job["PreSignedUrl"], csv_of(usernames)).status_code == 200
            start_when_no_other_job_runs(idp, pool_id, job["JobId"])
            for name in (f"admin-t{thread}j{k}", SHARED[k]):  # the shared one races the imports
                try:
                    idp.admin_create_user(UserPoolId=pool_id, Username=name)
                    admin_created.append((pool_id, name))
                except idp.exceptions.UsernameExistsException:
                    assert name in SHARED
            job = idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
            idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=60)
            runs.append(JobRun(account.account, pool_id, job, usernames))
        return runs, admin_created

    with ThreadPoolExecutor(THREADS) as pool:
        results = [future.result(timeout=120) for future in [pool.submit(worker, t) for t in range(THREADS)]]
    runs = [run for thread_runs, _ in results for run in thread_runs]
    admin_created = [entry for _, created in results for entry in created]
    assert len(runs) == THREADS * JOBS_PER_THREAD

    for account in accounts:
        listed = {p["Id"] for p in account.idp.list_user_pools(MaxResults=60)["UserPools"]}
        assert listed == set(account.pools)  # nothing leaked across accounts
        for pool_id in account.pools:
            pool_runs = [run for run in runs if run.pool_id == pool_id]
            jobs = {j["JobId"]: j for j in account.idp.list_user_import_jobs(UserPoolId=pool_id, MaxResults=60)["UserImportJobs"]}
            assert set(jobs) == {run.job["JobId"] for run in pool_runs}
            for run in pool_runs:
                job = jobs[run.job["JobId"]]
                assert job["Status"] == "Succeeded", job
                counts = job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]
                assert sum(counts) == len(run.usernames) and counts[2] == 0, job
                events = account.logs.get_log_events(
                    logGroupName=f"/aws/cognito/userpools/{pool_id}/busy{account.pools.index(pool_id)}",
                    logStreamName=f"{job['JobId']}/{job['JobName']}",
                    startFromHead=True,
                )["events"]
                assert len(events) == len(run.usernames)
            users = [
                user["Username"]
                for page in account.idp.get_paginator("list_users").paginate(UserPoolId=pool_id)
                for user in page["Users"]
            ]
            assert len(users) == len(set(users)), "a user is listed twice"
            admins = {name for pid, name in admin_created if pid == pool_id}
            expected = {name for run in pool_runs for name in run.usernames} | admins
            assert set(users) == expected
            imported = sum(jobs[run.job["JobId"]]["ImportedUsers"] for run in pool_runs)
            assert imported + len(admins) == len(users), "a user was created twice and one copy lost"


@server_only
def test_a_stalled_upload_holds_up_nobody(aws):
    """Half a body sent, the connection left open: other requests go on; once the client
    drops, nothing was stored and the job still has no file."""
    pool = aws.pool()
    job = aws.job(pool["Id"])
    quick = aws.client(config=Config(read_timeout=10))  # and one attempt, as every test client
    with half_sent_upload(job["PreSignedUrl"], csv_of([f"u{i}" for i in range(2000)]).encode()):
        for _ in range(3):  # each would wait for the stalled upload if it held the lock
            described = quick.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
            assert described["UserImportJob"]["Status"] == "Created"
        other = aws.job(pool["Id"], csv_of(["v1"]))  # an upload to another job goes through
    with pytest.raises(ClientError) as exc:
        aws.idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
    err = exc.value.response["Error"]
    assert (err["Code"], err["Message"]) == ("PreconditionNotMetException", f"No csv file was uploaded for {job['JobId']}")
    assert aws.run(pool["Id"], csv_of(["v1"]))["ImportedUsers"] == 1  # the server still serves
    assert aws.idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=other["JobId"])["UserImportJob"]["Status"] == "Created"


def _pause_an_import_with_a_request_waiting(
    aws: Any, monkeypatch: Any, usernames: list[str], request: Any
) -> tuple[dict[str, Any], Any]:
    """Run an import of ``usernames`` that lets waiting requests in every 2 rows; while its
    first user is being built (checked, not yet in the pool), another thread sends
    ``request(idp, pool_id, job_id)``, which must wait for the import's lock. Returns (the
    importer's final Describe, what ``request`` answered)."""
    from moto_cognito_import.importing import run

    aws.unset_transition()  # the import runs within the Describe that follows Start
    monkeypatch.setattr(run, "ROWS_BETWEEN_PAUSES", 2)
    pool = aws.pool()
    job = aws.job(pool["Id"], csv_of(usernames))
    idp = aws.idp  # boto3 clients are thread-safe
    building, proceed = threading.Event(), threading.Event()
    original_init = CognitoIdpUser.__init__
    importer: list[threading.Thread] = []

    def paused_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        if threading.current_thread() in importer and self.username == usernames[0]:
            building.set()
            assert proceed.wait(timeout=30)

    def run_import() -> Any:
        importer.append(threading.current_thread())
        try:
            idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
            return idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
        finally:
            building.set()  # never leave the test waiting, whatever happened

    monkeypatch.setattr(CognitoIdpUser, "__init__", paused_init)
    with ThreadPoolExecutor(2) as threads:
        importing = threads.submit(run_import)
        assert building.wait(timeout=30)
        waiting = threads.submit(request, idp, pool["Id"], job["JobId"])
        with pytest.raises(TimeoutError):
            waiting.result(timeout=0.5)  # it waits for the lock the import holds
        proceed.set()
        return importing.result(timeout=30), waiting.result(timeout=30)


@decorator_only
def test_admin_create_user_never_overwrites_a_user_an_import_is_inserting(aws, monkeypatch):
    """Pause the import between its "does this user exist?" check and its insert, and create
    the same user through the API meanwhile: exactly one of the two may win."""

    def create_bob(idp: Any, pool_id: str, job_id: str) -> str:
        try:
            idp.admin_create_user(UserPoolId=pool_id, Username="bob")
        except idp.exceptions.UsernameExistsException:
            return "exists"
        return "created"

    job, admin = _pause_an_import_with_a_request_waiting(aws, monkeypatch, ["bob"], create_bob)
    users = aws.idp.list_users(UserPoolId=job["UserPoolId"])["Users"]
    assert [u["Username"] for u in users] == ["bob"]
    assert job["ImportedUsers"] + (admin == "created") == 1, (job, admin, users[0]["UserStatus"])
    assert (job["ImportedUsers"], admin, users[0]["UserStatus"]) == (1, "exists", "RESET_REQUIRED")


@decorator_only
def test_no_lock_is_held_while_an_imported_hash_is_verified(aws, monkeypatch):
    """Verifying a hash can take a second at Cognito's maximum costs; a concurrent ListUsers
    waited behind the server-wide lock for all of it. The verification is held here until
    ListUsers (another thread) has been answered: under the lock, that would deadlock."""
    from moto_cognito_import.sign_in import rules

    hashed = bcrypt.hashpw(b"Old-passw0rd!", bcrypt.gensalt(rounds=4)).decode()
    pool = aws.pool()
    idp = aws.idp
    csv = f"cognito:username,email,email_verified,password_hash\nann,ann@example.com,true,{hashed}\n"
    assert aws.run(pool["Id"], csv, "BCRYPT")["ImportedUsers"] == 1
    client_id = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    verifying, listed = threading.Event(), threading.Event()
    verify = rules.verify_password

    def held_verify(*args: Any) -> bool:
        verifying.set()
        assert listed.wait(timeout=30), "ListUsers never came back"
        return verify(*args)

    monkeypatch.setattr(rules, "verify_password", held_verify)
    with ThreadPoolExecutor(1) as pool_of_threads:
        signing_in = pool_of_threads.submit(
            idp.initiate_auth, ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ann", "PASSWORD": "Old-passw0rd!"},
        )
        assert verifying.wait(timeout=30)
        assert [user["Username"] for user in idp.list_users(UserPoolId=pool["Id"])["Users"]] == ["ann"]
        listed.set()
        assert "AccessToken" in signing_in.result(timeout=30)["AuthenticationResult"]


@decorator_only
def test_a_password_set_while_an_imported_hash_is_verified_decides_in_cognito_s_words(aws, monkeypatch):
    """AdminSetUserPassword let in while the old password was checked against the imported hash:
    the hash matched, the new password decided, and moto's AdminInitiateAuth refused with its
    own message (the username) where Cognito says "Incorrect username or password."."""
    from moto_cognito_import.sign_in import rules

    hashed = bcrypt.hashpw(b"Old-passw0rd!", bcrypt.gensalt(rounds=4)).decode()
    pool = aws.pool()
    idp = aws.idp
    csv = f"cognito:username,email,email_verified,password_hash\nann,ann@example.com,true,{hashed}\n"
    assert aws.run(pool["Id"], csv, "BCRYPT")["ImportedUsers"] == 1
    client_id = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="app")["UserPoolClient"]["ClientId"]
    verify = rules.verify_password

    def verify_after_a_new_password(*args: Any) -> bool:
        idp.admin_set_user_password(UserPoolId=pool["Id"], Username="ann", Password="N3w-Passw0rd!", Permanent=True)
        return verify(*args)

    monkeypatch.setattr(rules, "verify_password", verify_after_a_new_password)
    with pytest.raises(ClientError) as exc:
        idp.admin_initiate_auth(UserPoolId=pool["Id"], ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": "ann", "PASSWORD": "Old-passw0rd!"})
    assert exc.value.response["Error"] == {"Code": "NotAuthorizedException", "Message": "Incorrect username or password."}
    monkeypatch.setattr(rules, "verify_password", verify)
    idp.admin_initiate_auth(UserPoolId=pool["Id"], ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                            AuthParameters={"USERNAME": "ann", "PASSWORD": "N3w-Passw0rd!"})


@decorator_only
def test_a_long_import_lets_other_requests_in_between_rows(aws, monkeypatch):
    """A 500,000-row import ran in one Describe under the server-wide lock and held every
    other client, of every account and region, for 19 s. Now waiting requests go in between
    batches of rows: another client's Describe sees the job InProgress part-way, as on AWS."""

    def describe(idp: Any, pool_id: str, job_id: str) -> Any:
        with LOCK:  # the log read too before the import goes on (moto's logs take no such lock)
            job = idp.describe_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]
            events = aws.client("logs").get_log_events(
                logGroupName=f"/aws/cognito/userpools/{pool_id}/migrated", logStreamName=f"{job_id}/{job['JobName']}",
            )["events"]
        return job, len(events)

    final, (midway, logged) = _pause_an_import_with_a_request_waiting(
        aws, monkeypatch, [f"u{i}" for i in range(10)], describe
    )
    assert (midway["Status"], midway["ImportedUsers"], logged) == ("InProgress", 2, 2)  # the log as far as the counts
    assert (final["Status"], final["ImportedUsers"]) == ("Succeeded", 10)


@decorator_only
def test_a_stop_let_in_between_rows_ends_the_import_there(aws, monkeypatch):
    """StopUserImportJob let in part-way: the import stops at its next row, the job stays
    Stopped (the run's own ending does not overwrite it) and the counters match the users."""

    def stop(idp: Any, pool_id: str, job_id: str) -> Any:
        return idp.stop_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]

    final, stopped = _pause_an_import_with_a_request_waiting(aws, monkeypatch, [f"u{i}" for i in range(10)], stop)
    assert (stopped["Status"], stopped["ImportedUsers"]) == ("Stopped", 2)
    assert (final["Status"], final["ImportedUsers"], final["FailedUsers"]) == ("Stopped", 2, 0)
    assert len(aws.idp.list_users(UserPoolId=final["UserPoolId"])["Users"]) == 2


def _lines_of_blanks_import(
    aws: Any, monkeypatch: Any, at_chunk: int, request: Any
) -> tuple[dict[str, Any], Any, list[int]]:
    """Import ``u0``, 300 blank lines (no rows: no pause between rows) and ``u1``, the file read
    in chunks of 64 characters; as the import reads its ``at_chunk``-th chunk (a file's check
    pass reads it all once, then its import pass again), another thread sends ``request(idp,
    pool_id, job_id)`` and the import goes on only once that request waits for its lock.
    Returns (the importer's final Describe, what ``request`` answered, the chunks read)."""
    from moto_cognito_import.importing import csv_validation, run

    aws.unset_transition()  # the import runs within the Describe that follows Start
    monkeypatch.setattr(csv_validation, "_CHUNK_CHARS", 64)
    pool = aws.pool()
    body = csv_of(["u0"]) + " \n" * 300 + "u1,u1@example.com,true\n"
    job = aws.job(pool["Id"], body)
    idp = aws.idp
    original_pause = getattr(run.ImportRun._pause, "__wrapped__", run.ImportRun._pause)  # not a test's earlier one
    chunks, sent = [0], threading.Event()

    def pause(self: Any) -> None:
        chunks[0] += 1
        if chunks[0] == at_chunk:
            sent.set()
            _until(lambda: LOCK._waiting >= 1)
        original_pause(self)

    pause.__wrapped__ = original_pause  # type: ignore[attr-defined]

    def run_import() -> Any:
        try:
            idp.start_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])
            return idp.describe_user_import_job(UserPoolId=pool["Id"], JobId=job["JobId"])["UserImportJob"]
        finally:
            sent.set()

    monkeypatch.setattr(run.ImportRun, "_pause", pause)
    with ThreadPoolExecutor(2) as threads:
        importing = threads.submit(run_import)
        assert sent.wait(timeout=30)
        answered = threads.submit(request, idp, pool["Id"], job["JobId"]).result(timeout=30)
        return importing.result(timeout=30), answered, chunks


@decorator_only
def test_a_file_of_blank_lines_lets_waiting_requests_in_as_it_is_read(aws, monkeypatch):
    """Blank lines are no rows, and an import let waiting requests in only every 1,000 rows:
    a file of 100 MB of blank lines held the server-wide lock for 2 s in its check pass and
    2 s more in its import pass, every client of every account waiting. It lets them in
    between chunks of the file in both passes, as between rows."""

    def list_users(idp: Any, pool_id: str, job_id: str) -> list[str]:
        return [user["Username"] for user in idp.list_users(UserPoolId=pool_id)["Users"]]

    job, seen, chunks = _lines_of_blanks_import(aws, monkeypatch, 2, list_users)  # the check pass
    assert seen == [] and chunks[0] > 20  # answered while the import was still reading
    assert (job["Status"], job["ImportedUsers"], job["FailedUsers"]) == ("Succeeded", 2, 0)
    job, seen, _ = _lines_of_blanks_import(aws, monkeypatch, chunks[0] - 3, list_users)  # the import pass
    assert seen == ["u0"]  # among the blank lines, after u0 and before u1
    assert (job["Status"], job["ImportedUsers"], job["FailedUsers"]) == ("Succeeded", 2, 0)


@decorator_only
@pytest.mark.parametrize("at_chunk", [2, -3], ids=["check-pass", "import-pass"])
def test_a_stop_let_in_while_the_file_is_read_stops_the_job(aws, monkeypatch, caplog, at_chunk):
    """A Stop let in between chunks ends the reading in the import's own thread (a generator
    cannot be closed while it runs): the job is Stopped, counts what was done, logs no error."""

    def stop(idp: Any, pool_id: str, job_id: str) -> str:
        return idp.stop_user_import_job(UserPoolId=pool_id, JobId=job_id)["UserImportJob"]["Status"]

    chunks = _lines_of_blanks_import(aws, monkeypatch, 10**9, lambda *_: None)[2][0]  # how many there are
    job, stopped, _ = _lines_of_blanks_import(aws, monkeypatch, at_chunk % chunks, stop)
    assert stopped == "Stopped" and job["Status"] == "Stopped"
    assert job["ImportedUsers"] == (0 if at_chunk > 0 else 1) and job["FailedUsers"] == 0
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def _until(condition: Any) -> None:
    """Wait (at most 30 s) for another thread to reach a state the test cannot be told of."""
    for _ in range(30_000):
        if condition():
            return
        threading.Event().wait(0.001)  # not waiting for time: for the other thread to block
    raise AssertionError("the other thread never got there")


def test_a_paused_import_lets_every_queued_request_in_before_it_goes_on():
    """A lock serves waiters in no order: the import let one of K queued clients in per batch,
    so with 20 clients a call waited 3 s. Now each thread queued at the pause goes first."""
    from moto_cognito_import.lock import ServerLock

    lock, served = ServerLock(), []

    def request(n: int) -> None:
        with lock:
            served.append(n)

    with lock, ThreadPoolExecutor(5) as clients:
        for n in range(5):
            clients.submit(request, n)
        _until(lambda: lock._waiting == 5)
        lock.let_waiters_in()
        assert sorted(served) == [0, 1, 2, 3, 4]


def test_a_thread_back_from_slow_work_outside_the_lock_is_let_in_too():
    """A sign-in verifying an imported hash, or another paused import, takes the lock back
    after ``released()``: it was not counted as waiting, so a running import never let it in
    and it waited for the whole import (5.5 s for 300,000 rows)."""
    from moto_cognito_import.lock import ServerLock

    lock, order = ServerLock(), []
    outside, back = threading.Event(), threading.Event()

    def sign_in() -> None:
        with lock:
            with lock.released():
                outside.set()
                assert back.wait(timeout=30)
            order.append("sign-in")

    with ThreadPoolExecutor(1) as client:
        signing_in = client.submit(sign_in)
        assert outside.wait(timeout=30)
        with lock:  # the import
            back.set()
            _until(lambda: lock._waiting == 1)
            lock.let_waiters_in()
            order.append("import")
        signing_in.result(timeout=30)
    assert order == ["sign-in", "import"]


def test_a_costly_first_computation_runs_once_when_threads_ask_at_once():
    """``functools.cache`` let each of 64 uploads reaching a fresh server at once build its own
    botocore session for Cognito's bucket names (RSS +470 MB, 14 s for the slowest): the
    upload's lookups are ``computed_once``. Without it all eight threads pass the barrier."""
    calls: list[int] = []
    barrier = threading.Barrier(8, timeout=1)

    def costly() -> int:
        calls.append(1)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return 42

    once = computed_once(costly)
    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(once())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert (calls, results) == ([1], [42] * 8)
    # The upload's lookups are computed_once's functions, not functools.cache's wrappers.
    assert inspect.isfunction(http.cognito_buckets) and inspect.isfunction(signing._partitions)


def test_two_requests_reaching_a_new_region_at_once_share_one_backend(monkeypatch):
    """The six read their backend before the plugin's lock: two requests reaching a region
    moto makes a backend for on demand (MOTO_ALLOW_NONEXISTENT_REGION) each made one, and a
    job created in the first was lost. The window is widened here; it was narrow but real."""
    from moto.core.base_backend import AccountSpecificBackend

    from moto_cognito_import.jobs.models import import_backends
    from moto_cognito_import.jobs.responses import backend_for

    monkeypatch.setenv("MOTO_ALLOW_NONEXISTENT_REGION", "true")
    keys = AccountSpecificBackend.keys

    def slow_keys(self: Any) -> Any:
        seen = list(keys(self))
        time.sleep(0.2)  # both threads miss the region before either creates it
        return seen

    monkeypatch.setattr(AccountSpecificBackend, "keys", slow_keys)
    try:
        with ThreadPoolExecutor(2) as pool:
            found = list(pool.map(lambda _: backend_for(ACCOUNT, "xx-fake-1"), range(2)))
    finally:
        monkeypatch.undo()
        import_backends[ACCOUNT].pop("xx-fake-1", None)
    assert found[0] is found[1]
