"""The demo admin console: a plain, read-only store admin (Orders, Customers, Returns).

It stands in for the store's own admin screens in demo mode, on its own loopback port (a
separate origin, like a real admin console), so the extension's overlay and deep links have
something to work beside. ``serve --admin-port N`` starts it; see docs/security.md.
"""

from agent.admin_console.app import create_admin_app

__all__ = ["create_admin_app"]
