"""The ``newsflow`` command line."""
