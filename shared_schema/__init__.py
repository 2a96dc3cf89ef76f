"""The one contract between the agent and the extension: pydantic models of every payload."""
