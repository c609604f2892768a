"""Cho phép chạy `python -m kehoach_cli`."""

from kehoach_cli.cli import main

if __name__ == "__main__":
    main()
