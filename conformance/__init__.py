"""tfconf's harness: loading scenarios, running them on adapters, judging and reporting."""

__version__ = "0.1.0"
