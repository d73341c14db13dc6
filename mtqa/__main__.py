"""`python -m mtqa` runs the command line."""

from mtqa.cli import main

main()
