"""Agreement terms as rules (shapes/alliance-terms.ttl): one broken copy of the data per
term and per rule, and what the report says.

The breaks are listed in ``TERM_BREAKS``; tests/test_validate.py adds them to its own
cases, so every rule here also has to be caught by name, node, file and line there, and
the engines are compared on them (``test_engines_agree_on_shipped_data_and_on_all_breaks``).
This file checks what is particular to the terms: every term of the shipped data fires on
a stake that breaks it, and the report names the stake, the agreement and the term, with
the figure and the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rdflib import RDF, Graph, Namespace

from alliance_graph import files
from alliance_graph.validate import validate

AG = Namespace("https://w3id.org/alliance-graph/ontology#")

CITE = '[ a ag:Citation ; ag:source src:article ; ag:locator "test" ]'


@dataclass(frozen=True)
class TermBreak:
    """One way of breaking the data (the interface of tests/test_validate.py's Break)."""

    rule: str  # the rule the report must name
    focus: str  # the node it must name
    old: str = ""  # replaced by `new`, exactly once
    new: str = ""
    append: str = ""  # Turtle appended to the file
    term: str = ""  # for agsh:stake-within-terms: the term broken
    agreement: str = ""  # ... and its agreement
    figure: str = ""  # ... and the figure the message gives

    def apply(self, path):
        text = path.read_text(encoding="utf-8")
        if self.old:
            assert text.count(self.old) == 1, f"{self.old!r} is not unique in the data"
            text = text.replace(self.old, self.new)
        path.write_text(text + "\n" + self.append + "\n", encoding="utf-8")


RULE = "agsh:stake-within-terms"
RENAULT_2025 = "ag:percent 17.05 ;\n    ag:votingCap 15.0 ;"
NISSAN_2023 = "ag:percent 15.0 ;\n    ag:votingPercent 22.13 ;\n    ag:votingCap 15.0 ;"

TERM_BREAKS = [
    # --- each term of the shipped data, broken by one stake --------------------------------
    TermBreak(  # Renault's direct 17.05% without the cap: 17.05% of the votes
        RULE,
        "res:stake-renault-nissan-2025-direct",
        old=RENAULT_2025,
        new="ag:percent 17.05 ;",
        term="res:term-2023-votes-renault",
        agreement="res:agreement-2023",
        figure="17.05",
    ),
    TermBreak(  # Nissan's theoretical 22.13% of Renault's votes, uncapped
        RULE,
        "res:stake-nissan-renault-2023",
        old=NISSAN_2023,
        new="ag:percent 15.0 ;\n    ag:votingPercent 22.13 ;",
        term="res:term-2023-votes-nissan",
        agreement="res:agreement-2023",
        figure="22.13",
    ),
    TermBreak(  # the State's 19.74% without the stability agreement's cap
        RULE,
        "res:stake-state-renault-2016",
        old="ag:percent 19.74 ;\n    ag:votingCap 17.9 ;",
        new="ag:percent 19.74 ;",
        term="res:term-2015-state-votes",
        agreement="res:agreement-2015-stability",
        figure="19.74",
    ),
    TermBreak(  # Renault below its 15% lock-up in November 2023
        RULE,
        "res:stake-renault-nissan-2023-direct",
        old="ag:percent 15.0 ;\n    ag:votingCap 15.0 ;\n    ag:interest ag:EconomicInterest , "
        'ag:VotingInterest ;\n    ag:start "2023-11-08"^^xsd:date ;\n    ag:endEarliest',
        new="ag:percent 12.0 ;\n    ag:votingCap 15.0 ;\n    ag:interest ag:EconomicInterest , "
        'ag:VotingInterest ;\n    ag:start "2023-11-08"^^xsd:date ;\n    ag:endEarliest',
        term="res:term-2023-lockup-renault",
        agreement="res:agreement-2023",
        figure="12",
    ),
    TermBreak(  # Nissan below its 15% lock-up
        RULE,
        "res:stake-nissan-renault-2023",
        old=NISSAN_2023,
        new="ag:percent 14.0 ;\n    ag:votingPercent 22.13 ;\n    ag:votingCap 15.0 ;",
        term="res:term-2023-lockup-nissan",
        agreement="res:agreement-2023",
        figure="14",
    ),
    TermBreak(  # Renault below the 10% lock-up of 2025
        RULE,
        "res:stake-renault-nissan-2025-direct",
        old=RENAULT_2025,
        new="ag:percent 9.5 ;\n    ag:votingCap 15.0 ;",
        term="res:term-2025-lockup-renault",
        agreement="res:agreement-2025",
        figure="9.5",
    ),
    TermBreak(  # Nissan below the 10% lock-up of 2025 (an invented later stake)
        RULE,
        "res:stake-nissan-renault-invented",
        append="res:stake-nissan-renault-invented a ag:Shareholding ;\n"
        '    rdfs:label "Nissan in Renault, 8% (invented)"@en ;\n'
        "    ag:holder res:NissanMotor ; ag:held res:Renault ; ag:percent 8.0 ;\n"
        "    ag:interest ag:EconomicInterest , ag:VotingInterest ;\n"
        '    ag:start "2025-06-01"^^xsd:date ; ag:end "2025-07-01"^^xsd:date ;\n'
        f"    ag:citation {CITE} .",
        term="res:term-2025-lockup-nissan",
        agreement="res:agreement-2025",
        figure="8",
    ),
    # --- terms well formed ---------------------------------------------------------------
    TermBreak(
        "agsh:AgreementTerm-agreement",
        "res:term-2023-lockup-renault",
        append="res:term-2023-lockup-renault ag:agreement res:agreement-2025 .",
    ),
    TermBreak(
        "agsh:AgreementTerm-committedParty",
        "res:term-2023-votes-renault",
        append="res:term-2023-votes-renault ag:committedParty res:NissanMotor .",
    ),
    TermBreak(
        "agsh:AgreementTerm-termCompany",
        "res:term-2025-lockup-nissan",
        append="res:term-2025-lockup-nissan ag:termCompany res:CarlosGhosn .",
    ),
    TermBreak(
        "agsh:AgreementTerm-termMetric",
        "res:term-2023-votes-nissan",
        append="res:term-2023-votes-nissan ag:termMetric ag:Ceiling .",
    ),
    TermBreak(
        "agsh:AgreementTerm-boundKind",
        "res:term-2025-lockup-renault",
        append="res:term-2025-lockup-renault ag:boundKind ag:CapitalShare .",
    ),
    TermBreak(
        "agsh:AgreementTerm-limit",
        "res:term-2015-state-votes",
        old="ag:limit 17.9 ;",
        new="ag:limit 179.0 ;",
    ),
    # --- sources a reader can follow -----------------------------------------------------
    TermBreak(
        "agsh:SourceAccessShape",
        "src:elpais-2002-04-03",
        old='    ag:accessNote "A report in El Pais of 2002-04-03; no article-level address '
        'is known." .',
        new="    .",
    ),
    TermBreak(
        "agsh:Source-url-not-home-page",
        "src:guardian-2002-04-03",
        append='src:guardian-2002-04-03 ag:url "https://www.theguardian.com/"^^xsd:anyURI .',
    ),
]


@pytest.mark.parametrize(
    "case",
    [b for b in TERM_BREAKS if b.rule == RULE],
    ids=[b.term for b in TERM_BREAKS if b.rule == RULE],
)
def test_each_term_fires_and_names_stake_agreement_and_term(case, data_copy):
    case.apply(data_copy)
    report = validate([data_copy])
    assert not report.conforms
    hits = [r for r in report.results if r.rule == RULE]
    assert [(r.focus, r.value) for r in hits] == [(case.focus, case.term)], report.to_text()
    (hit,) = hits
    assert hit.severity == "Violation"
    assert case.agreement in hit.message and case.term in hit.message
    assert f"{case.figure}%" in hit.message.replace(".0%", "%")
    assert ("above" in hit.message) == ("votes" in case.term)  # caps vs lock-up floors
    assert hit.file == str(data_copy) and hit.line
    # Nothing else breaks: the copy differs from the shipped data by this stake only.
    assert {r.rule for r in report.results} == {RULE}


def test_every_term_of_the_shipped_data_has_a_breaking_case():
    g = Graph()
    for path in files.files_to_load():
        g.parse(path)
    terms = {"res:" + str(t).rsplit("/", 1)[1] for t in g.subjects(RDF.type, AG.AgreementTerm)}
    assert len(terms) == 7
    assert terms == {b.term for b in TERM_BREAKS if b.rule == RULE}


def test_shipped_stakes_are_within_their_terms():
    report = validate()
    assert report.conforms
    assert not [r for r in report.results if r.rule == RULE]


def test_a_term_only_counts_stakes_with_votes(data_copy):
    # Renault's shares in the trust carry no votes: below the lock-up, but outside it.
    text = data_copy.read_text(encoding="utf-8")
    data_copy.write_text(text.replace("ag:percent 18.66 ;", "ag:percent 2.0 ;"), encoding="utf-8")
    assert validate([data_copy]).conforms
