"""Run moto's own test suites, from the sdist of the installed moto, with the package active.

The strongest proof that a guest changed nothing it should not: moto's tests for the parts the
plugin touches (cognito-idp, CloudWatch Logs, S3 pre-signed URLs, the moto API) must pass with
``import moto_cognito_import`` done first. ``tox -e moto-suite`` runs this; so does CI.

The sdist's ``tests/`` are copied next to a conftest that imports the package (so moto's files
stay as shipped, and ``moto`` resolves to the installed one, not the sdist's copy of it). They
run in one pytest process: the recorder tests share one recording file, and pytest-xdist's
workers each import moto and the suites again (two workers, and the recorder tests' own run,
took 68 s of CPU where one process takes 41, to end 4 s sooner on a machine tox's other
environments do not share). Docker-only tests are skipped (``TESTS_SKIP_REQUIRES_DOCKER``).
"""

from __future__ import annotations

import argparse
import configparser
import os
import shutil
import subprocess
import sys
import tarfile
from importlib.metadata import version
from pathlib import Path

TARGETS = (
    "tests/test_cognitoidp",
    "tests/test_logs",
    "tests/test_s3/test_s3_presigned_url.py",
    "tests/test_moto_api",
)

CONFTEST = '''"""moto's own tests, with moto_cognito_import imported (and so active) first."""

import moto
# The project's tests/pool_key.py, copied beside this file: half of this run's CPU saved, and
# every pool still gets moto's key.
from pool_key import moto_s_pool_key_parsed_once  # noqa: F401  (a session's autouse fixture)

import moto_cognito_import

assert moto_cognito_import.is_active()


def pytest_report_header(config):
    return f"moto {moto.__version__} ({moto.__file__}) with moto_cognito_import {moto_cognito_import.__version__} active"
'''


def _sdist(moto_version: str, cache: Path) -> Path:
    """The sdist of ``moto_version``, downloaded once into ``cache``."""
    found = sorted(cache.glob(f"moto-{moto_version}.tar.gz"))
    if not found:
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
             f"moto=={moto_version}", "--dest", str(cache)],
            check=True,
        )
        found = sorted(cache.glob(f"moto-{moto_version}.tar.gz"))
    return found[0]


def _prepare(sdist: Path, run: Path) -> None:
    """``run/tests`` from the sdist, with moto's pytest markers and the conftest beside it."""
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    prefix = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as archive:
        # Files and folders under the sdist's own tests/ only: tarfile's "data" filter (Python
        # 3.11.4 and later) refuses links and paths out of ``run`` too; before 3.11.4 this is
        # the whole safeguard.
        members = [
            m
            for m in archive.getmembers()
            if m.name.startswith((f"{prefix}/tests/", f"{prefix}/setup.cfg"))
            and (m.isfile() or m.isdir())
            and ".." not in Path(m.name).parts
        ]
        if hasattr(tarfile, "data_filter"):
            archive.extractall(run, members=members, filter="data")
        else:  # Python 3.11.0 to 3.11.3
            archive.extractall(run, members=members)  # the members were checked above
    shutil.move(str(run / prefix / "tests"), run / "tests")
    moto_config = configparser.ConfigParser(interpolation=None)
    moto_config.read(run / prefix / "setup.cfg")
    ini = configparser.ConfigParser(interpolation=None)
    ini["pytest"] = dict(moto_config["tool:pytest"]) if moto_config.has_section("tool:pytest") else {}
    with open(run / "pytest.ini", "w") as file:
        ini.write(file)
    shutil.rmtree(run / prefix)
    (run / "conftest.py").write_text(CONFTEST)
    shutil.copy(Path(__file__).parent.parent / "pool_key.py", run / "pool_key.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path(".moto-suite"), help="where to download and run")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments")
    args = parser.parse_args(argv)
    moto_version = version("moto")
    run = args.workdir / f"run-{moto_version}"
    _prepare(_sdist(moto_version, args.workdir / "sdist"), run)
    targets = [t for t in TARGETS if (run / t).exists()]
    env = {**os.environ, "TESTS_SKIP_REQUIRES_DOCKER": "true"}
    # moto's tests use no hypothesis: its plugin would cost a second of imports
    pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-q", "-rfE"]
    return subprocess.run([*pytest, *args.pytest_args, *targets], cwd=run, env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main())
