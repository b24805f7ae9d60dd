"""Errors a user can cause: each carries a message a person can act on."""

from __future__ import annotations


class WorkbenchError(Exception):
    """Base of every error that is shown to the user as one line, without a traceback."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ProjectError(WorkbenchError):
    """The course project is missing or its settings are wrong."""


class UnknownLanguageError(WorkbenchError):
    """A language code that the project does not know."""


class NotFoundError(WorkbenchError):
    """A key, user, module or file that does not exist."""


class StoreError(WorkbenchError):
    """The database cannot be opened, created or upgraded."""


class TransitionError(WorkbenchError):
    """A state change that the workflow does not allow."""


class PermissionDeniedError(WorkbenchError):
    """A rule of the review workflow forbids the action; the message names the rule."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{message} (rule: {rule})")
        self.rule = rule


class ConflictError(WorkbenchError):
    """A save started from a version that is no longer the current one."""

    def __init__(self, *, key: str, language: str, base_version: int,
                 current_version: int, mine: tuple[str, ...], theirs: tuple[str, ...],
                 theirs_author: str | None = None) -> None:
        super().__init__(
            f"{key} [{language}]: conflict: your text is based on version {base_version}, "
            f"but version {current_version} was saved meanwhile"
            + (f" by {theirs_author}" if theirs_author else "")
            + "; nothing was overwritten"
        )
        self.key = key
        self.language = language
        self.base_version = base_version
        self.current_version = current_version
        self.mine = mine
        self.theirs = theirs
        self.theirs_author = theirs_author


class FormatError(WorkbenchError):
    """A malformed file: `path:line: what is wrong`."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


class FormatErrors(WorkbenchError):
    """Several problems found in one file; the file is refused as a whole."""

    def __init__(self, errors: list[FormatError]) -> None:
        self.errors = errors
        first = errors[0]
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        super().__init__(first.message + more)

    def lines(self) -> list[str]:
        return [e.message for e in self.errors]
