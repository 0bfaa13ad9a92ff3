"""Norwegian formats the portal shows: money in whole kroner."""

from __future__ import annotations

NBSP = "\u00a0"


def format_kroner(value: int | None) -> str:
    """`1000000` -> `1 000 000 kr` (no-break spaces, so an amount never wraps); None -> an en dash."""
    if value is None or value == "":
        return "–"
    amount = int(value)
    sign = "−" if amount < 0 else ""
    digits = f"{abs(amount):,}".replace(",", NBSP)
    return f"{sign}{digits}{NBSP}kr"
