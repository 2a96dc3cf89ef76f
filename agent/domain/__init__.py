"""Business rules as pure code: no I/O, no database, no HTTP."""
