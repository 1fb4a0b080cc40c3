"""Async client for the meeting server's wire protocol."""

__all__: list[str] = []
