"""The command line: argument parsers of ``neuroviz`` and its subcommands (``neuroviz export``)."""
