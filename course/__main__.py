"""`python -m course` runs the command line."""

from course.cli import main

main()
