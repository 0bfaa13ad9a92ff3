"""One policy for every access question: each app's permissions.py answers "may this person see or do this";
no view, selector, filter, export, task, template or service reads a person's scope or memberships itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from luk_portal.tests.source import ROOT, production_files

# Making and ending memberships is the service's own work, not an access question.
WRITES_MEMBERSHIPS = {ROOT / "programmes" / "services.py"}


def access_reads(path: Path) -> list[str]:
    """Each place the file reads a scope or memberships: a use of `scope_of`, `Membership.objects`, or a
    person's `.memberships`, whatever the import is called."""
    found = []
    tree = ast.parse(path.read_text(), str(path))
    scope_names, membership_names = {"scope_of"}, {"Membership"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.asname and alias.name == "scope_of":
                    scope_names.add(alias.asname)
                if alias.asname and alias.name == "Membership":
                    membership_names.add(alias.asname)
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Name) and node.id in scope_names:
            found.append(f"{where}: {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in {"scope_of", "memberships"}:
            found.append(f"{where}: .{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr == "objects" and ast.unparse(node.value) in membership_names:
            found.append(f"{where}: {ast.unparse(node)}")
        elif isinstance(node, ast.alias) and node.name == "scope_of":
            found.append(f"{where}: import scope_of")
    return found


def test_only_permissions_read_a_persons_scope_or_memberships():
    reads = [
        read
        for path in production_files()
        if path.name != "permissions.py"
        for read in access_reads(path)
        if not (path in WRITES_MEMBERSHIPS and "Membership.objects" in read)
    ]
    assert reads == []


def test_templates_ask_flags_not_scopes():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"my_scope|\bscope\.|\.memberships\.", text), template


def test_the_scan_finds_a_scope_read_under_another_name():
    planted = ROOT / "applications" / "planted_for_the_policy_scan.py"
    planted.write_text(
        "from programmes.permissions import scope_of as who\n"
        "from programmes.models import Membership as M\n"
        "from programmes import permissions\n"
        "def f(user):\n"
        "    return who(user), M.objects.all(), user.memberships.all(), permissions.scope_of(user)\n"
    )
    try:
        assert planted in production_files()
        found = access_reads(planted)
        assert len(found) == 5, found
    finally:
        planted.unlink()
