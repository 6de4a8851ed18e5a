"""The console scripts: the offline checker and the server."""
