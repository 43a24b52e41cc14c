"""`python -m icbt_content` runs the icbt command."""

from icbt_content.cli import main

main()
