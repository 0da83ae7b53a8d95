"""The direct stake of one holder in one company: its figure and its composition."""

from __future__ import annotations

import datetime as dt

from ..names import curie
from ..temporal import DateSpan, Interval
from .holdings import Holdings, Stake, as_holdings
from .snapshot import as_span, candidate, check, choose, positions_of_pair, round_figure


def _describe(h: Holdings, s: Stake) -> str:
    via = f" through {h.label(s.through)}" if s.through else ""
    return f"{s.percent:g}%{via}"


def uncertainty(h: Holdings, s: Stake, span: DateSpan) -> list[str]:
    """Why the stake ``s`` is not certainly valid on every day of ``span`` (empty: it is)."""
    iv, what = s.interval, _describe(h, s)
    out = []
    if iv.start_latest is None:
        out.append(f"{what}: no known start, so never certain")
    elif span.earliest < iv.start_latest:
        if iv.start_earliest == iv.start_latest:  # the day is known: it is inside the span
            out.append(f"{what}: it starts on {iv.start_latest}, after the first day asked")
        else:
            lo = iv.start_earliest.isoformat() if iv.start_earliest else "an unknown day"
            out.append(f"{what}: it starts on a day between {lo} and {iv.start_latest}")
    if iv.end_earliest is not None and span.latest >= iv.end_earliest:
        if iv.end_latest is None:
            out.append(f"{what}: the end is unknown (it may have ended from {iv.end_earliest})")
        elif iv.end_earliest == iv.end_latest:
            out.append(f"{what}: it ends on {iv.end_earliest}, before the last day asked")
        else:
            out.append(f"{what}: it ends on a day between {iv.end_earliest} and {iv.end_latest}")
    return out


def _other_reason(h: Holdings, o: Stake, span: DateSpan) -> str:
    iv, what = o.interval, _describe(h, o)
    if iv.start_latest is not None and span.latest < iv.start_latest:
        lo = iv.start_earliest.isoformat() if iv.start_earliest else "an unknown day"
        return (
            f"{what} may already hold: the change day lies between {lo} and "
            f"{iv.start_latest} (between two reports)"
        )
    when = "on this day" if span.earliest == span.latest else f"in {span}"
    return f"{what} is also possible {when} ({o.iri})"


def _figures(h: Holdings, holder: str, held: str, span: DateSpan, interest: str, reading: str):
    """The choices per position, and the possible stakes the reading left out."""
    choices, leftovers = [], []
    for stakes in positions_of_pair(h, holder, held, interest).values():
        choice = choose(stakes, span, interest, reading)
        if choice is not None:
            choices.append(choice)
        else:  # nothing certain under "certain", but maybe something possible
            leftovers += [s for s in stakes if s.interval.possible_during(span)]
    choices.sort(key=lambda c: (c.stake.through or "", c.stake.iri))
    return choices, leftovers


