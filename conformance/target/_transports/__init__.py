"""httpx transports: ``live`` (sockets with total deadlines) and ``asgi`` (the mock in process)."""
