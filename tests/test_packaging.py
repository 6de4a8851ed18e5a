"""What a release promises beyond the API: ``--version`` on both console scripts, the server's
one-line answer when the ``[server]`` extra is missing, the checker's Python API (paths and
file objects alike), and an sdist that carries the test suite (MANIFEST.in).

Nothing here builds a distribution; the few subprocesses start in well under a second.
"""

from __future__ import annotations

import fnmatch
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import boto3
import pytest
import requests
from moto import mock_aws

from conftest import FIXTURES
from moto_cognito_import import __version__
from moto_cognito_import.tools import checker, server
from moto_cognito_import.tools.checker import InputError, Report, check_file, load_pool_description

pytestmark = pytest.mark.newest_only  # (tox.ini): what the README's install gives

ROOT = Path(__file__).resolve().parent.parent
SERVER_VERSION = f"moto-cognito-import-server {__version__} (moto {version('moto')})\n"
HINT = "pip install 'moto-cognito-import[server]' (before the package is on PyPI: pip install 'moto[server]>=5.2.1,<5.3')"
NO_SERVER_EXTRA = f"moto-cognito-import-server needs the [server] extra: {HINT}\n"
CSV_FIXTURE = FIXTURES / "cli_mixed.csv"


def run_python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=60, cwd=ROOT)


