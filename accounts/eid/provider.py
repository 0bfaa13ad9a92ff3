from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.http import HttpRequest
from django.utils.crypto import get_random_string

from .views import EIDAdapter

# acr levels in ascending strength; an ID token must carry at least the level the provider is set to ask for.
ACR_LEVELS = ("idporten-loa-low", "idporten-loa-substantial", "idporten-loa-high")


class EIDProvider(OpenIDConnectProvider):
    id = "eid"
    name = "Electronic ID"
    oauth2_adapter_class = EIDAdapter

    def get_default_scope(self) -> list[str]:
        return ["openid", "profile"]

    def redirect(self, request: HttpRequest, process: Any, next_url: Any = None, data: Any = None, **kwargs: Any):
        nonce = get_random_string(32)
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce  # kept with the state (below) and compared with the ID token's
        auth_params["acr_values"] = self.acr_required
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)

    @property
    def acr_required(self) -> str:
        return self.app.settings.get("acr_values") or "idporten-loa-substantial"

    def acr_sufficient(self, acr: str | None) -> bool:
        if acr not in ACR_LEVELS:
            return False
        return ACR_LEVELS.index(acr) >= ACR_LEVELS.index(self.acr_required)


provider_classes = [EIDProvider]
