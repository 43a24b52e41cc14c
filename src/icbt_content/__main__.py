"""`python -m icbt_content` runs the icbt command."""

from icbt_content.commandline.runner import main

main()
