"""The pre-signed upload URL: signing, S3's checks and answers, and the stored file."""
