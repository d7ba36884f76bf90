"""Services that components offer each other (workday's availability, the command
registry), found by typed keys.

A key names the service and carries its type, so that ``services.get(AVAILABILITY)`` is
typed as ``Availability | None`` also when ``Availability`` is a Protocol. Each key is
defined next to the type it stands for::

    AVAILABILITY: ServiceKey[Availability] = ServiceKey("workday.availability")
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

T = TypeVar("T")


class ServiceKey(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"ServiceKey({self.name!r})"


class Services:
    def __init__(self) -> None:
        self._by_key: dict[str, Any] = {}

    def provide(self, key: ServiceKey[T], implementation: T) -> None:
        self._by_key[key.name] = implementation

    def get(self, key: ServiceKey[T]) -> T | None:
        """The service, or None when the component that offers it is not loaded."""
        found: T | None = self._by_key.get(key.name)
        return found
