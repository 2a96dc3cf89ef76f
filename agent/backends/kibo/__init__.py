"""The Kibo Commerce backend: the backend protocol over a tenant's REST API."""
