"""Command line entry point: ``python -m kmr demo``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Runs the kmr command line and returns its exit status."""
    parser = argparse.ArgumentParser(prog="python -m kmr")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo", help="train the explainable unified model on synthetic data"
    )
    demo.add_argument("--output-dir", default="kmr_report")
    demo.add_argument("--epochs", type=int, default=None)
    demo.add_argument("--seed", type=int, default=42)
    arguments = parser.parse_args(argv)

    if arguments.command == "demo":
        from kmr.demo import run_demo

        run_demo(
            output_dir=arguments.output_dir,
            epochs=arguments.epochs,
            seed=arguments.seed,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
