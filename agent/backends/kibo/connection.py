"""The tenant's hosts and ids, checked: what the client needs to address Kibo.

Orders and returns are site-level APIs: Kibo answers them in a site's context, named by the
``x-vol-site`` header or by a site host ``t{tenant}-s{site}.…`` (the documents' "Site Level
Api" servers). So ``site`` is required, unless the host names the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from agent.config import ConfigError, KiboSettings, is_loopback

OAUTH_PATH = "/api/platform/applications/authtickets/oauth"
SITE_HOST = re.compile(r"^t(\d+)-s(\d+)\.", re.IGNORECASE)


def _base_url(raw: str, key: str) -> str:
    text = raw.strip().rstrip("/")
    if not text:
        raise ConfigError(f'[kibo] {key} is missing, e.g. "t12345.sandbox.mozu.com"')
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigError(f"[kibo] {key} '{raw}' is not a host name or https URL")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigError(f"[kibo] {key} must use https (plain http only for a local fake)")
    if parts.path.rstrip("/") not in ("", "/api"):
        raise ConfigError(f"[kibo] {key} '{raw}' must be a host, without a path")
    return f"{parts.scheme}://{parts.netloc}"


@dataclass(frozen=True)
class Connection:
    api_base: str  # scheme://host, the tenant (or tenant-site) host
    auth_base: str  # scheme://host that issues OAuth tokens
    tenant: str
    site: str
    client_id: str

    @property
    def oauth_url(self) -> str:
        return self.auth_base + OAUTH_PATH

    def url(self, path: str) -> str:
        return f"{self.api_base}/api{path}"


def resolve(settings: KiboSettings) -> Connection:
    if not settings.tenant.strip().isdigit():
        raise ConfigError('[kibo] tenant must be the numeric tenant id, e.g. tenant = "12345"')
    if settings.site and not settings.site.strip().isdigit():
        raise ConfigError('[kibo] site must be the numeric site id, e.g. site = "23456"')
    if not settings.client_id.strip():
        raise ConfigError("[kibo] client_id is missing (the application key from Dev Center)")
    api = _base_url(settings.api_host, "api_host")
    auth = _base_url(settings.auth_host, "auth_host") if settings.auth_host else api
    return Connection(
        api_base=api,
        auth_base=auth,
        tenant=settings.tenant.strip(),
        site=_site(settings, api),
        client_id=settings.client_id.strip(),
    )


def _site(settings: KiboSettings, api_base: str) -> str:
    """The configured site, or the one a site host names; refused when neither says."""
    site = settings.site.strip()
    named = SITE_HOST.match(urlsplit(api_base).hostname or "")
    if named and named.group(1) != settings.tenant.strip():
        raise ConfigError(f"[kibo] api_host names tenant {named.group(1)}, not {settings.tenant}")
    if named and site and named.group(2) != site:
        raise ConfigError(f'[kibo] api_host names site {named.group(2)}, but site = "{site}"')
    if not site and not named:
        raise ConfigError(
            '[kibo] site is missing, e.g. site = "23456": orders and returns are site-level '
            "APIs (x-vol-site); the site id is in Kibo's admin (System > Structure > Sites)"
        )
    return site or (named.group(2) if named else "")
