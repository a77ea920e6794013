"""Progress bars on standard error that stay silent when asked to or when nobody watches."""

from __future__ import annotations

import sys
from typing import Any

from tqdm import tqdm


class Progress:
    """Factory for progress bars; ``enabled=None`` shows them only on a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def bar(self, desc: str, total: int | None = None, unit: str = "it") -> Any:
        return tqdm(total=total, desc=desc, unit=unit, disable=not self.enabled,
                    file=sys.stderr, leave=False, dynamic_ncols=True, mininterval=0.2)


SILENT = Progress(False)
