"""HTTP content negotiation: the Accept header (RFC 9110, section 12.5.1) and ``?format=``."""

from __future__ import annotations


def _ranges(accept: str) -> list[tuple[str, float, int]]:
    out = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        out.append((media, q, i))
    return out


def _matches(media_range: str, offer: str) -> int:
    """How specifically ``media_range`` matches ``offer``: 3 exact, 2 type/*, 1 */*, 0 not."""
    if media_range == offer:
        return 3
    if media_range == "*/*":
        return 1
    kind, _, sub = media_range.partition("/")
    if sub == "*" and offer.startswith(kind + "/"):
        return 2
    return 0


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers most (the first offer when it accepts anything equally;
    None when it accepts none of them). Ties between equally good ranges go to the order
    of ``offers``, the server's preference."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = _ranges(accept)
    best, best_key = None, None
    for pos, offer in enumerate(offers):
        matched = [(m, q) for media, q, _ in ranges if (m := _matches(media, offer))]
        if not matched:
            continue
        specificity, q = max(matched)
        if q <= 0:
            continue
        key = (q, specificity, -pos)
        if best_key is None or key > best_key:
            best, best_key = offer, key
    return best
