"""eventmirror: replay, simulate and test clients of the platform's ``GET /api/event`` stream.

The event model lives in :mod:`eventmirror.events`, decoding and encoding in
:mod:`eventmirror.codec`; the layers are the top-level packages :mod:`reducers`,
:mod:`simulator` and :mod:`scenarios`.
"""

__version__ = "0.1.0"
