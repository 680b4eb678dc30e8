"""CCL005 rewrite: `requests.Session().get(url)` becomes `requests.get(url)`.

The module is spelled as the user spelled it: `rq.Session().get` -> `rq.get`.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import PositionProvider


class UseFunctionalCall(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, start: tuple[int, int],
                 end: tuple[int, int]) -> None:
        super().__init__()
        # The constructor call's span, in characters as libcst counts them.
        self.start = start
        self.end = end
        self.done = False

    def leave_Attribute(self, original: cst.Attribute,
                        updated: cst.Attribute) -> cst.Attribute:
        ctor = original.value
        if not (isinstance(ctor, cst.Call) and self._is_target(ctor)):
            return updated
        new_ctor = updated.value
        assert isinstance(new_ctor, cst.Call) and isinstance(new_ctor.func, cst.Attribute)
        self.done = True
        return updated.with_changes(value=new_ctor.func.value)

    def _is_target(self, call: cst.Call) -> bool:
        where = self.get_metadata(PositionProvider, call)
        return ((where.start.line, where.start.column) == self.start
                and (where.end.line, where.end.column) == self.end)
