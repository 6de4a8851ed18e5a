"""User-facing settings (environment variables) and the plugin's fixed limits."""

import os

#: moto state-manager model that moves a started job Pending -> InProgress -> finished.
#: Default progression is "immediate": the job has finished by the next Describe or List.
STATE_MODEL = "cognito-idp::userimportjob"

#: Set to "false" to skip the CloudWatch Logs role check at StartUserImportJob
#: (for tests that don't model IAM). Read at each Start, so monkeypatch.setenv works.
CHECK_ROLE_ENV = "MOTO_COGNITO_IMPORT_CHECK_ROLE"

# AWS quotas and limits (Cognito developer guide, "Quotas" and "Formatting the CSV file").
MAX_JOBS_PER_POOL = 1000
MAX_FILE_BYTES = 100_000_000  # "100 MB"; AWS's own import solution: maxUploadByteSize = 100000000
MAX_DATA_ROWS = 500_000
MAX_ROW_CHARS = 16_000
UPLOAD_URL_EXPIRES_SECONDS = 899  # real PreSignedUrls carry X-Amz-Expires=899 (~15 min)
JOB_EXPIRY_SECONDS = 24 * 3600  # [OURS] the early end of AWS's "24-48 hours"
LIST_PAGE_MAX = 50  # [OURS] the output list shape's max, although MaxResults allows 60


def role_check_enabled() -> bool:
    """True unless MOTO_COGNITO_IMPORT_CHECK_ROLE is set to a false value."""
    return os.environ.get(CHECK_ROLE_ENV, "true").strip().lower() not in ("0", "false", "no")
