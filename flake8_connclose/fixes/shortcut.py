"""CCL005 rewrite: `requests.Session().get(url)` becomes `requests.get(url)`.

The module is spelled as the user spelled it: `rq.Session().get` -> `rq.get`.
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from flake8_connclose.fixes.rewrite import Rewriter
from flake8_connclose.planning.shortcut import ShortcutPlan


class UseFunctionalCall(Rewriter[ShortcutPlan]):
    plan_type = ShortcutPlan

    def targets(self) -> Sequence[tuple[int, int]]:
        return [(self.plan.line, self.source.chars(self.plan.line, self.plan.col))]

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
        plan, source = self.plan, self.source
        return self.span(call) == (plan.line, source.chars(plan.line, plan.col),
                                   plan.end_line, source.chars(plan.end_line, plan.end_col))
