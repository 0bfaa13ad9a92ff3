"""A real OpenID Connect provider on 127.0.0.1 for the tests (oauth2-mock-server, accounts/tests/oidc/).

`make test` installs it with npm (package-lock.json pins it); without Node.js the tests that need it skip,
and under CI they fail.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import require

HERE = Path(__file__).resolve().parent / "oidc"


@dataclass
class Provider:
    issuer: str
    scenario_file: Path

    def scenario(self, **wanted: object) -> None:
        """What the next ID tokens look like: claims=..., nonce=..., expired=True, other_key=True."""
        self.scenario_file.write_text(json.dumps(wanted))

    def app(self, provider_id: str = "idporten", name: str = "ID-porten", acr: str = "idporten-loa-substantial"):
        """The portal's settings for this provider, as luk_portal/settings/base.py makes them from OIDC_*."""
        return {
            "provider_id": provider_id,
            "name": name,
            "client_id": "luk-portalen-test",
            "secret": "test-client-secret",
            "settings": {
                "server_url": self.issuer,
                "scope": ["openid", "profile"],
                "acr_values": acr,
                "uid_field": "pid",
                "token_auth_method": "client_secret_post",
                "oauth_pkce_enabled": True,
                "fetch_userinfo": False,
            },
        }


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    node = shutil.which("node")
    require(node is not None, "needs Node.js for the OpenID Connect test provider")
    require((HERE / "node_modules" / "oauth2-mock-server").is_dir(), "needs `npm ci` in accounts/tests/oidc")
    scenario_file = Path(tempfile.mkstemp(prefix="luk-oidc-", suffix=".json")[1])
    scenario_file.write_text("{}")
    process = subprocess.Popen(
        [node, str(HERE / "server.mjs")],
        cwd=HERE,
        env={"SCENARIO_FILE": str(scenario_file), "PATH": "/usr/bin:/bin"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = process.stdout.readline().strip()
    if not line.startswith("READY "):
        process.kill()
        pytest.fail(f"the OpenID Connect test provider did not start: {line} {process.stdout.read()}")
    try:
        yield Provider(issuer=line.split(" ", 1)[1], scenario_file=scenario_file)
    finally:
        process.terminate()
        process.wait(timeout=10)
        scenario_file.unlink(missing_ok=True)


@pytest.fixture
def eid(oidc_provider: Provider, settings) -> Provider:
    """ID-porten (the test provider) configured for the portal, with a good sign-in as the default scenario."""
    settings.SOCIALACCOUNT_PROVIDERS = {"eid": {"OAUTH_PKCE_ENABLED": True, "APPS": [oidc_provider.app()]}}
    oidc_provider.scenario()
    return oidc_provider
