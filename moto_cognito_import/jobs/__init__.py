"""The API and the job model: the six operations, their request validation, jobs and their engine."""
