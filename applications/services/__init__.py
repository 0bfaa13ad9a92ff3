"""Everything that writes in the grant cycle: cases (applications, decisions, county plans) and projects."""

from .cases import *  # noqa: F403
from .cases import __all__ as _cases
from .projects import *  # noqa: F403
from .projects import __all__ as _projects

__all__ = [*_cases, *_projects]
