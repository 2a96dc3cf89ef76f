"""Return rules: one module per concern, and the declarations of the return actions."""
