"""What the project page tests share: the roles' expected answers, and what a page posts."""

from __future__ import annotations

from applications import services
from applications.tests import factories

PEOPLE = factories.PEOPLE

#               coord_a coord_b(partner) coord_other officer decider officer_other ministry nobody
SEE = (200, 200, 404, 200, 200, 404, 200, 404)
LEAD_ONLY = (200, 403, 404, 403, 403, 404, 403, 404)
LEAD_OR_OFFICER = (200, 403, 404, 200, 403, 404, 403, 404)
OFFICER_ONLY = (403, 403, 404, 200, 403, 404, 403, 404)
COUNTY_STAFF = (403, 403, 404, 200, 200, 404, 403, 404)
EVERYONE = (200,) * 8


def matrix(expected: tuple[int, ...]) -> list[tuple[str, int]]:
    return list(zip(PEOPLE, expected, strict=True))


def status_for(client, user, method, url, data=None):
    client.force_login(user)
    response = client.get(url) if method == "get" else client.post(url, data or {})
    return response.status_code


def complete_report(project, coordinator, *, final=False):
    report = services.report_create(project=project, by=coordinator, final=final)
    fields = {
        "activities": "Tre folkemøte.",
        "went_well": "God oppslutnad.",
        "challenges": "Lite tid.",
        "next_steps": "Stadanalysen.",
    }
    if final:
        fields.update(results="Måla er nådde.", lessons="Start tidleg.")
    services.report_save_draft(
        report=report,
        by=coordinator,
        fields=fields,
        costs={line.pk: 100_000 for line in project.application.budget_lines.all()},
        indicator_values={indicator.pk: 40 for indicator in project.indicators.all()},
    )
    return services.report_submit(report=report, by=coordinator)


def plan_data(*, milestones=(), indicators=(), initial_milestones=0, initial_indicators=0):
    """What the plan page posts: the two formsets with their management forms."""
    data = {
        "milestones-TOTAL_FORMS": str(len(milestones)),
        "milestones-INITIAL_FORMS": str(initial_milestones),
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
        "indicators-TOTAL_FORMS": str(len(indicators)),
        "indicators-INITIAL_FORMS": str(initial_indicators),
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
    }
    for prefix, rows in (("milestones", milestones), ("indicators", indicators)):
        for index, row in enumerate(rows):
            data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data
