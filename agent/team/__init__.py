"""A team of desks over Redis: presence on records and call transfers (docs/team.md)."""
