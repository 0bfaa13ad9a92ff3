"""Everything that writes in the grant cycle, by sub-domain: an application's case (cases), the decision and its
letter (decisions), county plans (plans), projects with their schedule, plan and end (projects), reports
(reports), payments (payments) and change requests (changes). steps is the one place a status changes."""

from .cases import *  # noqa: F403
from .cases import __all__ as _cases
from .changes import *  # noqa: F403
from .changes import __all__ as _changes
from .decisions import *  # noqa: F403
from .decisions import __all__ as _decisions
from .payments import *  # noqa: F403
from .payments import __all__ as _payments
from .plans import *  # noqa: F403
from .plans import __all__ as _plans
from .projects import *  # noqa: F403
from .projects import __all__ as _projects
from .reports import *  # noqa: F403
from .reports import __all__ as _reports

__all__ = [*_cases, *_changes, *_decisions, *_payments, *_plans, *_projects, *_reports]
