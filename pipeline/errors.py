"""Errors that reach the user as a message, never as a traceback."""


class C1Error(Exception):
    """Base of every error c1 reports to the user."""

    exit_code = 1


class ConfigError(C1Error):
    """The election folder, its config or its region master cannot be used (exit 2)."""

    exit_code = 2


class StageInputError(C1Error):
    """A stage was asked to run before the stage it reads from (exit 2)."""

    exit_code = 2
