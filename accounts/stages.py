"""allauth's second-factor login stage, skipped when the person signed in with an electronic ID at level
substantial or high: that sign-in is two-factor already (accounts.eid_checks notes the level on the request)."""

from __future__ import annotations

from allauth.mfa.stages import AuthenticateStage as MFAAuthenticateStage


class AuthenticateStage(MFAAuthenticateStage):
    def _should_handle(self, request) -> bool:  # type: ignore[no-untyped-def]
        if getattr(request, "luk_eid_acr", None):
            return False
        return super()._should_handle(request)
