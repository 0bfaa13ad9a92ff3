"""The one exception family services raise; its message is fit to show the user."""


class LukError(Exception):
    """A rule of the programme refused the action; str(error) is a translated message for the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(LukError):
    """The user may see the object but not do this to it."""


class InvalidTransition(LukError):
    """The object is not in a state that allows this step."""
