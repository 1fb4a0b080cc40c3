"""Writing Akoma Ntoso: elements in its namespace, `eId`s, and the `<references>`."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from typing import Any

from meeting.domain import Meeting

__all__ = ["AKN_NS", "MTG_NS", "Refs", "clean", "eid_of", "el"]

AKN_NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
MTG_NS = "urn:meeting-server:akn:1"
"""Our own namespace, for what AKN leaves to extensions: voters in a count, the export."""
ET.register_namespace("mtg", MTG_NS)

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SAFE = re.compile(r"[A-Za-z0-9_-]+")


def clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters: drop them."""
    return _ILLEGAL.sub("", text)


def eid_of(prefix: str, key: str) -> str:
    """An `eId` for a key of ours: the key itself when it is plain, else a short hash."""
    if _SAFE.fullmatch(key):
        return f"{prefix}_{key}"
    return f"{prefix}_{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def el(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
    """An AKN element. Its tag is written plain, under the root's `xmlns` (ElementTree's
    `default_namespace` refuses plain attribute names, and AKN's are all plain)."""
    name = tag
    values = {k.rstrip("_"): clean(str(v)) for k, v in attrs.items() if v is not None}
    node = ET.Element(name, values) if parent is None else ET.SubElement(parent, name, values)
    if text is not None:
        node.text = clean(text)
    return node


class Refs:
    """The `<references>` of the document, collected while the body is written."""

    def __init__(self, state: Meeting) -> None:
        self.state = state
        self.persons: dict[str, str] = {}
        self.concepts: dict[str, str] = {}
        self.others: dict[str, str] = {}

    def person(self, user_id: str, name: str) -> str:
        eid = eid_of("p", user_id)
        self.persons[eid] = name
        return f"#{eid}"

    def concept(self, key: str, label: str, prefix: str = "c") -> str:
        eid = eid_of(prefix, key)
        self.concepts.setdefault(eid, label)
        return f"#{eid}"

    def other(self, name: str) -> str:
        """Someone outside the roster (an official a question is addressed to)."""
        eid = eid_of("o", name)
        self.others[eid] = name
        return f"#{eid}"

    def write(self, meta: ET.Element) -> None:
        refs = el(meta, "references", source="#server")
        body = self.state.body
        el(
            refs,
            "TLCOrganization",
            eId="body",
            href=f"/ontology/organization/vn/{body.id}",
            showAs=body.name,
        )
        el(
            refs,
            "TLCOrganization",
            eId="server",
            href="/ontology/organization/meeting-server",
            showAs="meeting server",
        )
        for eid, name in sorted(self.persons.items()):
            el(
                refs,
                "TLCPerson",
                eId=eid,
                href=f"/ontology/person/vn/{body.id}/{eid[2:]}",
                showAs=name,
            )
        for eid, name in sorted(self.others.items()):
            el(refs, "TLCPerson", eId=eid, href=f"/ontology/person/vn/{eid}", showAs=name)
        for role in ("chair", "clerk", "delegate"):
            el(refs, "TLCRole", eId=role, href=f"/ontology/role/vn/{role}", showAs=role)
        for eid, label in sorted(self.concepts.items()):
            el(refs, "TLCConcept", eId=eid, href=f"/ontology/concept/meeting/{eid}", showAs=label)
