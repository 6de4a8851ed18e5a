"""The README's examples are run as written, so they cannot rot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import botocore.session
import pytest

README = (Path(__file__).parent.parent / "README.md").read_text()
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)
SHELL_BLOCKS = re.findall(r"```bash\n(.*?)```", README, re.S)
IMPORTS_THE_PACKAGE = re.compile(r"^\s*(from|import)\s+moto_cognito_import\b", re.M)


def _botocore_sends_hashing_algorithm() -> bool:
    model = botocore.session.get_session().get_service_model("cognito-idp")
    return "PasswordHashingAlgorithm" in model.operation_model("CreateUserImportJob").input_shape.members


def _examples(imports_the_package: bool) -> list[str]:
    """The README's Python examples that do (or do not) ``import moto_cognito_import``: those
    that do not must work by the fixtures alone, so they never share a run with those that do."""
    return [block for block in PYTHON_BLOCKS if bool(IMPORTS_THE_PACKAGE.search(block)) is imports_the_package]


@pytest.mark.newest_only  # (tox.ini): the README installs the newest releases
@pytest.mark.parametrize("imports_the_package", [False, True], ids=["fixtures-alone", "importing-the-package"])
def test_python_examples_pass_as_test_files(pytester, imports_the_package):
    """One pytest run per kind of example (each run costs seconds), one file per example."""
    examples = _examples(imports_the_package)
    if not _botocore_sends_hashing_algorithm():
        examples = [block for block in examples if "PasswordHashingAlgorithm=" not in block]
    if not examples:
        pytest.skip("this botocore's model has no PasswordHashingAlgorithm member (botocore < 1.44)")
    pytester.makepyfile(**{f"test_example_{number}": block for number, block in enumerate(examples)})
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=len(examples))


def test_both_kinds_of_example_are_there():
    assert len(_examples(False)) >= 2 and len(_examples(True)) >= 3


@pytest.mark.newest_only  # (tox.ini): the README installs the newest releases
@pytest.mark.skipif(shutil.which("aws") is None or shutil.which("curl") is None, reason="needs the AWS CLI and curl")
def test_aws_cli_walkthrough_runs_against_the_server(server_url, tmp_path):
    script = next(block for block in SHELL_BLOCKS if "create-user-import-job" in block)
    script = script.replace("http://127.0.0.1:5000", server_url)
    try:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True,
            timeout=120, env={**os.environ, "AWS_PAGER": ""},
        )
        assert result.returncode == 0, result.stderr
        assert '"Status": "Succeeded"' in result.stdout
        assert '"Username": "jane"' in result.stdout
    finally:
        subprocess.run(["curl", "-sS", "-X", "POST", f"{server_url}/moto-api/reset"], check=True, capture_output=True)