def stake(
    graph,
    holder: str,
    held: str,
    at: dt.date | str | DateSpan | None = None,
    *,
    reading: str = "as-of",
) -> dict:
    """The direct stake of ``holder`` in ``held`` on ``at`` (names, alt labels or IRIs).

    ``{"holder", "held", "at", "percent", "voting_percent", "certain", "sources", "via",
    "candidates", "theoretical_voting_percent", "parts", "competing", "why_not_certain",
    "approximate"}``:
    ``percent`` is the economic stake, ``voting_percent`` the votes the holder may exercise
    and ``theoretical_voting_percent`` the votes its shares carry before any cap (None when
    there are no votes: "no votes" is not "no stake"); ``candidates`` are the other figures
    possible on that day, with their sources. ``parts`` splits the figure by position
    (direct, or through an intermediary), each with its capital, exercisable and
    theoretical votes; ``approximate`` is true when a figure summed is one the sources
    give as "about" (``ag:approximate``), for the answer and for each part, candidate
    and competing claim; ``competing`` lists the claims on this pair that lost (a lower
    rank, an older report), each with its reason; ``why_not_certain`` says why
    ``certain`` is false.
    """
    from ..entities import resolve

    check("economic", reading)
    h = as_holdings(graph)
    a, b = resolve(h, holder), resolve(h, held)
    span = as_span(at)
    eco, eco_left = _figures(h, a, b, span, "economic", reading)
    vote, vote_left = _figures(h, a, b, span, "voting", reading)
    sources: list[str] = []
    for c in eco + vote:
        sources += [x for x in c.stake.sources if x not in sources]
    others = {o.iri: o for c in eco + vote for o in c.others}
    for o in eco_left + vote_left:
        others.setdefault(o.iri, o)
    candidates = [candidate(h, o, "economic") for o in sorted(others.values(), key=lambda o: o.iri)]
    vias = [h.label(c.stake.through) for c in eco + vote if c.stake.through]
    voting_by = {c.stake.iri: c.stake for c in vote}
    parts, seen = [], set()
    for c in eco + [c for c in vote if c.stake.iri not in {x.stake.iri for x in eco}]:
        s = c.stake
        seen.add(s.iri)
        votes = voting_by.get(s.iri)
        parts.append(
            {
                "via": h.label(s.through) if s.through else None,
                "percent": s.percent if s.economic else None,
                "voting_percent": votes.figure("voting") if votes else None,
                "theoretical_voting_percent": votes.theoretical_votes() if votes else None,
                "votes": "exercisable" if votes else "no votes",
                "certain": c.certain,
                "approximate": s.approximate,
                "statement": s.iri,
                "sources": list(s.sources),
            }
        )
    why: list[str] = []
    for c in eco + vote:
        for reason in uncertainty(h, c.stake, span):
            if reason not in why:
                why.append(reason)
        for o in c.others:
            reason = _other_reason(h, o, span)
            if reason not in why:
                why.append(reason)
        if c.tie:
            why.append(
                "overlapping claims of the same rank and last report: the reading does not "
                "guess between them"
            )
    for o in eco_left + vote_left:
        reason = f"{_describe(h, o)} is possible but not certain: the certain reading leaves it out"
        if reason not in why:
            why.append(reason)
    competing = [
        {
            "percent": s.percent,
            "statement": s.iri,
            "sources": list(s.sources),
            "reason": reason,
            "approximate": s.approximate,
        }
        for c in eco + vote
        for s, reason in c.outranked
    ]
    for aside in h.set_aside:
        s = aside.stake
        if s is not None and s.holder == a and s.held == b and aside.winner is not None:
            if s.interval.possible_during(span):
                competing.append(
                    {
                        "percent": s.percent,
                        "statement": s.iri,
                        "sources": list(s.sources),
                        "reason": aside.reason,
                        "approximate": s.approximate,
                    }
                )
    # A claim on this pair set aside for several values where the shapes allow one, or
    # one that gives no figure (a range, words) and may hold on these days: what it says
    # is not computed with, so the answer is not certain (it is not "certainly none").
    unfigured = [x for x in h.set_aside if a in x.holders and b in x.helds and _may_hold(x, span)]
    for aside in unfigured:
        reason = f"{curie(aside.iri)}, a claim on this pair, is set aside: {aside.reason}"
        if reason not in why:
            why.append(reason)
    certain = all(c.certain for c in eco + vote) and not eco_left and not vote_left
    certain = certain and not unfigured
    theoretical = [voting_by[i].theoretical_votes() for i in voting_by]
    return {
        "holder": h.label(a),
        "held": h.label(b),
        "at": str(span),
        "percent": round_figure(sum(c.stake.figure("economic") for c in eco)) if eco else None,
        "voting_percent": round_figure(sum(c.stake.figure("voting") for c in vote))
        if vote
        else None,
        "certain": certain,
        "sources": sources,
        "via": "; ".join(dict.fromkeys(vias)) if vias else None,
        "candidates": candidates,
        "theoretical_voting_percent": round_figure(sum(theoretical)) if theoretical else None,
        "parts": parts,
        "competing": sorted(
            {c["statement"]: c for c in competing}.values(), key=lambda x: x["statement"]
        ),
        "why_not_certain": [] if certain else why,
        "approximate": any(c.stake.approximate for c in eco + vote),
        "holder_iri": a,
        "held_iri": b,
    }


def _may_hold(aside, span: DateSpan) -> bool:
    # A claim with no figure, by its day bounds; one written twice (bounds not read), on
    # any day.
    if not aside.bounds:
        return True
    days = [dt.date.fromisoformat(x) if x else None for x in aside.bounds]
    return Interval(*days).possible_during(span)