def console_script(name: str) -> str:
    script = shutil.which(name, path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip(f"{name} is not installed beside {sys.executable}")
    return script


# --- --version ---------------------------------------------------------------------------------


def test_checker_version_is_printed_with_exit_code_0(capsys):
    assert checker.main(["--version"]) == 0
    assert capsys.readouterr() == (f"moto-cognito-import {__version__}\n", "")


def test_server_version_names_the_moto_version_and_starts_no_server(capsys):
    assert server.main(["--version"]) == 0
    assert capsys.readouterr() == (SERVER_VERSION, "")
    assert server.main(["-H", "127.0.0.1", "--version"]) == 0  # anywhere among moto's flags
    assert capsys.readouterr().out == SERVER_VERSION


@pytest.mark.parametrize(
    "command, expected",
    [
        (["-m", "moto_cognito_import", "--version"], f"moto-cognito-import {__version__}\n"),
        (["-m", "moto_cognito_import.tools.server", "--version"], SERVER_VERSION),
    ],
    ids=["checker", "server"],
)
def test_version_as_a_module(command, expected):
    done = run_python(*command)
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")


@pytest.mark.parametrize(
    "name, expected",
    [("moto-cognito-import", f"moto-cognito-import {__version__}\n"), ("moto-cognito-import-server", SERVER_VERSION)],
)
def test_version_of_the_installed_console_scripts(name, expected):
    done = subprocess.run([console_script(name), "--version"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, expected, "")


@pytest.mark.parametrize("asked", ["--help", "--hel", "-rh"])  # argparse takes both for --help too
def test_the_server_help_lists_moto_s_flags_and_version(asked):
    """``--hel`` and ``-rh`` (-r, then -h) showed moto's help without the --version line."""
    done = subprocess.run([console_script("moto-cognito-import-server"), asked], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--port" in done.stdout and "  --version " in done.stdout


@pytest.mark.parametrize("redirect", [">&-", ">/dev/full", "| true"], ids=["closed", "full", "closed-pipe"])
@pytest.mark.parametrize("flag", ["--version", "--hel"])
def test_the_server_script_s_output_that_cannot_go_is_no_traceback(redirect, flag):
    """stdout closed, full or a pipe whose reader left: ``--version`` and ``--help`` (or
    ``--hel``, which argparse takes for it) ended in a traceback and exit code 1 (moto's own
    server and the checker exit 0)."""
    script = console_script("moto-cognito-import-server")
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{script} {flag} {redirect}"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr  # argparse's help goes to stderr then


# --- the server without the [server] extra --------------------------------------------------------

# ``sys.modules[name] = None`` makes ``import name`` fail and ``find_spec(name)`` say "not
# installed", as in an environment where pip never installed it.
WITHOUT = """
import sys
for name in {missing!r}:
    sys.modules[name] = None
from moto_cognito_import.tools.server import main
code = main(["-H", "127.0.0.1", "-p", "0"])
assert "moto.server" not in sys.modules, "moto's server was imported"
raise SystemExit(code)
"""


@pytest.mark.parametrize("missing", [("flask", "flask_cors"), ("flask",), ("flask_cors",)], ids="+".join)
def test_the_server_without_its_extra_says_what_to_install_in_one_line(missing):
    done = run_python("-c", WITHOUT.format(missing=missing))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", NO_SERVER_EXTRA)


def test_the_server_without_its_extra_exits_2_even_where_it_cannot_say_so():
    """stderr closed or full: exit code 1 (a traceback nobody saw), where 2 is promised."""
    for redirect in ("2>&-", "2>/dev/full"):
        command = f"{shlex.quote(sys.executable)} -c {shlex.quote(WITHOUT.format(missing=('flask',)))} {redirect}"
        assert subprocess.run(["bash", "-c", command], timeout=60, check=False).returncode == 2, redirect


def test_a_flask_without_a_spec_is_a_missing_extra_not_a_crash_on_import():
    """A ``flask`` in ``sys.modules`` without a spec (a stub, a half-removed install): the patch
    table asked ``find_spec`` itself, and ``import moto_cognito_import`` raised ValueError."""
    stub = "import types\nstub = types.ModuleType('flask')\nstub.__spec__ = None\nsys.modules['flask'] = stub\n"
    done = run_python("-c", WITHOUT.format(missing=()).replace("from moto_cognito_import", stub + "from moto_cognito_import"))
    assert (done.returncode, done.stdout, done.stderr) == (2, "", NO_SERVER_EXTRA)


def test_the_install_hint_asks_for_what_the_server_extra_holds():
    """The hint names ``moto-cognito-import[server]``, which pip cannot find while the package
    is not on PyPI: it names the extra's own requirement (setup.cfg) too, which pip can."""
    import configparser

    from moto_cognito_import.extras import SERVER_EXTRA_INSTALL

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    (requirement,) = config["options.extras_require"]["server"].split()
    assert f"pip install '{requirement}'" in SERVER_EXTRA_INSTALL
    assert SERVER_EXTRA_INSTALL.startswith("pip install 'moto-cognito-import[server]' ")


def test_the_server_fixture_without_the_extra_says_what_to_install(pytester):
    """moto's own hint (a ModuleNotFoundError) named ``moto[server]`` without our range."""
    pytester.makeconftest("import sys\nsys.modules['flask'] = None\n")
    pytester.makepyfile("def test_uses_the_server(cognito_import_server):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    assert f"the cognito_import_server fixtures need the [server] extra: {HINT}" in result.stdout.lines


def test_the_server_version_needs_no_extra():
    done = run_python("-c", WITHOUT.format(missing=("flask", "flask_cors")).replace('"-p", "0"', '"--version"'))
    assert (done.returncode, done.stdout, done.stderr) == (0, SERVER_VERSION, "")


def test_the_server_module_keeps_its_test_helpers():
    port = server.free_port()
    assert 1024 <= port <= 65535
    assert callable(server.spawn)


# --- the checker's Python API ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def pool_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``describe-user-pool`` output for the pool of the ``cli_mixed`` fixture, as moto gives it."""
    parameters = json.loads(CSV_FIXTURE.with_suffix(".json").read_text())["pool"]
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name="us-east-1")
        pool_id = idp.create_user_pool(**parameters)["UserPool"]["Id"]
        description = idp.describe_user_pool(UserPoolId=pool_id)
    description.pop("ResponseMetadata")
    path = tmp_path_factory.mktemp("pool") / "pool.json"
    path.write_text(json.dumps(description, default=str))
    return path


class Unseekable(io.RawIOBase):
    """A pipe-like binary stream: it reads, but cannot seek."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_pool_description_from_a_path_or_any_file_object_is_the_same_profile(pool_json):
    data = pool_json.read_bytes()
    from_path = load_pool_description(str(pool_json))
    with open(pool_json, encoding="utf-8") as text, open(pool_json, "rb") as binary:
        sources = [pool_json, os.fsencode(pool_json), text, binary, io.StringIO(data.decode()), io.BytesIO(data)]
        assert all(load_pool_description(source) == from_path for source in sources)
        assert not text.closed and not binary.closed  # the caller's files stay open
    assert load_pool_description("-", stdin=io.StringIO(data.decode())) == from_path


def test_check_file_gives_the_same_report_for_a_path_and_a_file_object(pool_json):
    profile = load_pool_description(pool_json)
    data = CSV_FIXTURE.read_bytes()
    report = check_file(str(CSV_FIXTURE), profile)
    assert isinstance(report, Report) and not report.file_error
    assert (report.imported_users, report.skipped_users, report.failed_users) == (3, 1, 5)  # offline: alice is new
    assert report.rows[0].message() == "[SUCCEEDED] Line Number 2 - The import succeeded."
    with open(CSV_FIXTURE, "rb") as binary:
        binary.read(10)  # a file object is judged whole, wherever it stands
        for source in (CSV_FIXTURE, os.fsencode(CSV_FIXTURE), binary, io.BytesIO(data), Unseekable(data)):
            assert check_file(source, profile) == report
        assert not binary.closed


def test_check_file_refuses_a_text_file_object_and_names_an_unreadable_path(pool_json, tmp_path):
    profile = load_pool_description(pool_json)
    with open(CSV_FIXTURE, encoding="utf-8") as text, pytest.raises(TypeError, match="binary file object"):
        check_file(text, profile)  # type: ignore[arg-type]
    missing = tmp_path / "missing.csv"
    with pytest.raises(InputError, match=re.escape(f"cannot read the CSV file {missing}: No such file or directory")):
        check_file(missing, profile)


def test_pool_description_errors_name_the_file_object():
    class Named(io.BytesIO):
        name = "pool-from-s3.json"

    with pytest.raises(InputError, match=re.escape("the pool description pool-from-s3.json is not UTF-8 text")):
        load_pool_description(Named(b"\xff{}"))
    with pytest.raises(InputError, match=re.escape("the pool description <file object> is not valid JSON")):
        load_pool_description(io.StringIO("{"))


def test_the_checker_exports_a_tidy_api():
    assert {"check_file", "load_pool_description", "read_pool", "Report", "RowResult"} <= set(checker.__all__)
    assert all(not name.startswith("_") and hasattr(checker, name) for name in checker.__all__)


# --- the sdist ---------------------------------------------------------------------------------------


def manifest_includes(relative: str, manifest: str) -> bool:
    """Whether MANIFEST.in's commands (include, exclude, recursive-include/-exclude,
    global-include/-exclude, graft, prune) leave ``relative`` (a path with ``/``) in the sdist,
    by the rules of setuptools' FileList: commands apply in order, the last one that matches
    decides."""
    directory, _, name = relative.rpartition("/")
    included = False
    for line in manifest.splitlines():
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        command, arguments = words[0], words[1:]
        if command in ("include", "exclude"):
            hit = any(fnmatch.fnmatchcase(relative, pattern) for pattern in arguments)
        elif command in ("recursive-include", "recursive-exclude"):
            root, patterns = arguments[0].rstrip("/"), arguments[1:]
            hit = (relative.startswith(root + "/") or root == ".") and any(
                fnmatch.fnmatchcase(name, pattern) for pattern in patterns
            )
        elif command in ("global-include", "global-exclude"):
            hit = any(fnmatch.fnmatchcase(name, pattern) for pattern in arguments)
        elif command in ("graft", "prune"):
            hit = any(directory == root or directory.startswith(root + "/") for root in arguments)
        else:
            raise AssertionError(f"MANIFEST.in: unexpected command {command!r}")
        if hit:
            included = command in ("include", "recursive-include", "global-include", "graft")
    return included


def test_the_sdist_carries_the_suite_its_fixtures_and_the_project_files():
    manifest = (ROOT / "MANIFEST.in").read_text()
    wanted = [
        "README.md", "CHANGELOG.md", "LICENSE", "pyproject.toml", "setup.cfg", "tox.ini", "conftest.py",
        ".ci/run", "benchmarks/README.md", "tests/conftest.py", "tests/test_packaging.py",
    ]
    wanted += [p.relative_to(ROOT).as_posix() for p in (ROOT / "tests").rglob("*") if p.is_file()
               and "__pycache__" not in p.parts and (p.suffix == ".py" or "fixtures" in p.parts)]
    wanted += [p.relative_to(ROOT).as_posix() for p in (ROOT / "benchmarks").glob("*.py")]
    assert any(name.startswith("tests/fixtures/") and name.endswith(".csv") for name in wanted)
    assert any(name.startswith("tests/moto_suite/") for name in wanted)
    assert [name for name in wanted if not (ROOT / name).is_file()] == []
    assert [name for name in wanted if not manifest_includes(name, manifest)] == []
    # Byte-compiled files and benchmark results stay out.
    assert not manifest_includes("tests/__pycache__/conftest.cpython-311.pyc", manifest)
    assert not manifest_includes("benchmarks/results/run.json", manifest)


def test_the_long_description_links_only_absolute_urls():
    """The README is the package's page on PyPI, where a relative link (CHANGELOG.md, LICENSE)
    leads nowhere."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    relative = [target for target in re.findall(r"\]\(([^)#]+)\)", readme) if "://" not in target]
    assert relative == []


def test_the_server_prints_when_a_job_starts_and_ends(tmp_path, monkeypatch):
    """Its users see no Python logging otherwise: the package's records go to stderr."""
    monkeypatch.setenv("MOTO_COGNITO_IMPORT_CHECK_ROLE", "false")
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        url, process = server.spawn(out)
    try:
        idp = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=url)
        pool_id = idp.create_user_pool(PoolName="p", AutoVerifiedAttributes=["email"])["UserPool"]["Id"]
        job = idp.create_user_import_job(
            JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/r"
        )["UserImportJob"]
        csv = b"cognito:username,email,email_verified\nann,ann@example.com,true\n"
        requests.put(job["PreSignedUrl"], data=csv, headers={"x-amz-server-side-encryption": "aws:kms"}, timeout=30)
        idp.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
        idp.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    finally:
        process.terminate()
        process.wait(timeout=10)
    text = log.read_text()
    assert f"INFO moto_cognito_import.jobs.models: Import job {job['JobId']} of user pool {pool_id} started" in text
    assert "ended Succeeded (imported 1, skipped 0, failed 0)" in text
    assert "ann" not in text  # never user data
