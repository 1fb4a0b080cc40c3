"""The meeting server: a sitting is an event log; rules are pure; fan-out is per audience."""

__version__ = "0.1.0"
