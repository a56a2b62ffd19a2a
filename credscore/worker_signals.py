"""Imported, for this effect alone, by the fork server that local Dask workers are forked from.

Ctrl-C in a terminal reaches every process of its group, and a Dask worker that took it would
print its own traceback while the run stops. A worker forked from the server inherits what is
set here: it leaves Ctrl-C to the parent, which ends the run and stops the cluster, as the
workers of ``--jobs`` do (:func:`credscore.interrupt.default_signals_in_worker`).
"""

from __future__ import annotations

from credscore.interrupt import default_signals_in_worker

default_signals_in_worker()
