"""Customer rules: one module per concern, and the declarations of the customer actions."""
