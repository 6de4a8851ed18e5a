"""Sign-in of imported users: Cognito's rules that moto lacks, and case-insensitive usernames."""
