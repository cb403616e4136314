"""Feature command groups for the ``ecohub`` CLI.

Each module here exposes ``COMMANDS``, a list of click commands or groups; ``hub.cli``
adds them all, so a feature brings its commands without editing the CLI's core.
"""
