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


def _botocore_sends_hashing_algorithm() -> bool:
    model = botocore.session.get_session().get_service_model("cognito-idp")
    return "PasswordHashingAlgorithm" in model.operation_model("CreateUserImportJob").input_shape.members


@pytest.mark.newest_only  # (tox.ini): the README installs the newest releases
@pytest.mark.parametrize("number", range(len(PYTHON_BLOCKS)))
def test_python_example_passes_as_a_test_file(pytester, number):
    if "PasswordHashingAlgorithm=" in PYTHON_BLOCKS[number] and not _botocore_sends_hashing_algorithm():
        pytest.skip("this botocore's model has no PasswordHashingAlgorithm member (botocore < 1.44)")
    pytester.makepyfile(PYTHON_BLOCKS[number])
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


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
