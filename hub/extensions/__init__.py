"""Feature extensions of the app factory.

Each module here exposes ``init_app(app, ctx)``; ``hub.app.build_app`` calls them all (in
module-name order) after the core is built, so a feature wires its hooks, workers and
routes without editing the factory.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hub.app import HubContext


def init_all(app: Any, ctx: HubContext) -> None:
    """Call ``init_app`` of every extension module."""
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{mod.name}")
        init = getattr(module, "init_app", None)
        if init is not None:
            init(app, ctx)
