"""The shapes and ``alliance_graph.validate``: one broken copy of the data per rule.

Each case breaks a copy of the shipped data in exactly one way (a string replaced, or
triples appended) and asserts that validation names the offending node and the rule.
A meta-test asserts that every rule of the shipped shapes has a case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from test_terms import TERM_BREAKS

from alliance_graph import resources
from alliance_graph.errors import DataFileError, UsageError
from alliance_graph.validate import (
    DEFAULT_ENGINE,
    ENGINES,
    SH,
    ValidationReport,
    rule_catalogue,
    validate,
)

CITE = '[ a ag:Citation ; ag:source src:article ; ag:locator "test" ]'


@dataclass(frozen=True)
class Break:
    rule: str  # the rule the report must name
    focus: str  # the node it must name (for a citation: its owner)
    old: str = ""  # replaced by `new`, exactly once
    new: str = ""
    append: str = ""  # Turtle appended to the file (the file's prefixes apply)

    def apply(self, path):
        text = path.read_text(encoding="utf-8")
        if self.old:
            assert text.count(self.old) == 1, f"{self.old!r} is not unique in the data"
            text = text.replace(self.old, self.new)
        path.write_text(text + "\n" + self.append + "\n", encoding="utf-8")


def add(rule, focus, turtle):
    return Break(rule, focus, append=turtle)


def swap(rule, focus, old, new):
    return Break(rule, focus, old=old, new=new)


BREAKS = [
    # --- agents and places ---------------------------------------------------------
    swap(
        "agsh:label",
        "res:IvanEspinosa",
        'res:IvanEspinosa a ag:Person ;\n    rdfs:label "Ivan Espinosa"@en ;',
        "res:IvanEspinosa a ag:Person ;",
    ),
    swap(
        "agsh:citation",
        "res:IvanEspinosa",
        'plan in May 2025." ;\n    ag:citation [ a ag:Citation ; ag:source src:article ; '
        'ag:locator "Re:Nissan Recovery Plan" ] .',
        'plan in May 2025." .',
    ),
    add("agsh:description", "res:Google", 'res:Google ag:description "A second one." .'),
    add("agsh:Organisation-country", "res:Renault", "res:Renault ag:country res:Japan ."),
    add(
        "agsh:Organisation-parentOrganisation",
        "res:Ampere",
        "res:Ampere ag:parentOrganisation res:Japan .",
    ),
    add("agsh:Organisation-place", "res:RNAIPL", "res:RNAIPL ag:place res:CarlosGhosn ."),
    add(
        "agsh:BusinessUnitGroupShape/ag:unitCount",
        "res:NissanFinancialUnits",
        "res:NissanFinancialUnits ag:unitCount 6 .",
    ),
    add(
        "agsh:PurchasingOrganisationShape/ag:servesMember",
        "res:RNPO",
        "res:RNPO ag:servesMember res:Japan .",
    ),
    add("agsh:PlaceShape/ag:within", "res:Tokyo", "res:Tokyo ag:within res:Renault ."),
    # --- provenance ------------------------------------------------------------------
    add("agsh:SourceShape/ag:publisher", "src:article", 'src:article ag:publisher "One" , "Two" .'),
    add(
        "agsh:SourceShape/ag:published",
        "src:ap-2023-01-30",
        'src:ap-2023-01-30 ag:published "2023-01-31"^^xsd:date .',
    ),
    add(
        "agsh:SourceShape/ag:url",
        "src:webcg-2005-03-09",  # a second address (bs-2025-07-01 has none now)
        'src:webcg-2005-03-09 ag:url "https://example.org/a-second-page"^^xsd:anyURI .',
    ),
    swap(
        "agsh:Citation-source",
        "res:stake-renault-nissan-2010",
        "ag:source src:leftlane-2010-04-05 ; ",
        "",
    ),
    swap(
        "agsh:Citation-locator",
        "res:stake-daimler-renault",
        'src:dieselnet-2010-04 ; ag:locator "Daimler takes 3.1% of Renault" ]',
        "src:dieselnet-2010-04 ]",
    ),
    swap(
        "agsh:CitationShape/ag:reportedOn",
        "res:stake-renault-nissan-2010",
        'ag:locator "Renault\'s holding in Nissan" ; ag:reportedOn "2010-04-05"^^xsd:date ]',
        'ag:locator "Renault\'s holding in Nissan" ; '
        'ag:reportedOn "2010-04-05"^^xsd:date , "2010-04-06"^^xsd:date ]',
    ),
    add(
        "agsh:RankedClaimShape/ag:rank",
        "res:stake-renault-nissan-2010",
        "res:stake-renault-nissan-2010 ag:rank ag:Ongoing .",
    ),
    add(
        "agsh:RankedClaimShape/ag:competesWith",
        "res:stake-renault-nissan-2010",
        'res:stake-renault-nissan-2010 ag:competesWith "the 2002 stake" .',
    ),
    add(
        "agsh:provenance-required",
        "res:metric-uncited",
        'res:metric-uncited a ag:Metric ; rdfs:label "A metric with no source"@en .',
    ),
    swap(
        "agsh:competing-claims-ranked",
        "res:stake-nissan-mmc-2024-approx",
        'ag:rank ag:NormalRank ;\n    ag:rankReason "Approximate, and counted',
        'ag:rankReason "Approximate, and counted',
    ),
    swap(
        "agsh:rank-has-reason",
        "res:stake-nissan-mmc-2016",
        '    ag:rankReason "The completion report gives 34% (34.07% of the shares): '
        'a controlling stake, not a majority." ;\n',
        "",
    ),
    # --- dated relationships -----------------------------------------------------------
    add(
        "agsh:Relationship-endStatus",
        "res:membership-renault",
        "res:membership-renault ag:endStatus ag:EndUnknown .",
    ),
    swap(
        "agsh:RelationshipEndShape",
        "res:commitment-lockup-10",
        "res:NissanMotor , res:Renault ;\n    ag:commitmentKind ag:ShareLockUp ;\n"
        '    ag:start "2025-03-31"^^xsd:date ;\n    ag:endStatus ag:Ongoing ;',
        "res:NissanMotor , res:Renault ;\n    ag:commitmentKind ag:ShareLockUp ;\n"
        '    ag:start "2025-03-31"^^xsd:date ;',
    ),
    swap(
        "agsh:ShareholdingShape",
        "res:stake-daimler-renault",
        "ag:holder res:Daimler ;\n    ag:held res:Renault ;\n    ag:percent 3.1 ;",
        "ag:holder res:Daimler ;\n    ag:held res:Renault ;",
    ),
    add(
        "agsh:Shareholding-holder",
        "res:stake-daimler-renault",
        "res:stake-daimler-renault ag:holder res:NissanMotor .",
    ),
    add(
        "agsh:Shareholding-held",
        "res:stake-daimler-renault",
        "res:stake-daimler-renault ag:held res:Japan .",
    ),
    add(
        "agsh:Shareholding-heldThrough",
        "res:stake-daimler-renault",
        "res:stake-daimler-renault ag:heldThrough res:Japan .",
    ),
    add(
        "agsh:Shareholding-interest",
        "res:stake-daimler-renault",
        "res:stake-daimler-renault ag:interest ag:Ongoing .",
    ),
    add(
        "agsh:Shareholding-percent",
        "res:stake-daimler-renault",
        "res:stake-daimler-renault ag:percent 3.2 .",
    ),
    add(
        "agsh:Shareholding-votingPercent",
        "res:stake-nissan-renault-2023",
        "res:stake-nissan-renault-2023 ag:votingPercent 22.5 .",
    ),
    add(
        "agsh:Shareholding-votingCap",
        "res:stake-nissan-renault-2023",
        "res:stake-nissan-renault-2023 ag:votingCap 16.0 .",
    ),
    add(
        "agsh:MembershipShape/ag:member",
        "res:membership-renault",
        "res:membership-renault ag:member res:Japan .",
    ),
    add(
        "agsh:MembershipShape/ag:membershipKind",
        "res:membership-renault",
        'res:membership-renault ag:membershipKind "partner" .',
    ),
    add(
        "agsh:Relationship-organisation",
        "res:membership-renault",
        "res:membership-renault ag:organisation res:Renault .",
    ),
    add(
        "agsh:TenureShape/ag:role",
        "res:tenure-ghosn-nissan-chairman",
        "res:tenure-ghosn-nissan-chairman ag:role ag:EUR .",
    ),
    add(
        "agsh:Relationship-person",
        "res:tenure-ghosn-nissan-chairman",
        "res:tenure-ghosn-nissan-chairman ag:person res:IvanEspinosa .",
    ),
    add(
        "agsh:SigningShape/ag:agreement",
        "res:signing-1999-hanawa",
        "res:signing-1999-hanawa ag:agreement res:agreement-2025 .",
    ),
    add(
        "agsh:SigningShape/ag:onBehalfOf",
        "res:signing-1999-hanawa",
        "res:signing-1999-hanawa ag:onBehalfOf res:Renault .",
    ),
    swap(
        "agsh:SigningShape/ag:date",
        "res:signing-1999-hanawa",
        'ag:onBehalfOf res:NissanMotor ;\n    ag:date "1999-03-27"^^xsd:date ;',
        "ag:onBehalfOf res:NissanMotor ;",
    ),
    add(
        "agsh:OrganisationNameShape/ag:name",
        "res:name-alliance-2017",
        'res:name-alliance-2017 ag:name "RNM Alliance" .',
    ),
    add(
        "agsh:CommitmentShape/ag:committedParty",
        "res:commitment-board-support",
        "res:commitment-board-support ag:committedParty res:Japan .",
    ),
    add(
        "agsh:CommitmentShape/ag:beneficiary",
        "res:commitment-board-support",
        "res:commitment-board-support ag:beneficiary res:Japan .",
    ),
    add(
        "agsh:CommitmentShape/ag:commitmentKind",
        "res:commitment-board-support",
        "res:commitment-board-support ag:commitmentKind ag:ShareLockUp .",
    ),
    add(
        "agsh:CommitmentShape/ag:agreement",
        "res:commitment-board-support",
        "res:commitment-board-support ag:agreement res:Renault .",
    ),
    add(
        "agsh:MarketPresenceShape/ag:company",
        "res:presence-renault-europe",
        "res:presence-renault-europe ag:company res:NissanMotor .",
    ),
    add(
        "agsh:MarketPresenceShape/ag:place",
        "res:presence-renault-europe",
        "res:presence-renault-europe ag:place res:Japan .",
    ),
    add(
        "agsh:MarketPresenceShape/ag:presenceKind",
        "res:presence-renault-europe",
        'res:presence-renault-europe ag:presenceKind "dominant" .',
    ),
    add(
        "agsh:CrossManufacturingShape/ag:vehicle",
        "res:cross-manufacturing-kangoo-kubistar",
        "res:cross-manufacturing-kangoo-kubistar ag:vehicle res:CMF .",
    ),
    add(
        "agsh:CrossManufacturingShape/ag:sharedPartsPercent",
        "res:cross-manufacturing-kangoo-kubistar",
        "res:cross-manufacturing-kangoo-kubistar ag:sharedPartsPercent 75.0 .",
    ),
    # --- events ------------------------------------------------------------------------
    add(
        "agsh:EventShape/ag:participant",
        "res:event-ghosn-arrest-2018",
        "res:event-ghosn-arrest-2018 ag:participant res:Tokyo .",
    ),
    add(
        "agsh:EventShape/ag:place",
        "res:event-ghosn-arrest-2018",
        "res:event-ghosn-arrest-2018 ag:place res:CarlosGhosn .",
    ),
    add(
        "agsh:EventShape/ag:partOf",
        "res:transaction-2025-rnaipl",
        "res:transaction-2025-rnaipl ag:partOf res:Renault .",
    ),
    swap(
        "agsh:EventDateShape",
        "res:event-ghosn-off-board-2019",
        'res:CarlosGhosn , res:NissanMotor ;\n    ag:date "2019-04-08"^^xsd:date ;',
        "res:CarlosGhosn , res:NissanMotor ;",
    ),
    swap(
        "agsh:AgreementShape/ag:party",
        "res:agreement-2015-stability",
        "ag:party res:FrenchState , res:Renault ;",
        "ag:party res:Renault ;",
    ),
    swap(
        "agsh:TransactionShape/ag:party",
        "res:transaction-2021-renault-sells-daimler",
        "    ag:party res:Renault ;\n    ag:subject res:Daimler ;",
        "    ag:subject res:Daimler ;",
    ),
    add(
        "agsh:TransactionShape/ag:amount",
        "res:transaction-2021-renault-sells-daimler",
        "res:transaction-2021-renault-sells-daimler ag:amount res:Renault .",
    ),
    # --- plans, targets, measures ------------------------------------------------------
    swap(
        "agsh:PlanShape/ag:announcedBy",
        "res:plan-nissan-assb",
        "ag:subject res:AllSolidStateBattery ;\n    ag:announcedBy res:NissanMotor ;",
        "ag:subject res:AllSolidStateBattery ;",
    ),
    add(
        "agsh:PlanShape/ag:presentedBy",
        "res:plan-re-nissan",
        "res:plan-re-nissan ag:presentedBy res:NissanMotor .",
    ),
    swap(
        "agsh:TargetShape",
        "res:target-assb-cost",
        "ag:metric ag:BatteryCost ;\n    ag:value 65.0 ;",
        "ag:metric ag:BatteryCost ;",
    ),
    add(
        "agsh:TargetShape/ag:plan",
        "res:target-assb-cost",
        "res:target-assb-cost ag:plan res:plan-re-nissan .",
    ),
    add(
        "agsh:TargetShape/ag:unit", "res:target-assb-cost", "res:target-assb-cost ag:unit ag:EUR ."
    ),
    add("agsh:Quantity-metric", "res:target-assb-cost", "res:target-assb-cost ag:metric ag:EUR ."),
    add(
        "agsh:Quantity-qualifier",
        "res:target-assb-cost",
        "res:target-assb-cost ag:qualifier ag:About .",
    ),
    add(
        "agsh:Quantity-value",
        "res:target-assb-energy-density",
        "res:target-assb-energy-density ag:value 3.0 .",
    ),
    swap(
        "agsh:MeasureShape",
        "res:measure-sales-rank-2017",
        "ag:metric ag:GlobalSalesRank ;\n    ag:value 1.0 ;",
        "ag:metric ag:GlobalSalesRank ;",
    ),
    swap(
        "agsh:MeasureShape/ag:minValue",
        "res:measure-cmf-parts-cost-reduction",
        "ag:minValue 20.0 ;\n    ag:maxValue 30.0 ;",
        "ag:minValue 35.0 ;\n    ag:maxValue 30.0 ;",
    ),
    swap(
        "agsh:MeasureShape/ag:unit",
        "res:measure-sales-rank-2017",
        "    ag:unit ag:RankPosition ;\n",
        "",
    ),
    swap(
        "agsh:deadline-after-plan",
        "res:target-re-nissan-profitability",
        'ag:deadline "2027-03-31"^^xsd:date ;',
        'ag:deadline "2024-03-31"^^xsd:date ;',
    ),
    # --- platforms, vehicles, technologies ---------------------------------------------
    add("agsh:PlatformShape/ag:replaces", "res:CMF-BEV", "res:CMF-BEV ag:replaces res:CMF ."),
    add("agsh:developedBy", "res:CMF", "res:CMF ag:developedBy res:CarlosGhosn ."),
    add(
        "agsh:ModuleShape/ag:moduleOf",
        "res:cmf-module-cockpit",
        "res:cmf-module-cockpit ag:moduleOf res:CMF-EV .",
    ),
    add(
        "agsh:VehicleModelShape/ag:marque",
        "res:NissanAriya",
        "res:NissanAriya ag:marque res:Renault .",
    ),
    add(
        "agsh:VehicleModelShape/ag:builtOn",
        "res:NissanAriya",
        "res:NissanAriya ag:builtOn res:NissanMicraEV .",
    ),
    swap(
        "agsh:TechnologyShape",
        "res:ProPILOT",
        'rdfs:label "Nissan ProPILOT"@en ;\n    ag:developedBy res:NissanMotor ;',
        'rdfs:label "Nissan ProPILOT"@en ;',
    ),
    add(
        "agsh:TechnologyShape/ag:providedBy",
        "res:GoogleEcosystem",
        "res:GoogleEcosystem ag:providedBy res:Tokyo .",
    ),
    # --- values: dates, numbers, texts -------------------------------------------------
    swap(
        "agsh:date-datatype",
        "res:event-ghosn-off-board-2019",
        'res:CarlosGhosn , res:NissanMotor ;\n    ag:date "2019-04-08"^^xsd:date ;',
        'res:CarlosGhosn , res:NissanMotor ;\n    ag:date "8 April 2019" ;',
    ),
    swap(
        "agsh:start-datatype",
        "res:stake-renault-nissan-1999",
        'ag:start "1999-05"^^xsd:gYearMonth ;',
        'ag:start "1999-05"^^xsd:date ;',
    ),
    swap(
        "agsh:end-datatype",
        "res:tenure-ghosn-nissan-board",
        'ag:startLatest "2008-12-31"^^xsd:date ;\n    ag:end "2019-04-08"^^xsd:date ;',
        'ag:startLatest "2008-12-31"^^xsd:date ;\n    ag:end 2019 ;',
    ),
    swap(
        "agsh:deadline-datatype",
        "res:target-re-nissan-profitability",
        'ag:deadline "2027-03-31"^^xsd:date ;',
        'ag:deadline "fiscal 2026" ;',
    ),
    swap(
        "agsh:published-datatype",
        "src:reuters-2025-08-26",
        'ag:published "2025-08-26"^^xsd:date ;',
        'ag:published "26 August 2025" ;',
    ),
    swap(
        "agsh:day-bound-datatype",
        "res:stake-renault-nissan-2010",
        'ag:startLatest "2010-04-05"^^xsd:date ;\n    ag:endEarliest "2010-04-06"',
        'ag:startLatest "2010-04-05" ;\n    ag:endEarliest "2010-04-06"',
    ),
    swap(
        "agsh:reportedOn-datatype",
        "res:stake-renault-nissan-2010",
        'ag:locator "Renault\'s holding in Nissan" ; ag:reportedOn "2010-04-05"^^xsd:date ]',
        'ag:locator "Renault\'s holding in Nissan" ; ag:reportedOn "5 April 2010" ]',
    ),
    # Dates the engines take as well typed but the loader cannot bound (issue 10 item 14).
    swap(
        "agsh:date-lexical-form",
        "res:claim-article-nissan-mmc-2016",
        'ag:start "2016"^^xsd:gYear ;\n    ag:endStatus ag:EndUnknown ;\n'
        '    ag:endEarliest "2017-01-01"^^xsd:date ;',
        'ag:start "20x9"^^xsd:gYear ;\n    ag:endStatus ag:EndUnknown ;\n'
        '    ag:endEarliest "2017-01-01"^^xsd:date ;',
    ),
    swap(
        "agsh:date-lexical-form",
        "res:stake-renault-nissan-1999",
        'ag:start "1999-05"^^xsd:gYearMonth ;',
        'ag:start "2019-13"^^xsd:gYearMonth ;',
    ),
    swap(
        "agsh:date-lexical-form",
        "res:event-ghosn-off-board-2019",
        'ag:date "2019-04-08"^^xsd:date ;',
        'ag:date "2005-04-30Z"^^xsd:date ;',
    ),
    swap(
        "agsh:percent-datatype",
        "res:stake-renault-nissan-2002",
        "ag:percent 44.4 ;",
        'ag:percent "44.4" ;',
    ),
    swap(
        "agsh:percent-range",
        "res:stake-renault-nissan-2002",
        "ag:percent 44.4 ;",
        "ag:percent 144.4 ;",
    ),
    swap(
        "agsh:votingPercent-datatype",
        "res:stake-nissan-renault-2023",
        "ag:votingPercent 22.13 ;",
        'ag:votingPercent "22.13%" ;',
    ),
    swap(
        "agsh:votingCap-datatype",
        "res:stake-state-renault-2016",
        "ag:votingCap 17.9 ;",
        'ag:votingCap "17.9" ;',
    ),
    add(
        "agsh:sharedPartsPercent-datatype",
        "res:cross-manufacturing-kangoo-kubistar",
        'res:cross-manufacturing-kangoo-kubistar ag:sharedPartsPercent "about 80" .',
    ),
    swap(
        "agsh:amount-datatype",
        "res:measure-price-1999-jpy",
        "ag:value 605000000000.0 ;",
        'ag:value "605 billion" ;',
    ),
    swap(
        "agsh:unitCount-datatype",
        "res:NissanFinancialUnits",
        "ag:unitCount 5 ;",
        "ag:unitCount 0 ;",
    ),
    swap(
        "agsh:approximate-datatype",
        "res:stake-nissan-mmc-2024-approx",
        'ag:VotingInterest ;\n    ag:approximate true ;\n    ag:start "2024-11-08"',
        'ag:VotingInterest ;\n    ag:approximate "yes" ;\n    ag:start "2024-11-08"',
    ),
    swap(
        "agsh:text-datatype",
        "src:bbc-1999-closing",
        'ag:publisher "BBC News" ;',
        'ag:publisher "BBC News"@en ;',
    ),
    swap(
        "agsh:url-datatype",
        "src:bbc-1999-closing",
        'ag:url "http://news.bbc.co.uk/2/hi/business/1627671.stm"^^xsd:anyURI',
        'ag:url "http://news.bbc.co.uk/2/hi/business/1627671.stm"',
    ),
    # --- time ----------------------------------------------------------------------------
    swap(
        "agsh:start-not-after-end",
        "res:stake-daimler-renault",
        'ag:end "2016-06-29"^^xsd:date ;\n    ag:citation [ a ag:Citation ; '
        'ag:source src:dieselnet-2010-04 ; ag:locator "Daimler takes 3.1% of Renault" ]',
        'ag:end "2009-06-29"^^xsd:date ;\n    ag:citation [ a ag:Citation ; '
        'ag:source src:dieselnet-2010-04 ; ag:locator "Daimler takes 3.1% of Renault" ]',
    ),
    swap(
        "agsh:bounds-ordered",
        "res:stake-renault-nissan-2010",
        'ag:startEarliest "2005-04-30"^^xsd:date ;\n    ag:startLatest "2010-04-05"',
        'ag:startEarliest "2010-05-01"^^xsd:date ;\n    ag:startLatest "2010-04-05"',
    ),
    swap(
        "agsh:bounds-within-date",
        "res:stake-renault-nissandiesel-1999",
        'ag:start "1999"^^xsd:gYear ;\n    ag:startEarliest "1999-03-27"^^xsd:date ;',
        'ag:start "1999"^^xsd:gYear ;\n    ag:startEarliest "1998-12-01"^^xsd:date ;',
    ),
    add(
        "agsh:one-value-per-bound",
        "res:stake-renault-nissan-2010",
        'res:stake-renault-nissan-2010 ag:startLatest "2010-04-04"^^xsd:date .',
    ),
    add(
        "agsh:end-status-agrees",
        "res:membership-renault",
        'res:membership-renault ag:end "2024"^^xsd:gYear .',
    ),
    swap(
        "agsh:ended-has-end",
        "res:commitment-lockup-10",
        "res:NissanMotor , res:Renault ;\n    ag:commitmentKind ag:ShareLockUp ;\n"
        '    ag:start "2025-03-31"^^xsd:date ;\n    ag:endStatus ag:Ongoing ;',
        "res:NissanMotor , res:Renault ;\n    ag:commitmentKind ag:ShareLockUp ;\n"
        '    ag:start "2025-03-31"^^xsd:date ;\n    ag:endStatus ag:Ended ;',
    ),
    # --- ownership and people over time -------------------------------------------------
    swap(
        "agsh:no-overlapping-stakes",
        "res:stake-renault-nissan-2002",
        'ag:endEarliest "2005-04-30"^^xsd:date ;\n    ag:endLatest "2010-04-05"^^xsd:date ;',
        'ag:endEarliest "2010-06-01"^^xsd:date ;\n    ag:endLatest "2010-06-30"^^xsd:date ;',
    ),
    add(
        "agsh:stakes-sum-at-most-100",
        "res:stake-daimler-nissan-extra",
        "res:stake-daimler-nissan-extra a ag:Shareholding ;\n"
        '    rdfs:label "Daimler in Nissan Motor, 60% (invented)"@en ;\n'
        "    ag:holder res:Daimler ; ag:held res:NissanMotor ; ag:percent 60.0 ;\n"
        "    ag:interest ag:EconomicInterest ;\n"
        '    ag:start "2003-01-01"^^xsd:date ; ag:end "2004-01-01"^^xsd:date ;\n'
        f"    ag:citation {CITE} .",
    ),
    add(
        "agsh:no-overlapping-tenures",
        "res:tenure-schweitzer-nissan-ceo",
        "res:tenure-schweitzer-nissan-ceo a ag:Tenure ;\n"
        '    rdfs:label "Louis Schweitzer, chief executive of Nissan (invented)"@en ;\n'
        "    ag:person res:LouisSchweitzer ; ag:organisation res:NissanMotor ;\n"
        "    ag:role ag:ChiefExecutiveOfficer ;\n"
        '    ag:start "2005"^^xsd:gYear ; ag:end "2006"^^xsd:gYear ;\n'
        f"    ag:citation {CITE} .",
    ),
    # --- declared vocabulary -----------------------------------------------------------
    swap(
        "agsh:declared-class",
        "res:stake-daimler-renault",
        "res:stake-daimler-renault a ag:Shareholding ;",
        "res:stake-daimler-renault a ag:Sharehodling ;",
    ),
    swap(
        "agsh:declared-property",
        "res:stake-renault-nissan-1999",
        "ag:percent 36.8 ;",
        "ag:precent 36.8 ;",
    ),
    add(
        "agsh:declared-term",
        "res:event-ghosn-arrest-2018",
        "res:event-ghosn-arrest-2018 ag:subject ag:NissanMotor .",
    ),
]


# The agreement-term and source rules of shapes/alliance-terms.ttl have their cases in
# tests/test_terms.py (tests/ is on sys.path under pytest).
BREAKS += TERM_BREAKS

# Rules that warn rather than fail (docs/validation.md says why); all others are violations.
WARNINGS = {
    "agsh:Citation-locator": "Warning",
    "agsh:rank-has-reason": "Warning",
    "agsh:description": "Warning",
    "agsh:SourceShape/ag:publisher": "Warning",
    "agsh:SourceShape/ag:published": "Warning",
    "agsh:SourceShape/ag:url": "Warning",
}


def break_all(path) -> list[Break]:
    """Apply every case to one file (bench/validate_shipped.py uses it too). A few cases
    edit the same line: the first one wins and the others are left out."""
    applied = []
    for case in BREAKS:
        if case.old and case.old not in path.read_text(encoding="utf-8"):
            continue
        case.apply(path)
        applied.append(case)
    return applied


def _named(result) -> str:
    return f"{result.focus} {result.focus_label or ''}"


@pytest.mark.parametrize("case", BREAKS, ids=[b.rule for b in BREAKS])
def test_each_rule_catches_its_break(case, data_copy):
    case.apply(data_copy)
    report = validate([data_copy])
    expected = WARNINGS.get(case.rule, "Violation")
    assert report.conforms == (expected != "Violation")  # warnings do not break conformance
    assert report.failed("warning")
    hits = [r for r in report.results if r.rule == case.rule]
    assert hits, f"{case.rule} not reported; got {sorted({r.rule for r in report.results})}"
    assert any(case.focus in _named(r) for r in hits), [_named(r) for r in hits]
    hit = next(r for r in hits if case.focus in _named(r))
    assert hit.severity == expected and hit.message
    assert hit.file == str(data_copy) and hit.line, "the node's file and line are named"


LEXICAL = [b for b in BREAKS if b.rule == "agsh:date-lexical-form"]


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_every_engine_reports_dates_the_loader_cannot_read(engine, data_copy):
    """Each of "20x9"^^xsd:gYear, "2019-13"^^xsd:gYearMonth and "2005-04-30Z"^^xsd:date is
    named with the text as written (rdflib would drop the Z), by every engine."""
    for case in LEXICAL:
        case.apply(data_copy)
    report = validate([data_copy], engine=engine)
    found = {(r.focus, r.value) for r in report.results if r.rule == "agsh:date-lexical-form"}
    assert found == {
        ("res:claim-article-nissan-mmc-2016", '"20x9"^^xsd:gYear'),
        ("res:stake-renault-nissan-1999", '"2019-13"^^xsd:gYearMonth'),
        ("res:event-ghosn-off-board-2019", '"2005-04-30Z"^^xsd:date'),
    }
    # The loader cannot bound these three, and bounds the forms they replaced.
    from alliance_graph.temporal import span_of_lexical

    xsd = "http://www.w3.org/2001/XMLSchema#"
    for text, kind in (("20x9", "gYear"), ("2019-13", "gYearMonth"), ("2005-04-30Z", "date")):
        assert span_of_lexical(text, xsd + kind) is None
    for text, kind in (("2016", "gYear"), ("1999-05", "gYearMonth"), ("2019-04-08", "date")):
        assert span_of_lexical(text, xsd + kind) is not None


@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_a_start_given_twice_is_one_finding_not_three(engine, data_copy):
    # The loader bounds a node by the hull of its dates; that hull lies outside each date
    # as written, which bounds-within-date used to report twice more, about bounds the
    # user never wrote.
    data_copy.write_text(
        data_copy.read_text(encoding="utf-8")
        + '\nres:stake-renault-nissan-1999 ag:start "2001-03-04"^^xsd:date .\n',
        encoding="utf-8",
    )
    report = validate([data_copy], engine=engine)
    about = sorted(r.rule for r in report.results if r.focus == "res:stake-renault-nissan-1999")
    assert about == ["agsh:start-datatype"]


@pytest.fixture(scope="module")
def shapes_graph():
    g = Graph()
    for path in resources.shapes_files():
        g.parse(path)
    return g


def test_every_rule_has_a_breaking_case(shapes_graph):
    rules = {r.id: r for r in rule_catalogue(shapes_graph)}
    assert len(rules) > 90
    assert set(rules) == {b.rule for b in BREAKS}
    # The catalogue's severities are the ones results carry.
    assert {k for k, r in rules.items() if r.severity != "Violation"} == set(WARNINGS)
    assert all(r.title and r.description for r in rules.values())


def test_every_shape_states_its_severity(shapes_graph):
    from rdflib import RDF

    sh = lambda n: URIRef(SH + n)  # noqa: E731
    targets = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
    shapes = {s for t in targets for s in shapes_graph.subjects(sh(t), None)}
    shapes |= set(shapes_graph.objects(None, sh("property")))
    shapes |= set(shapes_graph.subjects(RDF.type, sh("NodeShape")))
    shapes |= set(shapes_graph.subjects(RDF.type, sh("PropertyShape")))
    assert len(shapes) > 100
    for shape in shapes:
        severities = list(shapes_graph.objects(shape, sh("severity")))
        assert len(severities) == 1, f"{shape} states {len(severities)} severities"
        assert severities[0] in {sh("Violation"), sh("Warning"), sh("Info")}


def test_every_shape_and_rule_is_labelled_and_explained(shapes_graph):
    from rdflib.namespace import RDFS

    sh = lambda n: URIRef(SH + n)  # noqa: E731
    named = {
        s
        for s in shapes_graph.subjects()
        if isinstance(s, URIRef) and str(s).startswith("https://w3id.org/alliance-graph/shapes#")
    }
    assert len(named) > 80
    for node in named:
        assert shapes_graph.value(node, RDFS.label), f"{node} has no rdfs:label"
        assert shapes_graph.value(node, RDFS.comment), f"{node} has no rdfs:comment"
    # Every unnamed property shape, and every SPARQL constraint, says what went wrong.
    for shape in shapes_graph.objects(None, sh("property")):
        if isinstance(shape, BNode):
            assert shapes_graph.value(shape, sh("message")), "an inline shape has no message"
    for constraint in shapes_graph.objects(None, sh("sparql")):
        assert shapes_graph.value(constraint, sh("message")), f"{constraint} has no message"


def test_shipped_data_conforms():
    report = validate()
    assert report.conforms, report.to_text()
    assert report.results == []
    assert report.triples > 4000 and report.shapes > 50
    assert report.summary_line().startswith("conforms: alliance.ttl")


def test_percent_as_string_is_a_datatype_violation_not_a_crash(data_copy):
    # The stake sits in the sums of Nissan's shareholders: SUM must never see the string.
    text = data_copy.read_text()
    data_copy.write_text(text.replace("ag:percent 44.4 ;", 'ag:percent "44.4" ;'))
    report = validate([data_copy])
    rules = [r.rule for r in report.results]
    assert rules == ["agsh:percent-datatype"], report.to_text()
    (result,) = report.results
    assert result.value == '"44.4"' and result.path == "ag:percent"
    assert "not a string" in result.message


def test_a_whole_number_percent_conforms_and_every_face_reads_it(data_copy):
    # 44 is an xsd:integer, which XSD derives from xsd:decimal (the ontology's range):
    # the shapes accept it, as the ownership index and the saved queries read it.
    from alliance_graph import ownership

    text = data_copy.read_text()
    assert text.count("ag:percent 44.4 ;") == 1
    data_copy.write_text(text.replace("ag:percent 44.4 ;", "ag:percent 44 ;"))
    report = validate([data_copy])
    assert report.conforms, report.to_text()
    record = ownership.stake(
        ownership.holdings_from_files([data_copy]), "Renault", "Nissan Motor", "2003-06-30"
    )
    assert record["percent"] == 44


@pytest.mark.parametrize("written", ["44.4e0", '"44.4"^^xsd:double', '"44.4"^^xsd:float'])
def test_a_floating_point_percent_is_a_datatype_violation(data_copy, written):
    text = data_copy.read_text()
    data_copy.write_text(text.replace("ag:percent 44.4 ;", f"ag:percent {written} ;"))
    report = validate([data_copy])
    assert [r.rule for r in report.results] == ["agsh:percent-datatype"], report.to_text()
    assert "xsd:double" in report.results[0].message


def test_report_reads_well(data_copy):
    BREAKS[0].apply(data_copy)  # Ivan Espinosa without a label
    data_copy.write_text(
        data_copy.read_text() + "\nres:stake-renault-nissan-1999 ag:precent 1.0 .\n"
    )
    report = validate([data_copy])
    assert isinstance(report, ValidationReport)
    (typo,) = [r for r in report.results if r.rule == "agsh:declared-property"]
    assert typo.focus == "res:stake-renault-nissan-1999"
    assert typo.focus_label == "Renault in Nissan Motor, 36.8% (1999-2002)"
    assert typo.path == "ag:precent" and typo.value == "1.0"
    assert "ag:precent" in typo.message and "not declare" in typo.message
    text = report.to_text()
    assert f"{data_copy}:" in text and "rule:    agsh:declared-property" in text
    assert "Renault in Nissan Motor, 36.8% (1999-2002) (res:stake-renault-nissan-1999)" in text
    assert text.rstrip().splitlines()[-1].startswith("does NOT conform")
    as_dict = report.to_dict()
    assert as_dict["conforms"] is False and as_dict["counts"]["Violation"] == 2
    assert as_dict["rules_broken"] == {"agsh:declared-property": 1, "agsh:label": 1}
    assert {
        "focus",
        "focus_label",
        "rule",
        "severity",
        "message",
        "path",
        "value",
        "file",
        "line",
    } <= set(as_dict["results"][0])


def test_a_citation_is_named_by_its_owner(data_copy):
    next(b for b in BREAKS if b.rule == "agsh:Citation-locator").apply(data_copy)
    (result,) = validate([data_copy]).results
    assert result.focus.startswith("_:")
    assert result.focus_label == (
        "citation of Daimler in Renault, 3.1% (2010-2016) (res:stake-daimler-renault)"
    )
    assert "Daimler in Renault, 3.1% (2010-2016)" in validate([data_copy]).to_text()


def test_malformed_turtle_names_file_line_and_column(data_copy):
    lines = data_copy.read_text().splitlines()
    lines[29] = "res:broken a ag:Company ; rdfs:label ."
    data_copy.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataFileError) as err:
        validate([data_copy])
    assert err.value.path == str(data_copy) and err.value.line == 30
    assert err.value.column is not None


def test_missing_file_cannot_run(tmp_path):
    with pytest.raises(DataFileError, match="no such file"):
        validate([tmp_path / "absent.ttl"])


def test_unknown_engine_is_a_usage_error():
    with pytest.raises(UsageError, match="pyshacl"):
        validate(engine="nope")


# --- the fast engine gives the reference engine's results ---------------------------


def _comparable(report):
    """Results as sets, with what SPARQL leaves open normalised: the order of items a
    GROUP_CONCAT lists, and the lexical form of computed numbers (105 or 105.0)."""

    def message(text):
        text = re.sub(r"(\d+)\.0+\b", r"\1", text)
        return tuple(
            sorted(part.strip() for part in re.split(r"[,():]|\sand\s", text) if part.strip())
        )

    def value(text):
        return re.sub(r'"(\d+)\.0+"', r'"\1"', text) if text else text

    def node(r):  # blank node labels differ from one load to the next
        return r.focus_label if r.focus.startswith("_:") else r.focus

    return sorted(
        (
            (node(r), r.rule, r.severity, r.path, value(r.value), message(r.message))
            + (r.shape, r.component, r.file, r.line)
            for r in report.results
        ),
        key=repr,
    )


def _agree(data):
    """Every engine's results on ``data`` against pySHACL's (the reference), which it
    returns: same nodes, rules, severities, paths, values, messages, shapes, components,
    files and lines."""
    reference = validate(data, engine="pyshacl", default_checks=False)
    for engine in sorted(set(ENGINES) - {"pyshacl"}):
        other = validate(data, engine=engine, default_checks=False)
        assert reference.conforms == other.conforms, engine
        assert _comparable(reference) == _comparable(other), engine
    return reference


def _with_all_breaks(folder):
    """A copy of the shipped data with every break that applies (break_all), and them."""
    first = folder / "alliance.ttl"
    first.write_text(resources.data_files()[0].read_text())
    return first, break_all(first)


def _with_the_breaks_left(folder, fired):
    """A second copy with the breaks whose rule did not fire in the first one."""
    second = folder / "second" / "alliance.ttl"
    second.parent.mkdir()
    second.write_text(resources.data_files()[0].read_text())
    for case in BREAKS:
        if case.rule not in fired and (not case.old or case.old in second.read_text()):
            case.apply(second)
    return second


# The engines' agreement is three tests (the shipped data; a copy with every break; a copy
# with the breaks that the first copy hides), so that pytest-xdist runs them side by side.
# Breaks meet in one copy (a misspelt class hides the shareholding rules of that node, say),
# so the breaks whose rule did not fire there go into a second copy: between them, every
# rule fires.


def test_engines_agree_on_shipped_data():
    assert DEFAULT_ENGINE in ENGINES and "pyshacl" in ENGINES and len(ENGINES) >= 3
    assert _agree(None).results == []


def test_engines_agree_on_all_breaks(tmp_path):
    first, applied = _with_all_breaks(tmp_path)
    assert len(applied) > 0.9 * len(BREAKS)
    reference = _agree([first])
    assert len(reference.results) > len(applied)  # every break, and what follows from it
    assert {r.severity for r in reference.results} == {"Violation", "Warning"}


def test_engines_agree_on_the_breaks_the_first_copy_hides(tmp_path):
    # Which rules fired in the first copy is read from the default engine here; that it
    # gives pySHACL's results there is test_engines_agree_on_all_breaks.
    first, _ = _with_all_breaks(tmp_path)
    fired = {r.rule for r in validate([first], default_checks=False).results}
    fired |= {r.rule for r in _agree([_with_the_breaks_left(tmp_path, fired)]).results}
    assert fired >= {b.rule for b in BREAKS}


def test_validate_leaves_no_trace_on_the_graph_it_reads():
    # The engines read the loaded graph in place; validating must not add triples to it.
    from alliance_graph.graph import load
    from alliance_graph.validate.bridge import query_graphs

    graph = load()
    before = len(graph)
    for cls in query_graphs():
        view = cls.over(graph)
        assert len(view) == before
        rows = list(
            view.query("SELECT ?s WHERE { ?s a <https://w3id.org/alliance-graph/ontology#Person> }")
        )
        assert len(rows) == 15  # the four of the article and eleven executives of 2017-2025
    assert len(graph) == before


def _imports_of(path, package):
    """(module imported, names imported) for every import in a source file, at any depth."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = package.split(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def test_the_validation_modules_import_no_private_name_and_form_no_cycle():
    """Issue 9: no ``_name`` imported across the project's modules, no import cycle (function
    level imports count), and ``canonical`` does not depend on ``validate``."""
    src = Path(__file__).parents[1] / "src"
    modules = {}
    for path in sorted((src / "alliance_graph").rglob("*.py")):
        rel = path.relative_to(src).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        package = name if rel.name == "__init__" else name.rpartition(".")[0]
        modules[name] = (path, package)
    mine = [
        m
        for m in modules
        if m.startswith("alliance_graph.validate")
        or m in ("alliance_graph.canonical", "alliance_graph.endpoint", "alliance_graph.terms")
        or m in ("alliance_graph.writing",)
    ]
    assert "alliance_graph.validate.engines" in mine
    edges = {}
    for name in modules:
        path, package = modules[name]
        found = set()
        for module, names in _imports_of(path, package):
            targets = [module] + [f"{module}.{n}" for n in names]
            for target in targets:
                if target in modules and target != name:
                    found.add(target)
            if name in mine and module in modules:
                private = [n for n in names if n.startswith("_") and not n.startswith("__")]
                assert not private, f"{name} imports {private} from {module}"
        edges[name] = found
    tests = Path(__file__).parent
    for path in tests.glob("test_*.py"):
        for module, names in _imports_of(path, "tests"):
            if module.startswith("alliance_graph.validate") or module in mine:
                private = [n for n in names if n.startswith("_")]
                assert not private, f"{path.name} imports {private} from {module}"

    def reaches(start, goal):
        seen, todo = set(), [start]
        while todo:
            here = todo.pop()
            for nxt in edges.get(here, ()):
                if nxt == goal:
                    return True
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return False

    cycles = [m for m in mine if reaches(m, m)]
    assert cycles == []
    assert not reaches("alliance_graph.canonical", "alliance_graph.validate")


def test_one_file_given_as_a_string_is_that_file():
    # validate("my.ttl") read the characters of the name as files ("m: no such file").
    from alliance_graph import resources

    path = resources.data_files()[0]
    assert validate(str(path)).data_files == [str(path)]
    assert validate(path).conforms
