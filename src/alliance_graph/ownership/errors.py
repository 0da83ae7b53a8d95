"""The errors of the ownership analyses."""

from __future__ import annotations

from ..errors import AllianceGraphError


class OwnershipError(AllianceGraphError):
    """The ownership data cannot answer the question as asked."""


class SingularOwnershipError(OwnershipError):
    """Integrated ownership is undefined through a cycle: its members hold all of each
    other (I - A is singular), or the stakes in one member add up to more than 100%.

    ``companies`` are the labels of the cycle's members; ``company`` and ``total`` name the
    over-subscribed member and the sum of the stakes in it (None for a singular cycle).
    """

    def __init__(
        self,
        companies: list[str],
        detail: str = "",
        *,
        company: str | None = None,
        total: float | None = None,
    ):
        self.companies = companies
        self.company = company
        self.total = total
        names = ", ".join(companies[:10]) + (" ..." if len(companies) > 10 else "")
        if company is not None and total is not None:
            message = (
                f"integrated ownership is undefined through the cycle of {names}: the stakes "
                f"in {company} add up to {total:g}%, more than all of it; check them"
            )
        else:
            message = (
                "integrated ownership is undefined: the cycle of "
                f"{names} holds {detail or '100% of each of its members'} "
                "(I - A is singular); check the stakes of these companies"
            )
        super().__init__(message)
