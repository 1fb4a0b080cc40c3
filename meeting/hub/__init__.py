"""Fan-out of committed events to live connections, per audience.

The in-process hub is the default; with `HUB_URL` set, a Redis hub also tells the other
server processes when a meeting moves on (`meeting.hub.redis`, needs the `redis` extra).
"""

from .local import Follower, Hub, Subscriber, encode_batch

__all__ = ["Follower", "Hub", "Subscriber", "encode_batch", "open_hub"]


_SCHEMES = ("redis://", "rediss://", "unix://")


def open_hub(url: str, channel: str = "meeting") -> Hub:
    """The in-process hub for an empty `url`, else a Redis hub on `url` and `channel`.

    ValueError when `url` is not a Redis URL or the `redis` package is missing.
    """
    if not url:
        return Hub()
    if not url.startswith(_SCHEMES):
        raise ValueError(f"HUB_URL: expected redis://, rediss:// or unix://, got {url!r}")
    try:
        from .redis import RedisHub  # only deployments with several processes need redis
    except ImportError as exc:
        raise ValueError(
            "HUB_URL needs the redis package: pip install 'meeting-server[redis]'"
        ) from exc
    return RedisHub(url, channel)
