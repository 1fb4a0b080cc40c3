"""The Starlette application: HTTP routes, the WebSocket endpoint, sign-in, static clients."""

from .app import create_app

__all__ = ["create_app"]
