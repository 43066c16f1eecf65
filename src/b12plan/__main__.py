"""`python -m b12plan` runs the same CLI as the console script."""

from b12plan.cli import main

if __name__ == "__main__":
    main()
