"""The correspondence between the project's vocabulary and BODS 0.4 (docs/bods.md).

Both directions read these tables, so that what leaves comes back as it was.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from ..namespaces import AG, RES, SRC, XSD

BODS_VERSION = "0.4"
PUBLISHER = "alliance-graph"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
XSD_DATE = XSD + "date"

# The key of the annotation that carries, for a lossless round trip, what BODS has no
# field for (an annotation may hold custom properties: BODS 0.4, Annotation).
PAYLOAD = "allianceGraph"

# Our classes -> BODS entityType (type, subtype). The most specific class wins.
ENTITY_TYPE = {
    "Company": ("registeredEntity", None),
    "JointVenture": ("registeredEntity", None),
    "BusinessUnitGroup": ("legalEntity", None),
    "PurchasingOrganisation": ("legalEntity", None),
    "Alliance": ("arrangement", "other"),
    "Trust": ("arrangement", "trust"),
    "PensionTrust": ("arrangement", "trust"),
    "State": ("state", None),
    "Organisation": ("legalEntity", None),
}
ENTITY_TYPE_ORDER = list(ENTITY_TYPE)  # most specific first

# BODS entityType (type, subtype) -> our class, for statements without our annotation.
CLASS_OF_ENTITY_TYPE = {
    "registeredEntity": "Company",
    "legalEntity": "Organisation",
    "arrangement": "Organisation",
    "anonymousEntity": "Organisation",
    "unknownEntity": "Organisation",
    "state": "State",
    "stateBody": "Organisation",
}
CLASS_OF_SUBTYPE = {"trust": "Trust"}

# BODS interest types that are a stake in our vocabulary, and the kind of interest each gives.
ECONOMIC_TYPES = ("shareholding", "rightsToProfitOrIncome")
VOTING_TYPES = ("votingRights",)
# Interest types on the holder's side of an intermediary (trust, nominee, subsidiary).
INTERMEDIARY_TYPES = (
    "beneficiaryOfLegalArrangement",
    "nominator",
    "shareholding",
    "otherInfluenceOrControl",
    "unknownInterest",
)

RANKS = ("PreferredRank", "NormalRank", "DeprecatedRank")
END_STATUSES = ("Ended", "Ongoing", "EndUnknown")


def statement_id(iri: str, part: str = "") -> str:
    """A stable statement id (36 characters: BODS asks for 32 to 64) for a node."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri + part))


def node_of_record(record_id: str) -> str:
    """The IRI of the node a BODS record becomes: our own IRIs come back as they left;
    any other record id lives under ``res:bods/``."""
    if record_id.startswith(RES):
        return record_id
    return RES + "bods/" + quote(record_id, safe="")


def source_iri(key: str) -> str:
    return SRC + "bods/" + uuid.uuid5(uuid.NAMESPACE_URL, key).hex[:20]


def ag(name: str) -> str:
    return AG + name


def local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            return iri.rsplit(sep, 1)[1]
    return iri
