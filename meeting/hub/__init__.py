"""Fan-out of committed events to live connections, per audience.

The in-process hub is the default; a Redis hub between processes comes with scale-out.
"""

from .local import Hub, Subscriber, encode_batch

__all__ = ["Hub", "Subscriber", "encode_batch"]
