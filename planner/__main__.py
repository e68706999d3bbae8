"""`python -m planner`: the same entry as the `acuplan` script."""

from planner.cli.fast import run

if __name__ == "__main__":
    run()
