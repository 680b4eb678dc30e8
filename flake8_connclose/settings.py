"""What a user can configure about detection, whichever front end reads it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Settings:
    """Extra names that count as tracked HTTP APIs.

    ``session_factories``: dotted names of callables returning a session
    (``myapp.http.make_session``). ``functional_modules``: dotted names of
    modules whose ``get``/``post``/... behave like ``requests.get``.
    """

    session_factories: frozenset[str] = field(default_factory=frozenset)
    functional_modules: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_lists(cls, factories: "list[str] | tuple[str, ...]" = (),
                   modules: "list[str] | tuple[str, ...]" = ()) -> "Settings":
        return cls(
            frozenset(n.strip() for n in factories if n.strip()),
            frozenset(n.strip() for n in modules if n.strip()),
        )


DEFAULT = Settings()
