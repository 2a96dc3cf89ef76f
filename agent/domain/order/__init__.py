"""Order rules: one module per concern, and the declarations of the order actions."""
