"""One module per command; each exposes a function that cli.py registers."""
