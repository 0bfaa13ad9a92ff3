"""Sign-in with an electronic ID (ID-porten, Ansattporten): allauth's OpenID Connect provider, made strict.

Besides what allauth's generic provider does (authorization code flow, PKCE, state), this one sends and checks a
nonce, always checks the ID token's signature against the provider's published keys (allauth skips it when the
token came straight from the token endpoint), asks for an acr level and refuses a lower one, and can authenticate
the client with a private-key JWT. The settings come from the environment (luk_portal/settings/base.py, OIDC_*).
"""
