"""Generate a deterministic demo portfolio as Salesforce Data Loader-style CSV files.

`generate_demo` writes one CSV per object (``Account.csv``, ``User.csv``,
``AccountTeamMember.csv``, ``Contact.csv``, ``Product2.csv``, ``Opportunity.csv``,
``OpportunityLineItem.csv``, ``OpportunityCompetitor.csv``,
``OpportunityContactRole.csv``, ``Task.csv``, ``Event.csv``) plus three
non-Salesforce exports (``finance.csv`` from the ERP, ``notes.csv`` and
``policies.csv``). Files are UTF-8 without BOM,
comma separated, minimally quoted, with ``\\n`` line endings; booleans are
``true``/``false``, dates ``YYYY-MM-DD`` and ``CreatedDate`` is
``YYYY-MM-DDTHH:MM:SS.000+0000``. Salesforce ids are 18-character case-safe ids with
the real key prefixes; the same seed always yields byte-identical files.

The portfolio is that of a fictional seller of industrial sensors ("Veltara
Sensing"): seven corporate groups (two of them Chinese, with 分公司 branches and
unified social credit codes), up to four hierarchy levels, a handful of
standalone accounts, nine reps, five product families with three products each,
five competitors and about two years of deals, invoices, cost entries, notes and
playbook steps before ``today``.

Showcase ("the wave we missed"): in the key group *Nordwind Industrie Holding AG*
(HQ in Bremen, two regional subsidiaries, eight branches) the HQ issued a
procurement policy (``applies_to`` = ``all``) for the wave family *Safety
Sensors* about three weeks before the wave. Within about five weeks, roughly
seven to eight months before ``today``, the Stuttgart plant bought from us
(Closed Won) while Leipzig (Central Europe), Chicago and Monterrey (Americas)
bought from competitors (Closed Lost with ``Lost_To__c`` and a matching
OpportunityCompetitor row). The four other branches were never approached for the
family, and we have no contact at the group HQ at all.

Deliberate second wave: in the Chinese group 华东精密制造集团有限公司 the HQ
asked three branches (Wuxi, Hangzhou, Wuhu) to roll out *Cloud Monitoring* about
thirteen months before ``today``; we caught that wave and won at all three.

No other wave exists: apart from those two, no three members of one group have
deals for the same family created (or closed) within ~100 days of each other.
Every opportunity's line items belong to a single product family.

Touchpoints (``Task.csv``: calls and e-mails, ``Event.csv``: meetings) come from a
random stream of their own, so adding them changed none of the other files. They are
concentrated the way real activity logs are: each group has one or two go-to people
who get most of the calls, many contacts get none, and every contact's touchpoints
come from one or two reps. In the key group, Sabine Keller (Maintenance Lead in
Stuttgart) is the go-to person and Robert Hayes is the only person anyone talks to
at Nordwind Americas.
"""

from __future__ import annotations

import csv
import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final

__all__ = ["HEADERS", "DemoManifest", "generate_demo", "sf_id18"]

_CHECKSUM_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_BASE62: Final = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_PODS: Final = ("5g", "8d", "Hn", "4W", "7Q", "Dm", "Bk", "6T")

# Salesforce key prefixes.
_P_ACCOUNT: Final = "001"
_P_CONTACT: Final = "003"
_P_USER: Final = "005"
_P_OPPORTUNITY: Final = "006"
_P_LINE_ITEM: Final = "00k"
_P_PRODUCT: Final = "01t"
_P_COMPETITOR: Final = "00J"
_P_CONTACT_ROLE: Final = "00K"
_P_TEAM_MEMBER: Final = "01M"
_P_TASK: Final = "00T"
_P_EVENT: Final = "00U"

HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "Account": (
        "Id",
        "Name",
        "ParentId",
        "Type",
        "Industry",
        "BillingCountry",
        "BillingState",
        "Region__c",
        "Hierarchy_Type__c",
        "LEI__c",
        "DunsNumber",
        "Registration_Code__c",
        "Buys_Autonomously__c",
        "IsDeleted",
    ),
    "User": ("Id", "Name", "Email", "Title", "Rep_Tier__c"),
    "AccountTeamMember": ("Id", "AccountId", "UserId", "TeamMemberRole"),
    "Contact": (
        "Id",
        "AccountId",
        "FirstName",
        "LastName",
        "Title",
        "Department",
        "ReportsToId",
        "Email",
        "Attitude__c",
        "Influence__c",
        "Last_Verified__c",
        "OwnerId",
        "LinkedIn_URL__c",
        "IsEmailBounced",
        "EmailBouncedDate",
    ),
    "Product2": ("Id", "Name", "ProductCode", "Family"),
    "Opportunity": (
        "Id",
        "AccountId",
        "Name",
        "StageName",
        "IsClosed",
        "IsWon",
        "Amount",
        "CurrencyIsoCode",
        "CloseDate",
        "CreatedDate",
        "OwnerId",
        "Lost_To__c",
        "Contract_Term__c",
    ),
    "OpportunityLineItem": (
        "Id",
        "OpportunityId",
        "Product2Id",
        "Quantity",
        "UnitPrice",
        "TotalPrice",
    ),
    "OpportunityCompetitor": ("Id", "OpportunityId", "CompetitorName"),
    "OpportunityContactRole": ("Id", "OpportunityId", "ContactId", "Role", "IsPrimary"),
    "Task": ("Id", "WhoId", "WhatId", "OwnerId", "ActivityDate", "Type", "Subject", "Status"),
    "Event": ("Id", "WhoId", "WhatId", "OwnerId", "ActivityDate", "Type", "Subject"),
    "finance": ("document_id", "account_id", "date", "amount", "currency", "kind"),
    "fx": ("Date", "USD", "CNY"),
    "notes": ("note_id", "about_id", "kind", "date", "author_id", "text"),
    "policies": (
        "policy_id",
        "issuer_account_id",
        "product_family",
        "issued_on",
        "title",
        "applies_to",
    ),
}
"""Exact header row of every generated file, keyed by object name."""

_FILE_NAMES: Final[dict[str, str]] = {
    "Account": "Account.csv",
    "User": "User.csv",
    "AccountTeamMember": "AccountTeamMember.csv",
    "Contact": "Contact.csv",
    "Product2": "Product2.csv",
    "Opportunity": "Opportunity.csv",
    "OpportunityLineItem": "OpportunityLineItem.csv",
    "OpportunityCompetitor": "OpportunityCompetitor.csv",
    "OpportunityContactRole": "OpportunityContactRole.csv",
    "Task": "Task.csv",
    "Event": "Event.csv",
    "finance": "finance.csv",
    "fx": "fx.csv",
    "notes": "notes.csv",
    "policies": "policies.csv",
}

_HQ: Final = "Headquarters"
_SUB: Final = "Subsidiary"
_BRANCH: Final = "Branch"

_SAFETY: Final = "Safety Sensors"
_GATEWAYS: Final = "Industrial Gateways"
_MAINTENANCE: Final = "Maintenance Services"
_CLOUD: Final = "Cloud Monitoring"
_SPARES: Final = "Spare Parts"
_FAMILIES: Final = (_SAFETY, _GATEWAYS, _MAINTENANCE, _CLOUD, _SPARES)

_WAVE_FAMILY: Final = _SAFETY
_CAUGHT_WAVE_FAMILY: Final = _CLOUD
_KEY_GROUP: Final = "nw"
_CAUGHT_GROUP: Final = "hd"
_WAVE_GUARD_DAYS: Final = 100
_HISTORY_DAYS: Final = 730

_WON: Final = "Closed Won"
_LOST: Final = "Closed Lost"
_OPEN_STAGES: Final = ("Prospecting", "Qualification", "Proposal/Price Quote", "Negotiation/Review")

_OSTWALD: Final = "Ostwald Sicherheitstechnik"
_BRIGHTLINE: Final = "Brightline Sensors"
_HUAZHONG: Final = "Huazhong Instruments"
# (name, home region or "" for global players)
_COMPETITORS: Final = (
    (_OSTWALD, "EMEA"),
    (_BRIGHTLINE, "Americas"),
    (_HUAZHONG, "APAC"),
    ("Meridian Controls", ""),
    ("Kaigen Automation", "APAC"),
)

# country -> (region, currency, name culture)
_COUNTRIES: Final[dict[str, tuple[str, str, str]]] = {
    "DE": ("EMEA", "EUR", "de"),
    "AT": ("EMEA", "EUR", "de"),
    "GB": ("EMEA", "EUR", "en"),
    "NL": ("EMEA", "EUR", "nl"),
    "PL": ("EMEA", "EUR", "pl"),
    "FR": ("EMEA", "EUR", "fr"),
    "ES": ("EMEA", "EUR", "es"),
    "IT": ("EMEA", "EUR", "it"),
    "SE": ("EMEA", "EUR", "sv"),
    "US": ("Americas", "USD", "en"),
    "CA": ("Americas", "USD", "en"),
    "MX": ("Americas", "USD", "es"),
    "BR": ("Americas", "USD", "pt"),
    "CL": ("Americas", "USD", "es"),
    "CN": ("APAC", "CNY", "cn"),
    "JP": ("APAC", "USD", "jp"),
    "TH": ("APAC", "USD", "th"),
    "VN": ("APAC", "USD", "vi"),
    "SG": ("APAC", "USD", "en"),
}
_RATE_PCT: Final[dict[str, int]] = {"EUR": 100, "USD": 108, "CNY": 775}

# Administrative division codes used in Chinese unified social credit codes.
_CN_DIVISIONS: Final[dict[str, str]] = {
    "Shanghai": "310115",
    "Jiangsu": "320505",
    "Zhejiang": "330106",
    "Anhui": "340104",
    "Beijing": "110105",
    "Guangdong": "440305",
    "Chongqing": "500112",
    "Sichuan": "510107",
    "Hubei": "420111",
}
_USCC_CHARS: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_LOU_PREFIXES: Final[dict[str, str]] = {
    "DE": "5299",
    "AT": "5299",
    "GB": "2138",
    "NL": "7245",
    "PL": "2594",
    "FR": "9695",
    "ES": "9598",
    "IT": "8156",
    "SE": "5493",
    "US": "5493",
    "CA": "5493",
    "MX": "4469",
    "BR": "2549",
    "CL": "5493",
    "CN": "3003",
    "JP": "3538",
    "TH": "2549",
    "VN": "9845",
    "SG": "5493",
}


@dataclass(frozen=True)
class DemoManifest:
    """What `generate_demo` wrote and where the showcase lives."""

    directory: Path
    key_group_id: str
    key_group_name: str
    wave_family: str
    files: dict[str, Path]


def sf_id18(id15: str) -> str:
    """Return the 18-character case-safe Salesforce id for a 15-character id.

    Each 5-character chunk contributes one suffix character: bit ``i`` of its value
    is set when character ``i`` of the chunk is an uppercase ASCII letter, and the
    value indexes ``ABCDEFGHIJKLMNOPQRSTUVWXYZ012345``.
    """
    if len(id15) != 15 or not id15.isascii() or not id15.isalnum():
        raise ValueError(f"not a 15-character Salesforce id: {id15!r}")
    suffix = ""
    for start in (0, 5, 10):
        bits = 0
        for offset, char in enumerate(id15[start : start + 5]):
            if "A" <= char <= "Z":
                bits |= 1 << offset
        suffix += _CHECKSUM_ALPHABET[bits]
    return id15 + suffix


# ---------------------------------------------------------------------------
# Static portfolio description
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _GroupSpec:
    key: str
    industry: str
    domain: str
    prospect: bool = False


_GROUP_SPECS: Final = (
    _GroupSpec("nw", "Machinery", "nordwind-industrie.example"),
    _GroupSpec("hd", "Manufacturing", "hdpm-group.example"),
    _GroupSpec("ht", "Electronics", "hengtong-tech.example"),
    _GroupSpec("af", "Food & Beverage", "alderfinch.example"),
    _GroupSpec("cp", "Manufacturing", "cascadia-pp.example"),
    _GroupSpec("tk", "Machinery", "tokai-precision.example"),
    _GroupSpec("vm", "Energy", "valmont-energie.example"),
    _GroupSpec("kl", "Food & Beverage", "kessler-lt.example"),
    _GroupSpec("pg", "Agriculture", "prairiegrain.example"),
    _GroupSpec("hp", "Transportation", "hanseport.example"),
    _GroupSpec("nt", "Manufacturing", "nordictimber.example"),
    _GroupSpec("hx", "Manufacturing", "haixing-pack.example"),
    _GroupSpec("sb", "Healthcare", "sunbridge-pharma.example", prospect=True),
    _GroupSpec("an", "Other", "andes-mineria.example", prospect=True),
)

# Every account, parents before children: (key, parent key, name, short name for deal
# names, country, state, hierarchy type). A row without parent starts the group of that key.
# fmt: off
_ACCOUNT_TABLE: Final[tuple[tuple[str, str, str, str, str, str, str], ...]] = (
    ("nw", "", "Nordwind Industrie Holding AG", "Nordwind Holding", "DE", "Bremen", _HQ),
    ("nw-ce", "nw", "Nordwind Central Europe GmbH", "Nordwind Central Europe",
     "DE", "Niedersachsen", _SUB),
    ("nw-ce-ham", "nw-ce", "Nordwind Central Europe GmbH - Werk Hamburg", "Nordwind Werk Hamburg",
     "DE", "Hamburg", _BRANCH),
    ("nw-ce-stg", "nw-ce", "Nordwind Central Europe GmbH - Werk Stuttgart",
     "Nordwind Werk Stuttgart", "DE", "Baden-Württemberg", _BRANCH),
    ("nw-ce-lei", "nw-ce", "Nordwind Central Europe GmbH - Werk Leipzig", "Nordwind Werk Leipzig",
     "DE", "Sachsen", _BRANCH),
    ("nw-ce-vie", "nw-ce", "Nordwind Central Europe GmbH - Niederlassung Wien", "Nordwind Wien",
     "AT", "Wien", _BRANCH),
    ("nw-am", "nw", "Nordwind Americas Inc.", "Nordwind Americas", "US", "Georgia", _SUB),
    ("nw-am-chi", "nw-am", "Nordwind Americas Inc. - Chicago Plant", "Nordwind Chicago",
     "US", "Illinois", _BRANCH),
    ("nw-am-clt", "nw-am", "Nordwind Americas Inc. - Charlotte Plant", "Nordwind Charlotte",
     "US", "North Carolina", _BRANCH),
    ("nw-am-mty", "nw-am", "Nordwind Americas Inc. - Monterrey Plant", "Nordwind Monterrey",
     "MX", "Nuevo León", _BRANCH),
    ("nw-am-qro", "nw-am", "Nordwind Americas Inc. - Querétaro Plant", "Nordwind Querétaro",
     "MX", "Querétaro", _BRANCH),
    ("hd", "", "华东精密制造集团有限公司", "华东精密集团", "CN", "Shanghai", _HQ),
    ("hd-sz", "hd", "华东精密（苏州）有限公司", "华东精密苏州", "CN", "Jiangsu", _SUB),
    ("hd-sz-wx", "hd-sz", "华东精密（苏州）有限公司无锡分公司", "华东精密无锡",
     "CN", "Jiangsu", _BRANCH),
    ("hd-sz-cz", "hd-sz", "华东精密（苏州）有限公司常州分公司", "华东精密常州",
     "CN", "Jiangsu", _BRANCH),
    ("hd-sz-nt", "hd-sz", "华东精密（苏州）有限公司南通分公司", "华东精密南通",
     "CN", "Jiangsu", _BRANCH),
    ("hd-nb", "hd", "华东精密（宁波）有限公司", "华东精密宁波", "CN", "Zhejiang", _SUB),
    ("hd-nb-hz", "hd-nb", "华东精密（宁波）有限公司杭州分公司", "华东精密杭州",
     "CN", "Zhejiang", _BRANCH),
    ("hd-nb-wz", "hd-nb", "华东精密（宁波）有限公司温州分公司", "华东精密温州",
     "CN", "Zhejiang", _BRANCH),
    ("hd-auto", "hd", "华东精密汽车零部件有限公司", "华东精密汽车零部件", "CN", "Anhui", _SUB),
    ("hd-auto-wh", "hd-auto", "华东精密汽车零部件有限公司芜湖分公司", "华东精密芜湖",
     "CN", "Anhui", _BRANCH),
    ("hd-bj", "hd", "华东精密制造集团有限公司北京分公司", "华东精密北京",
     "CN", "Beijing", _BRANCH),
    ("ht", "", "深圳恒通电子科技集团股份有限公司", "恒通电子集团", "CN", "Guangdong", _HQ),
    ("ht-dg", "ht", "东莞恒通电子有限公司", "东莞恒通", "CN", "Guangdong", _SUB),
    ("ht-dg-hz", "ht-dg", "东莞恒通电子有限公司惠州分公司", "东莞恒通惠州",
     "CN", "Guangdong", _BRANCH),
    ("ht-dg-zs", "ht-dg", "东莞恒通电子有限公司中山分公司", "东莞恒通中山",
     "CN", "Guangdong", _BRANCH),
    ("ht-cq", "ht", "恒通电子（重庆）有限公司", "恒通重庆", "CN", "Chongqing", _SUB),
    ("ht-cq-cd", "ht-cq", "恒通电子（重庆）有限公司成都分公司", "恒通成都",
     "CN", "Sichuan", _BRANCH),
    ("ht-wh", "ht", "恒通智能装备（武汉）有限公司", "恒通智能装备武汉", "CN", "Hubei", _SUB),
    ("ht-vn", "ht", "Hengtong Electronics Vietnam Co., Ltd.", "Hengtong Vietnam",
     "VN", "Bac Ninh", _SUB),
    ("ht-vn-hp", "ht-vn", "Hengtong Electronics Vietnam Co., Ltd. - Hai Phong Branch",
     "Hengtong Hai Phong", "VN", "Hai Phong", _BRANCH),
    ("af", "", "Alder & Finch Foods plc", "Alder & Finch", "GB", "England", _HQ),
    ("af-uk", "af", "Alder & Finch Foods UK Ltd", "Alder & Finch UK", "GB", "England", _SUB),
    ("af-uk-lds", "af-uk", "Alder & Finch Foods UK Ltd - Leeds Site", "A&F Leeds",
     "GB", "England", _BRANCH),
    ("af-uk-bri", "af-uk", "Alder & Finch Foods UK Ltd - Bristol Site", "A&F Bristol",
     "GB", "England", _BRANCH),
    ("af-uk-gla", "af-uk", "Alder & Finch Foods UK Ltd - Glasgow Site", "A&F Glasgow",
     "GB", "Scotland", _BRANCH),
    ("af-nl", "af", "Alder & Finch Nederland B.V.", "Alder & Finch NL",
     "NL", "Noord-Brabant", _SUB),
    ("af-nl-zwo", "af-nl", "Alder & Finch Nederland B.V. - Vestiging Zwolle", "A&F Zwolle",
     "NL", "Overijssel", _BRANCH),
    ("af-pl", "af", "Alder & Finch Polska Sp. z o.o.", "Alder & Finch Polska",
     "PL", "Mazowieckie", _SUB),
    ("cp", "", "Cascadia Paper & Packaging Corp.", "Cascadia", "US", "Washington", _HQ),
    ("cp-cb", "cp", "Cascadia Containerboard LLC", "Cascadia Containerboard",
     "US", "Oregon", _SUB),
    ("cp-cb-lv", "cp-cb", "Cascadia Containerboard LLC - Longview Mill", "Cascadia Longview",
     "US", "Washington", _BRANCH),
    ("cp-cb-eug", "cp-cb", "Cascadia Containerboard LLC - Eugene Box Plant", "Cascadia Eugene",
     "US", "Oregon", _BRANCH),
    ("cp-cb-sac", "cp-cb", "Cascadia Containerboard LLC - Sacramento Box Plant",
     "Cascadia Sacramento", "US", "California", _BRANCH),
    ("cp-ca", "cp", "Cascadia Packaging Canada Ltd.", "Cascadia Canada",
     "CA", "British Columbia", _SUB),
    ("cp-ca-cal", "cp-ca", "Cascadia Packaging Canada Ltd. - Calgary Plant", "Cascadia Calgary",
     "CA", "Alberta", _BRANCH),
    ("cp-int", "cp", "Cascadia Packaging International Holdings LLC", "Cascadia International",
     "US", "Delaware", _SUB),
    ("cp-br", "cp-int", "Cascadia Embalagens Ltda.", "Cascadia Brasil", "BR", "São Paulo", _SUB),
    ("cp-br-ctb", "cp-br", "Cascadia Embalagens Ltda. - Filial Curitiba", "Cascadia Curitiba",
     "BR", "Paraná", _BRANCH),
    ("cp-cl", "cp-int", "Cascadia Envases Chile SpA", "Cascadia Chile",
     "CL", "Región Metropolitana", _SUB),
    ("tk", "", "Tokai Precision Industries Co., Ltd.", "Tokai Precision", "JP", "Aichi", _HQ),
    ("tk-osa", "tk", "Tokai Precision Industries Co., Ltd. - Osaka Branch", "Tokai Osaka",
     "JP", "Osaka", _BRANCH),
    ("tk-kyu", "tk", "Tokai Precision Kyushu Co., Ltd.", "Tokai Kyushu", "JP", "Fukuoka", _SUB),
    ("tk-kyu-kum", "tk-kyu", "Tokai Precision Kyushu Co., Ltd. - Kumamoto Plant",
     "Tokai Kumamoto", "JP", "Kumamoto", _BRANCH),
    ("tk-th", "tk", "Tokai Precision (Thailand) Co., Ltd.", "Tokai Thailand", "TH", "Rayong", _SUB),
    ("tk-sg", "tk", "Tokai Precision Asia Pacific Pte. Ltd.", "Tokai Asia Pacific",
     "SG", "Singapore", _SUB),
    ("vm", "", "Groupe Valmont Énergie SA", "Valmont Énergie", "FR", "Île-de-France", _HQ),
    ("vm-svc", "vm", "Valmont Énergie Services SAS", "Valmont Services",
     "FR", "Auvergne-Rhône-Alpes", _SUB),
    ("vm-svc-lyo", "vm-svc", "Valmont Énergie Services SAS - Agence Lyon", "Valmont Lyon",
     "FR", "Auvergne-Rhône-Alpes", _BRANCH),
    ("vm-svc-gre", "vm-svc", "Valmont Énergie Services SAS - Agence Grenoble", "Valmont Grenoble",
     "FR", "Auvergne-Rhône-Alpes", _BRANCH),
    ("vm-svc-mrs", "vm-svc", "Valmont Énergie Services SAS - Agence Marseille",
     "Valmont Marseille", "FR", "Provence-Alpes-Côte d'Azur", _BRANCH),
    ("vm-es", "vm", "Valmont Energía España S.L.", "Valmont España", "ES", "Madrid", _SUB),
    ("vm-es-bio", "vm-es", "Valmont Energía España S.L. - Sucursal Bilbao", "Valmont Bilbao",
     "ES", "País Vasco", _BRANCH),
    ("vm-it", "vm", "Valmont Energia Italia S.r.l.", "Valmont Italia", "IT", "Lombardia", _SUB),
    ("kl", "", "Kessler Lebensmitteltechnik GmbH", "Kessler", "DE", "Bayern", _HQ),
    ("pg", "", "Prairie Grain Processing Co., Inc.", "Prairie Grain", "US", "Iowa", _HQ),
    ("hp", "", "Hanseatic Port Logistics GmbH", "Hanseatic Port", "DE", "Hamburg", _HQ),
    ("nt", "", "Nordic Timber AB", "Nordic Timber", "SE", "Västra Götaland", _HQ),
    ("hx", "", "宁波海星包装有限公司", "宁波海星包装", "CN", "Zhejiang", _HQ),
    ("sb", "", "Sunbridge Pharma Pte. Ltd.", "Sunbridge Pharma", "SG", "Singapore", _HQ),
    ("an", "", "Andes Minería S.A.", "Andes Minería", "CL", "Antofagasta", _HQ),
)
# fmt: on


@dataclass(frozen=True)
class _RepSpec:
    key: str
    name: str
    title: str
    tier: str
    region: str


_REPS: Final = (
    _RepSpec("lena", "Lena Hoffmann", "Key Account Manager", "key-account", "EMEA"),
    _RepSpec("jonas", "Jonas Weber", "Business Development Representative", "expansion", "EMEA"),
    _RepSpec("claire", "Claire Dubois", "Account Executive", "progression", "EMEA"),
    _RepSpec("chen", "Chen Jing", "Key Account Manager, Greater China", "key-account", "APAC"),
    _RepSpec("liu", "Liu Yang", "Account Executive", "progression", "APAC"),
    _RepSpec("kenji", "Kenji Sato", "Regional Sales Manager", "expansion", "APAC"),
    _RepSpec("sarah", "Sarah Mitchell", "Key Account Manager", "key-account", "Americas"),
    _RepSpec("diego", "Diego Ramírez", "Account Executive", "progression", "Americas"),
    _RepSpec(
        "ethan", "Ethan Brooks", "Business Development Representative", "expansion", "Americas"
    ),
)
_REP_DOMAIN: Final = "veltara.example"


@dataclass(frozen=True)
class _ProductSpec:
    name: str
    code: str
    family: str
    list_price_cents: int
    qty_min: int
    qty_max: int


_PRODUCTS: Final = (
    _ProductSpec("SafeScan Light Curtain LC-40", "SS-LC40", _SAFETY, 185000, 4, 40),
    _ProductSpec("SafeScan Laser Scanner LS-270", "SS-LS270", _SAFETY, 490000, 1, 12),
    _ProductSpec("SafeLock Door Interlock DI-2", "SS-DI2", _SAFETY, 42000, 10, 80),
    _ProductSpec("EdgeLink Gateway GW-300", "IG-GW300", _GATEWAYS, 230000, 2, 30),
    _ProductSpec("EdgeLink Gateway GW-500 5G", "IG-GW500", _GATEWAYS, 390000, 1, 15),
    _ProductSpec("EdgeLink Protocol Pack", "IG-PP", _GATEWAYS, 95000, 1, 20),
    _ProductSpec(
        "Predictive Maintenance Subscription (per line, 1 yr)",
        "MS-PMS",
        _MAINTENANCE,
        1200000,
        1,
        6,
    ),
    _ProductSpec("On-site Calibration Service", "MS-CAL", _MAINTENANCE, 320000, 1, 8),
    _ProductSpec("Maintenance Training Workshop", "MS-TRN", _MAINTENANCE, 550000, 1, 3),
    _ProductSpec("Cloud Monitor Plant License (1 yr)", "CM-PL", _CLOUD, 1800000, 1, 4),
    _ProductSpec("Cloud Monitor Sensor Seat Pack (100)", "CM-SEAT", _CLOUD, 240000, 1, 10),
    _ProductSpec("Cloud Monitor Analytics Add-on", "CM-AN", _CLOUD, 650000, 1, 3),
    _ProductSpec("Sensor Head Replacement Kit", "SP-SHK", _SPARES, 26000, 10, 150),
    _ProductSpec("Gateway Power Module", "SP-GPM", _SPARES, 18000, 5, 60),
    _ProductSpec("Cable and Connector Set", "SP-CCS", _SPARES, 4500, 20, 300),
)

_DEAL_SUFFIXES: Final[dict[str, tuple[str, ...]]] = {
    _SAFETY: ("retrofit", "line safety upgrade", "rollout"),
    _GATEWAYS: ("connectivity pilot", "rollout", "expansion"),
    _MAINTENANCE: ("service contract", "calibration", "training"),
    _CLOUD: ("pilot", "plant license", "renewal"),
    _SPARES: ("reorder", "annual order", "stock-up"),
}

# Name pools: culture -> (first names, last names); Chinese entries are "汉字|pinyin".
_NAMES: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "de": (
        (
            "Andreas",
            "Stefan",
            "Michael",
            "Julia",
            "Katharina",
            "Christian",
            "Jürgen",
            "Monika",
            "Tobias",
            "Claudia",
            "Frank",
            "Petra",
            "Matthias",
            "Birgit",
        ),
        (
            "Müller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Meyer",
            "Wagner",
            "Becker",
            "Hoffmann",
            "Koch",
            "Bauer",
            "Wolf",
            "Neumann",
            "Krüger",
            "Zimmermann",
            "Lange",
        ),
    ),
    "en": (
        (
            "James",
            "Michael",
            "Jennifer",
            "David",
            "Sarah",
            "Robert",
            "Emily",
            "Daniel",
            "Laura",
            "Brian",
            "Karen",
            "Steven",
            "Megan",
            "Paul",
        ),
        (
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Miller",
            "Davis",
            "Wilson",
            "Anderson",
            "Taylor",
            "Thomas",
            "Clark",
            "Lewis",
            "Walker",
            "Hall",
            "Young",
            "King",
        ),
    ),
    "fr": (
        (
            "Pierre",
            "Sophie",
            "Nicolas",
            "Camille",
            "Julien",
            "Isabelle",
            "Antoine",
            "Céline",
            "Mathieu",
            "Élodie",
        ),
        (
            "Martin",
            "Bernard",
            "Dubois",
            "Lefèvre",
            "Moreau",
            "Laurent",
            "Girard",
            "Roux",
            "Fournier",
            "Mercier",
        ),
    ),
    "es": (
        (
            "Carlos",
            "María",
            "Javier",
            "Lucía",
            "Alejandro",
            "Carmen",
            "Miguel",
            "Ana",
            "Jorge",
            "Sofía",
        ),
        (
            "García",
            "Rodríguez",
            "Martínez",
            "López",
            "Hernández",
            "González",
            "Pérez",
            "Sánchez",
            "Torres",
            "Flores",
        ),
    ),
    "pt": (
        ("João", "Ana", "Pedro", "Mariana", "Lucas", "Fernanda"),
        ("Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira"),
    ),
    "it": (
        ("Marco", "Giulia", "Luca", "Francesca", "Alessandro", "Chiara"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano"),
    ),
    "nl": (
        ("Jan", "Sanne", "Pieter", "Lotte", "Bram", "Eva"),
        ("de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser"),
    ),
    "pl": (
        ("Piotr", "Anna", "Tomasz", "Katarzyna", "Paweł", "Magdalena"),
        ("Nowak", "Mazur", "Krawczyk", "Zając", "Król", "Wróbel"),
    ),
    "sv": (
        ("Erik", "Anna", "Lars", "Karin", "Johan", "Maria"),
        ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson"),
    ),
    "jp": (
        ("Hiroshi", "Yuki", "Takeshi", "Naoko", "Kenji", "Ayumi", "Daisuke", "Emi"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura"),
    ),
    "th": (
        ("Somchai", "Niran", "Kanya", "Ploy", "Anan", "Malee"),
        ("Srisuk", "Chaiyaporn", "Wongsawat", "Rattanakorn", "Boonmee", "Suksawat"),
    ),
    "vi": (
        ("Minh", "Lan", "Hùng", "Thu", "Tuấn", "Hương"),
        ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"),
    ),
    "cn": (
        (
            "伟|Wei",
            "芳|Fang",
            "娜|Na",
            "敏|Min",
            "静|Jing",
            "丽|Li",
            "强|Qiang",
            "磊|Lei",
            "军|Jun",
            "洋|Yang",
            "勇|Yong",
            "艳|Yan",
            "杰|Jie",
            "涛|Tao",
            "明|Ming",
            "超|Chao",
            "秀英|Xiuying",
            "建国|Jianguo",
            "晓东|Xiaodong",
            "海燕|Haiyan",
            "志强|Zhiqiang",
        ),
        (
            "王|Wang",
            "李|Li",
            "张|Zhang",
            "刘|Liu",
            "陈|Chen",
            "杨|Yang",
            "黄|Huang",
            "赵|Zhao",
            "周|Zhou",
            "吴|Wu",
            "徐|Xu",
            "孙|Sun",
            "马|Ma",
            "朱|Zhu",
            "胡|Hu",
            "郭|Guo",
            "何|He",
            "林|Lin",
            "高|Gao",
            "罗|Luo",
        ),
    ),
}

# Contact titles by seniority level: (title, department).
_TITLES: Final[tuple[tuple[tuple[str, str], ...], ...]] = (
    (
        ("Chief Executive Officer", "Executive Management"),
        ("Chief Operating Officer", "Executive Management"),
        ("Chief Procurement Officer", "Procurement"),
        ("Managing Director", "Executive Management"),
        ("VP Operations", "Operations"),
        ("Chief Technology Officer", "Engineering"),
    ),
    (
        ("Head of Procurement", "Procurement"),
        ("Plant Manager", "Operations"),
        ("Director Engineering", "Engineering"),
        ("Head of Maintenance", "Maintenance"),
        ("Head of EHS", "EHS"),
        ("IT Director", "IT"),
        ("Category Manager Automation", "Procurement"),
    ),
    (
        ("Maintenance Engineer", "Maintenance"),
        ("Buyer", "Procurement"),
        ("EHS Manager", "EHS"),
        ("Automation Engineer", "Engineering"),
        ("Production Supervisor", "Operations"),
        ("OT Network Engineer", "IT"),
        ("Reliability Engineer", "Maintenance"),
    ),
)
_ATTITUDES: Final = ("Mentor", "Supporter", "Neutral", "Non-Supporter", "Enemy")
_ATTITUDE_WEIGHTS: Final = (1, 3, 4, 2, 1)
_INFLUENCE_BY_LEVEL: Final[tuple[tuple[str, ...], ...]] = (
    ("High", "High", "High", "Medium"),
    ("High", "Medium", "Medium", "Low"),
    ("Medium", "Low", "Low", "Low"),
)
_MULTI_ROLES: Final = (
    "Decision Maker",
    "Technical Buyer",
    "Evaluator",
    "Influencer",
    "Business User",
    "Champion",
    "Coach",
    "Executive Sponsor",
    "Other",
)
_SINGLE_ROLES: Final = (
    "Decision Maker",
    "Technical Buyer",
    "Evaluator",
    "Business User",
    "Champion",
    "Influencer",
)

_LOST_REASONS: Final = (
    "Lost to {c} on price; they undercut our quote by roughly 12%.",
    "Lost to {c}: incumbent supplier at this site, switching cost argument won.",
    "Lost to {c}; customer preferred their local service coverage.",
    "Lost to {c} - bundled with their PLC refresh.",
    "Lost to {c}; shorter delivery time (4 weeks vs. our 9).",
)
_WON_REASONS: Final = (
    "Won - plant team valued our on-site commissioning support.",
    "Won after a successful 4-week pilot on line 2.",
    "Won; integration with their MES was the deciding factor.",
    "Won on total cost of ownership, not on unit price.",
)
_CONTACT_NOTES: Final = (
    "Verified contact details on a call; prefers email over phone.",
    'Met at SPS Nuremberg; asked for the "predictive maintenance" whitepaper.',
    "Changed role internally - now also owns the {dept} budget.",
    "Introduced us to the regional procurement team.",
    "Skeptical about cloud solutions, data residency concerns.",
    "Was a champion of ours at a previous employer.",
)
_ACCOUNT_NOTES: Final = (
    "Quarterly account review: spend flat, pipeline healthy in {family}.",
    "Reorganisation announced; procurement to be centralised over the next 12 months.",
    "Site visit: three production lines, mixed competitor install base.",
    "Budget cycle starts in September; get proposals in before then.",
    "Asked for references from other sites in their industry.",
)
_CALLS: Final = (
    ("Call", "Call: follow-up on the quote"),
    ("Call", "Call: quarterly check-in"),
    ("Call", "Call: delivery and installation dates"),
    ("Email", "Email: sent the reference case"),
    ("Email", "Email: pricing clarification"),
)
_MEETINGS: Final = (
    ("Meeting", "Meeting: account review"),
    ("Meeting", "Site visit: production lines"),
    ("Meeting", "Workshop: requirements for the next phase"),
)
_PLAYBOOK_STEPS: Final = (
    "Step 1/4: Map the buying center at {name} (procurement, EHS, maintenance).",
    "Step 2/4: Secure an executive sponsor at group level.",
    "Step 3/4: Propose a group framework agreement for {family}.",
    "Step 4/4: Replicate the reference site at sister plants within 90 days.",
)


# ---------------------------------------------------------------------------
# Mutable records built while generating
# ---------------------------------------------------------------------------


@dataclass
class _Account:
    key: str
    id: str
    name: str
    short: str
    country: str
    state: str
    industry: str
    hierarchy: str
    parent: _Account | None
    group: str
    domain: str
    lei: str
    duns: str
    registration: str
    autonomous: bool
    prospect: bool

    @property
    def region(self) -> str:
        return _COUNTRIES[self.country][0]

    @property
    def currency(self) -> str:
        return _COUNTRIES[self.country][1]

    @property
    def culture(self) -> str:
        return _COUNTRIES[self.country][2]

    def ancestors(self) -> list[_Account]:
        chain: list[_Account] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


@dataclass(frozen=True)
class _Rep:
    key: str
    id: str
    name: str
    email: str
    title: str
    tier: str
    region: str


@dataclass(frozen=True)
class _Product:
    id: str
    spec: _ProductSpec


@dataclass
class _Contact:
    id: str
    account: _Account
    first: str
    last: str
    title: str
    department: str
    level: int
    reports_to: _Contact | None
    email: str
    attitude: str
    influence: str
    verified: date
    owner: _Rep
    linkedin: str = ""
    bounced_on: date | None = None


@dataclass
class _Line:
    product: _Product
    quantity: int
    unit_cents: int

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_cents


@dataclass
class _Opp:
    account: _Account
    family: str
    name: str
    stage: str
    created: datetime
    close: date
    owner: _Rep
    lost_to: str = ""
    competitors: list[str] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)
    roles: list[tuple[_Contact, str]] = field(default_factory=list)
    primary: int = 0
    id: str = ""
    term_months: int = 0  # the competitor's contract term, stated on a lost deal

    @property
    def amount_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)

    @property
    def is_closed(self) -> bool:
        return self.stage in (_WON, _LOST)


@dataclass(frozen=True)
class _Note:
    about_id: str
    kind: str
    on: date
    author: _Rep
    text: str


@dataclass
class _Touch:
    kind: str  # "Task" or "Event"
    contact: _Contact
    what_id: str
    owner: _Rep
    on: date
    type: str
    subject: str
    id: str = ""


@dataclass(frozen=True)
class _Policy:
    issuer: _Account
    family: str
    issued_on: date
    title: str
    applies_to: tuple[_Account, ...]


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


class _SfIds:
    """Hands out increasing, real-looking 18-character ids per key prefix."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._pod = rng.choice(_PODS)
        self._next: dict[str, int] = {}

    def new(self, prefix: str) -> str:
        if prefix not in self._next:
            self._next[prefix] = self._rng.randrange(62**5, 62**6)
        value = self._next[prefix]
        self._next[prefix] = value + self._rng.randint(1, 97)
        return sf_id18(prefix + self._pod + "0" + _base62(value, 9))


class _WaveGuard:
    """Rejects deals that would let three members of a group buy one family close together."""

    def __init__(self, window_days: int) -> None:
        self._window = window_days
        self._seen: dict[tuple[str, str], list[tuple[str, int, int]]] = {}

    def allows(self, account: _Account, family: str, created: date, close: date) -> bool:
        near: list[str] = []
        for other, other_created, other_close in self._seen.get((account.group, family), []):
            if other == account.key or other in near:
                continue
            if (
                abs(other_created - created.toordinal()) <= self._window
                or abs(other_close - close.toordinal()) <= self._window
            ):
                near.append(other)
        return len(near) < 2

    def add(self, account: _Account, family: str, created: date, close: date) -> None:
        entry = (account.key, created.toordinal(), close.toordinal())
        self._seen.setdefault((account.group, family), []).append(entry)


def _base62(value: int, width: int) -> str:
    digits = ""
    while value:
        value, rest = divmod(value, 62)
        digits = _BASE62[rest] + digits
    return digits.rjust(width, "0")


_FOLD: Final = {
    "ä": "ae",
    "ö": "oe",
    "ü": "ue",
    "ß": "ss",
    "ł": "l",
    "đ": "d",
    "Ä": "Ae",
    "Ö": "Oe",
    "Ü": "Ue",
}


def _ascii(text: str) -> str:
    """Lower-case ASCII letters and digits of a name, for e-mail local parts."""
    text = "".join(_FOLD.get(char, char) for char in text)
    text = unicodedata.normalize("NFKD", text)
    return "".join(char for char in text.lower() if char.isascii() and char.isalnum())


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + ".000+0000"


def _mod97_check(body: str) -> str:
    digits = "".join(str(int(char, 36)) for char in body)
    return f"{98 - int(digits + '00') % 97:02d}"


def _lei(rng: random.Random, country: str) -> str:
    chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    body = _LOU_PREFIXES[country] + "00" + "".join(rng.choice(chars) for _ in range(12))
    return body + _mod97_check(body)


def _uscc(rng: random.Random, state: str) -> str:
    """A Chinese unified social credit code (GB 32100-2015) with valid check characters."""
    org_body = [rng.randint(0, 9) for _ in range(8)]
    org_check = (
        11 - sum(w * v for w, v in zip((3, 7, 9, 10, 5, 8, 4, 2), org_body, strict=True)) % 11
    )
    org = "".join(str(v) for v in org_body) + {10: "X", 11: "0"}.get(org_check, str(org_check))
    body = "91" + _CN_DIVISIONS[state] + org
    total = sum(
        _USCC_CHARS.index(char) * weight for char, weight in zip(body, _USCC_WEIGHTS, strict=True)
    )
    return body + _USCC_CHARS[(31 - total % 31) % 31]


def _luhn_complete(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return digits + str((10 - total % 10) % 10)


def _digits(rng: random.Random, count: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(count - 1))


def _registration_code(rng: random.Random, country: str, state: str) -> str:
    """A registration number in the usual national format (not validated against registries)."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    match country:
        case "CN":
            return _uscc(rng, state)
        case "DE":
            return f"HRB {_digits(rng, rng.choice((5, 6)))}"
        case "AT":
            return f"FN {_digits(rng, 6)}{rng.choice('abdfkmpstvwxyz')}"
        case "GB":
            return "0" + _digits(rng, 7)
        case "NL" | "VN":
            return _digits(rng, 8 if country == "NL" else 10)
        case "PL":
            return "0000" + _digits(rng, 6)
        case "FR":
            return _luhn_complete(_digits(rng, 8))
        case "ES":
            return "B" + _digits(rng, 8)
        case "IT":
            return "IT" + _digits(rng, 11)
        case "SE":
            return f"556{_digits(rng, 3)}-{_digits(rng, 4)}"
        case "US":
            return f"{_digits(rng, 2)}-{_digits(rng, 7)}"
        case "CA":
            return _digits(rng, 9) + "RC0001"
        case "MX":
            return (
                "".join(rng.choice(letters) for _ in range(3))
                + _digits(rng, 6)
                + rng.choice(letters)
                + _digits(rng, 2)
            )
        case "BR":
            raw = _digits(rng, 8)
            return f"{raw[:2]}.{raw[2:5]}.{raw[5:]}/0001-{_digits(rng, 2)}"
        case "CL":
            raw = _digits(rng, 8)
            return f"{raw[:2]}.{raw[2:5]}.{raw[5:]}-{rng.choice('0123456789K')}"
        case "JP" | "TH":
            return _digits(rng, 13)
        case "SG":
            return f"20{rng.randint(10, 23)}{_digits(rng, 5)}{rng.choice(letters)}"
        case _:
            return ""


def _days(count: int) -> timedelta:
    return timedelta(days=count)


def _moment(rng: random.Random, on: date) -> datetime:
    return datetime.combine(on, time(rng.randint(6, 17), rng.randint(0, 59), rng.randint(0, 59)))


# ---------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------


class _Portfolio:
    """Builds every record in a fixed order from one seeded random stream."""

    def __init__(self, seed: int, today: date) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.ids = _SfIds(random.Random(self.rng.getrandbits(64)))
        self.today = today
        self.accounts: list[_Account] = []
        self.by_key: dict[str, _Account] = {}
        self.reps: list[_Rep] = []
        self.rep: dict[str, _Rep] = {}
        self.team: list[tuple[str, _Account, _Rep, str]] = []
        self.contacts: list[_Contact] = []
        self.products: list[_Product] = []
        self.opps: list[_Opp] = []
        self.notes: list[_Note] = []
        self.policies: list[_Policy] = []
        self.guard = _WaveGuard(_WAVE_GUARD_DAYS)
        self._emails: set[str] = set()
        self._duns: set[str] = set()
        self.group_kam: dict[str, _Rep] = {}
        self.wave_start = today
        self.policy_date = today
        self.caught_start = today
        self.showcase_won: _Opp | None = None
        self.showcase_lost: list[_Opp] = []
        # Touchpoints draw from their own streams: the other files stay as they were.
        self.touch_rng = random.Random(seed * 7919 + 104729)
        self.touch_ids = _SfIds(random.Random(self.touch_rng.getrandbits(64)))
        self.touch_ids._pod = self.ids._pod
        self.touches: list[_Touch] = []

    # -- structure ---------------------------------------------------------

    def build(self) -> None:
        self._build_reps()
        self._build_accounts()
        self._build_team()
        self._build_products()
        for spec in _GROUP_SPECS:
            self._build_contacts(spec)
        self._build_showcase()
        self._build_caught_wave()
        self._build_generic_deals()
        self._finish_opps()
        self._build_notes()
        self._build_policies()
        self._build_touchpoints()
        self._build_move()

    def _build_move(self) -> None:
        """The champion who moved: the Stuttgart champion of the showcase wave left, their
        email bounced, and a new record names them at another group's HQ; the LinkedIn URL on
        both records says it is one person (``people-moves``). Ids come from a stream of their
        own, so the other records stay as they were."""
        assert self.showcase_won is not None
        champion = next(c for c, role in self.showcase_won.roles if role == "Champion")
        ids = _SfIds(random.Random(self.seed * 104729 + 7919))
        ids._pod = self.ids._pod
        target = next(
            a
            for a in self.accounts
            if a.group != _KEY_GROUP and a.parent is None and a.country == champion.account.country
        )
        url = f"https://www.linkedin.com/in/{_ascii(champion.first)}-{_ascii(champion.last)}-4711"
        champion.linkedin = url + "/"
        champion.bounced_on = self.today - _days(45)
        local = f"{_ascii(champion.first)}.{_ascii(champion.last)}"
        self.contacts.append(
            _Contact(
                id=ids.new(_P_CONTACT),
                account=target,
                first=champion.first,
                last=champion.last,
                title="Head of Maintenance",
                department=champion.department,
                level=champion.level,
                reports_to=None,
                email=self._email(local, target.domain),
                attitude=champion.attitude,
                influence=champion.influence,
                verified=self.today - _days(30),
                owner=champion.owner,
                linkedin=url,
            )
        )

    def _build_reps(self) -> None:
        for spec in _REPS:
            first, last = spec.name.split(" ", 1)
            rep = _Rep(
                key=spec.key,
                id=self.ids.new(_P_USER),
                name=spec.name,
                email=f"{_ascii(first)}.{_ascii(last)}@{_REP_DOMAIN}",
                title=spec.title,
                tier=spec.tier,
                region=spec.region,
            )
            self.reps.append(rep)
            self.rep[rep.key] = rep

    def _build_accounts(self) -> None:
        rng = self.rng
        specs = {spec.key: spec for spec in _GROUP_SPECS}
        for key, parent_key, name, short, country, state, hierarchy in _ACCOUNT_TABLE:
            parent = self.by_key[parent_key] if parent_key else None
            spec = specs[parent.group if parent else key]
            legal_entity = hierarchy != _BRANCH
            registration = ""
            if legal_entity or country == "CN":
                registration = _registration_code(rng, country, state)
            lei = _lei(rng, country) if legal_entity and rng.random() < 0.85 else ""
            duns = _digits(rng, 9)
            while duns in self._duns:
                duns = _digits(rng, 9)
            self._duns.add(duns)
            if spec.key == _KEY_GROUP and hierarchy == _BRANCH:
                autonomous = True
            elif hierarchy == _BRANCH:
                autonomous = rng.random() < (0.45 if country == "CN" else 0.85)
            else:
                autonomous = rng.random() < 0.8
            account = _Account(
                key=key,
                id=self.ids.new(_P_ACCOUNT),
                name=name,
                short=short,
                country=country,
                state=state,
                industry=spec.industry,
                hierarchy=hierarchy,
                parent=parent,
                group=spec.key,
                domain=spec.domain,
                lei=lei,
                duns=duns,
                registration=registration,
                autonomous=autonomous,
                prospect=spec.prospect,
            )
            self.accounts.append(account)
            self.by_key[key] = account

    def _members(self, group: str) -> list[_Account]:
        return [account for account in self.accounts if account.group == group]

    def _region_reps(self, region: str, tiers: tuple[str, ...]) -> list[_Rep]:
        return [rep for rep in self.reps if rep.region == region and rep.tier in tiers]

    def _build_team(self) -> None:
        rng = self.rng
        for account in self.accounts:
            root = self.by_key[account.group]
            kam = self._region_reps(root.region, ("key-account",))[0]
            self.group_kam[account.group] = kam
            is_standalone = account.parent is None and not self._has_children(account)
            if is_standalone:
                rep = self._region_reps(account.region, ("progression",))[0]
                self._add_team(account, rep, "Account Manager")
            elif account.hierarchy == _HQ:
                self._add_team(account, kam, "Key Account Manager")
            elif account.hierarchy == _SUB:
                if rng.random() < 0.5:
                    self._add_team(account, kam, "Key Account Manager")
                else:
                    rep = rng.choice(self._region_reps(account.region, ("progression",)))
                    self._add_team(account, rep, "Account Manager")
            elif account.key == "nw-ce-stg":
                self._add_team(account, self.rep["jonas"], "Sales Rep")
            elif rng.random() < 0.65:
                rep = rng.choice(self._region_reps(account.region, ("expansion", "progression")))
                self._add_team(account, rep, "Sales Rep")

    def _has_children(self, account: _Account) -> bool:
        return any(other.parent is account for other in self.accounts)

    def _add_team(self, account: _Account, rep: _Rep, role: str) -> None:
        self.team.append((self.ids.new(_P_TEAM_MEMBER), account, rep, role))

    def _team_reps(self, account: _Account) -> list[_Rep]:
        return [rep for _, member, rep, _ in self.team if member is account]

    def _build_products(self) -> None:
        for spec in _PRODUCTS:
            self.products.append(_Product(self.ids.new(_P_PRODUCT), spec))

    # -- contacts ------------------------------------------------------------

    def _name(self, culture: str) -> tuple[str, str, str, str]:
        """(first, last, ascii first, ascii last) for a culture."""
        firsts, lasts = _NAMES[culture]
        first, last = self.rng.choice(firsts), self.rng.choice(lasts)
        if culture == "cn":
            first_cn, first_py = first.split("|")
            last_cn, last_py = last.split("|")
            return first_cn, last_cn, _ascii(first_py), _ascii(last_py)
        return first, last, _ascii(first), _ascii(last)

    def _email(self, local: str, domain: str) -> str:
        candidate = f"{local}@{domain}"
        counter = 2
        while candidate in self._emails:
            candidate = f"{local}{counter}@{domain}"
            counter += 1
        self._emails.add(candidate)
        return candidate

    def _add_contact(
        self,
        account: _Account,
        level: int,
        *,
        name: tuple[str, str] | None = None,
        title: tuple[str, str] | None = None,
        attitude: str | None = None,
        influence: str | None = None,
        verified_days: int | None = None,
        reports_to: _Contact | None = None,
        owner: _Rep | None = None,
    ) -> _Contact:
        rng = self.rng
        if name is None:
            first, last, first_ascii, last_ascii = self._name(account.culture)
        else:
            first, last = name
            first_ascii, last_ascii = _ascii(first), _ascii(last)
        if account.culture == "cn":
            local = f"{last_ascii}.{first_ascii}"
        else:
            local = f"{first_ascii}.{last_ascii}"
        chosen_title = title if title is not None else rng.choice(_TITLES[level])
        if verified_days is None:
            verified_days = rng.randint(5, 170) if rng.random() < 0.65 else rng.randint(190, 700)
        if owner is None:
            team = self._team_reps(account)
            owner = team[0] if team else self.group_kam[account.group]
        contact = _Contact(
            id=self.ids.new(_P_CONTACT),
            account=account,
            first=first,
            last=last,
            title=chosen_title[0],
            department=chosen_title[1],
            level=level,
            reports_to=reports_to,
            email=self._email(local, account.domain),
            attitude=attitude
            if attitude is not None
            else rng.choices(_ATTITUDES, _ATTITUDE_WEIGHTS)[0],
            influence=influence
            if influence is not None
            else rng.choice(_INFLUENCE_BY_LEVEL[level]),
            verified=self.today - _days(verified_days),
            owner=owner,
        )
        self.contacts.append(contact)
        return contact

    def _build_contacts(self, spec: _GroupSpec) -> None:
        if spec.key == _KEY_GROUP:
            self._build_key_group_contacts()
            return
        rng = self.rng
        members = self._members(spec.key)
        if len(members) == 1:
            account = members[0]
            count = 1 if spec.prospect else rng.randint(1, 3)
            top: _Contact | None = None
            for index in range(count):
                level = 0 if index == 0 else rng.randint(1, 2)
                manager = top if top is not None and rng.random() < 0.6 else None
                contact = self._add_contact(account, level, reports_to=manager)
                top = top or contact
            return
        created: list[_Contact] = [self._add_contact(members[0], 0)]
        weights = [1 if m.hierarchy == _HQ else 3 if m.hierarchy == _SUB else 2 for m in members]
        for _ in range(rng.randint(5, 8)):
            account = rng.choices(members, weights)[0]
            level = rng.randint(0, 1) if account.hierarchy != _BRANCH else rng.randint(1, 2)
            boss: _Contact | None = None
            if level > 0 and rng.random() < 0.65:
                scope = [account, *account.ancestors()]
                bosses = [c for c in created if c.level < level and c.account in scope]
                if bosses:
                    boss = rng.choice(bosses)
            created.append(self._add_contact(account, level, reports_to=boss))

    def _build_key_group_contacts(self) -> None:
        """Fixed contacts for the showcase group: every one of them outside the group HQ."""
        k = self.by_key
        vogel = self._add_contact(
            k["nw-ce"],
            0,
            name=("Katrin", "Vogel"),
            title=("Head of Operations Central Europe", "Operations"),
            attitude="Supporter",
            influence="High",
            verified_days=240,
            owner=self.rep["lena"],
        )
        brandt = self._add_contact(
            k["nw-ce-stg"],
            1,
            name=("Markus", "Brandt"),
            title=("Plant Manager", "Operations"),
            attitude="Mentor",
            influence="High",
            verified_days=35,
            reports_to=vogel,
            owner=self.rep["jonas"],
        )
        self._add_contact(
            k["nw-ce-stg"],
            2,
            name=("Sabine", "Keller"),
            title=("Maintenance Lead", "Maintenance"),
            attitude="Supporter",
            influence="Medium",
            verified_days=60,
            reports_to=brandt,
            owner=self.rep["jonas"],
        )
        self._add_contact(
            k["nw-ce-lei"],
            2,
            name=("Thomas", "Richter"),
            title=("Buyer", "Procurement"),
            attitude="Neutral",
            influence="Low",
            verified_days=310,
            owner=self.rep["claire"],
        )
        self._add_contact(
            k["nw-ce-ham"],
            2,
            name=("Anja", "Schulz"),
            title=("EHS Manager", "EHS"),
            attitude="Neutral",
            influence="Medium",
            verified_days=420,
            owner=self.rep["claire"],
        )
        hayes = self._add_contact(
            k["nw-am"],
            1,
            name=("Robert", "Hayes"),
            title=("Director Regional Procurement", "Procurement"),
            attitude="Neutral",
            influence="Medium",
            verified_days=200,
            owner=self.rep["sarah"],
        )
        self._add_contact(
            k["nw-am-chi"],
            2,
            name=("Kevin", "O'Brien"),
            title=("Maintenance Supervisor", "Maintenance"),
            attitude="Non-Supporter",
            influence="Low",
            verified_days=150,
            owner=self.rep["ethan"],
        )
        self._add_contact(
            k["nw-am-clt"],
            2,
            name=("Lisa", "Moreno"),
            title=("Automation Engineer", "Engineering"),
            attitude="Supporter",
            influence="Low",
            verified_days=90,
            reports_to=hayes,
            owner=self.rep["diego"],
        )

    def _contacts_at(self, account: _Account) -> list[_Contact]:
        return [contact for contact in self.contacts if contact.account is account]

    # -- deals ---------------------------------------------------------------

    def _lines(self, account: _Account, family: str, scale: float, full_range: bool) -> list[_Line]:
        rng = self.rng
        candidates = [product for product in self.products if product.spec.family == family]
        count = len(candidates) if full_range else rng.randint(1, len(candidates))
        chosen = rng.sample(candidates, count)
        chosen.sort(key=lambda product: product.spec.code)
        lines: list[_Line] = []
        rate = _RATE_PCT[account.currency]
        for product in chosen:
            spec = product.spec
            quantity = max(1, round(rng.randint(spec.qty_min, spec.qty_max) * scale))
            unit = spec.list_price_cents * rate * rng.randint(85, 100) // 10000
            unit = max(100, unit // 100 * 100)
            lines.append(_Line(product, quantity, unit))
        return lines

    def _pick_competitor(self, region: str) -> str:
        rng = self.rng
        local = [name for name, home in _COMPETITORS if home == region]
        if local and rng.random() < 0.6:
            return rng.choice(local)
        return rng.choice([name for name, _ in _COMPETITORS])

    def _owner(self, account: _Account) -> _Rep:
        rng = self.rng
        team = self._team_reps(account)
        if team and rng.random() < 0.85:
            return rng.choice(team)
        return rng.choice(
            self._region_reps(account.region, ("expansion", "progression", "key-account"))
        )

    def _opp_name(self, account: _Account, family: str, created: date) -> str:
        return (
            f"{account.short} - {family} {self.rng.choice(_DEAL_SUFFIXES[family])} {created.year}"
        )

    def _add_opp(
        self,
        account: _Account,
        family: str,
        created_on: date,
        close: date,
        stage: str,
        owner: _Rep,
        *,
        lost_to: str = "",
        competitors: tuple[str, ...] = (),
        scale: float = 1.0,
        full_range: bool = False,
    ) -> _Opp:
        opp = _Opp(
            account=account,
            family=family,
            name=self._opp_name(account, family, created_on),
            stage=stage,
            created=_moment(self.rng, created_on),
            close=close,
            owner=owner,
            lost_to=lost_to,
            competitors=list(competitors),
            lines=self._lines(account, family, scale, full_range),
        )
        self.opps.append(opp)
        self.guard.add(account, family, created_on, close)
        return opp

    def _role(self, opp: _Opp, contact: _Contact, role: str, *, primary: bool = False) -> None:
        if primary:
            opp.primary = len(opp.roles)
        opp.roles.append((contact, role))

    def _build_showcase(self) -> None:
        """The missed wave in the key group (see module docstring)."""
        rng, k, today = self.rng, self.by_key, self.today
        start = today - _days(rng.randint(222, 236))
        self.wave_start = start
        self.policy_date = start - _days(rng.randint(19, 23))

        created = start + _days(rng.randint(0, 3))
        won = self._add_opp(
            k["nw-ce-stg"],
            _WAVE_FAMILY,
            created,
            created + _days(rng.randint(38, 50)),
            _WON,
            self.rep["jonas"],
            competitors=(_OSTWALD,),
            scale=1.4,
            full_range=True,
        )
        stuttgart = self._contacts_at(k["nw-ce-stg"])
        self._role(won, stuttgart[0], "Decision Maker", primary=True)
        self._role(won, stuttgart[1], "Champion")
        self._role(won, self._contacts_at(k["nw-ce"])[0], "Influencer")
        self.notes.append(
            _Note(
                won.account.id,
                "note",
                created + _days(2),
                self.rep["jonas"],
                "Plant manager M. Brandt: group HQ in Bremen issued a directive to standardise "
                "safety sensors across all plants this spring; Stuttgart is moving first.",
            )
        )
        self.showcase_won = won

        losses = (
            ("nw-ce-lei", (6, 12), (28, 40), _OSTWALD, "claire"),
            ("nw-am-chi", (14, 22), (25, 35), _BRIGHTLINE, "ethan"),
            ("nw-am-mty", (26, 34), (20, 30), _OSTWALD, "diego"),
        )
        for key, created_range, cycle_range, competitor, owner in losses:
            created = start + _days(rng.randint(*created_range))
            lost = self._add_opp(
                k[key],
                _WAVE_FAMILY,
                created,
                created + _days(rng.randint(*cycle_range)),
                _LOST,
                self.rep[owner],
                lost_to=competitor,
                competitors=(competitor,),
            )
            at_site = self._contacts_at(k[key])
            if at_site:
                self._role(lost, at_site[0], "Evaluator", primary=True)
            # The sales rep noted the competitor's one-year term (displacement-calendar).
            lost.term_months = 12
            self.showcase_lost.append(lost)

    def _build_caught_wave(self) -> None:
        """The deliberate smaller wave in 华东精密 that we won at three branches."""
        rng, k, today = self.rng, self.by_key, self.today
        start = today - _days(rng.randint(395, 410))
        self.caught_start = start
        plan = (("hd-sz-wx", (0, 4)), ("hd-nb-hz", (10, 16)), ("hd-auto-wh", (22, 30)))
        for key, created_range in plan:
            account = k[key]
            created = start + _days(rng.randint(*created_range))
            opp = self._add_opp(
                account,
                _CAUGHT_WAVE_FAMILY,
                created,
                created + _days(rng.randint(25, 45)),
                _WON,
                self.rep["liu"] if key != "hd-auto-wh" else self.rep["chen"],
                competitors=(_HUAZHONG,) if key == "hd-nb-hz" else (),
            )
            self._default_roles(opp)

    def _build_generic_deals(self) -> None:
        rng, today = self.rng, self.today
        for account in self.accounts:
            if account.prospect or account.key == _KEY_GROUP:
                continue
            families = [
                family
                for family in _FAMILIES
                if not (account.group == _KEY_GROUP and family == _WAVE_FAMILY)
                and not (account.group == _CAUGHT_GROUP and family == _CAUGHT_WAVE_FAMILY)
            ]
            low, high = {_HQ: (2, 4), _SUB: (3, 5), _BRANCH: (2, 5)}[account.hierarchy]
            if account.parent is None and not self._has_children(account):
                low, high = 2, 5
            count = rng.randint(low, high) + (1 if self._contacts_at(account) else 0)
            for _ in range(count):
                for _attempt in range(40):
                    family = rng.choice(families)
                    created = today - _days(rng.randint(1, _HISTORY_DAYS))
                    cycle = rng.randint(21, 140)
                    close = created + _days(cycle)
                    if self.guard.allows(account, family, created, close):
                        break
                else:
                    continue
                self._generic_opp(account, family, created, close, cycle)

    def _generic_opp(
        self, account: _Account, family: str, created: date, close: date, cycle: int
    ) -> None:
        rng, today = self.rng, self.today
        competitors: list[str] = []
        lost_to = ""
        if close < today and rng.random() < 0.04:
            stage = "Negotiation/Review"  # slipped deal: still open, close date in the past
        elif close < today:
            stage = _WON if rng.random() < 0.5 else _LOST
        else:
            progress = (today - created).days / cycle
            stage = _OPEN_STAGES[min(3, int(progress * 4))]
        if stage == _LOST and rng.random() < 0.82:
            lost_to = self._pick_competitor(account.region)
            competitors.append(lost_to)
        if (
            stage in (_WON, _LOST)
            and rng.random() < 0.35
            or stage in _OPEN_STAGES
            and rng.random() < 0.4
        ):
            extra = self._pick_competitor(account.region)
            if extra not in competitors:
                competitors.append(extra)
        opp = self._add_opp(
            account,
            family,
            created,
            close,
            stage,
            self._owner(account),
            lost_to=lost_to,
            competitors=tuple(competitors),
        )
        if rng.random() < 0.9:
            self._default_roles(opp)

    def _default_roles(self, opp: _Opp) -> None:
        rng = self.rng
        account = opp.account
        candidates = self._contacts_at(account)
        for ancestor in account.ancestors():
            candidates.extend(self._contacts_at(ancestor))
        if not candidates:
            return
        if len(candidates) == 1 or rng.random() < 0.35:
            chosen = [rng.choice(candidates[:3])]
            self._role(opp, chosen[0], rng.choice(_SINGLE_ROLES), primary=True)
            return
        chosen = rng.sample(candidates, min(len(candidates), rng.randint(2, 4)))
        chosen.sort(key=lambda contact: contact.level)
        with_buyer = rng.random() < 0.65
        for index, contact in enumerate(chosen):
            if index == 0 and with_buyer:
                role = rng.choice(("Economic Buyer", "Economic Buyer", "Economic Decision Maker"))
            else:
                role = rng.choice(_MULTI_ROLES)
            self._role(opp, contact, role)
        opp.primary = rng.randrange(len(opp.roles))

    def _finish_opps(self) -> None:
        self.opps.sort(key=lambda opp: (opp.created, opp.account.id, opp.family))
        for opp in self.opps:
            opp.id = self.ids.new(_P_OPPORTUNITY)

    # -- notes and policies -------------------------------------------------

    def _build_notes(self) -> None:
        rng, today = self.rng, self.today
        leipzig, chicago = self.showcase_lost[0], self.showcase_lost[1]
        won = self.showcase_won
        assert won is not None
        self.notes.append(
            _Note(
                leipzig.id,
                "note",
                leipzig.close + _days(2),
                self.rep["claire"],
                f"Lost to {_OSTWALD} - buyer referred to the new group safety directive and "
                "Ostwald's group framework pricing.",
            )
        )
        self.notes.append(
            _Note(
                chicago.id,
                "note",
                chicago.close + _days(1),
                self.rep["ethan"],
                f"Lost to {_BRIGHTLINE}; we only talked to maintenance and never saw the "
                "procurement decision.",
            )
        )
        self.notes.append(
            _Note(
                won.id,
                "note",
                won.close,
                self.rep["jonas"],
                "Won: light curtains, scanners and interlocks for two press lines. "
                "Brandt offered a reference visit.",
            )
        )
        hamburg = self.by_key["nw-ce-ham"]
        self.notes.append(
            _Note(
                hamburg.id,
                "note",
                today - _days(430),
                self.rep["claire"],
                "EHS manager mentioned an upcoming machine-safety audit across the German plants.",
            )
        )
        self.notes.append(
            _Note(
                self.by_key[_CAUGHT_GROUP].id,
                "note",
                self.caught_start - _days(12),
                self.rep["liu"],
                "集团总部发文要求各分公司统一部署设备云监控平台 (HQ directive: one "
                "equipment cloud monitoring platform for all branches). Coordinating with "
                "Chen Jing to cover Wuxi, Hangzhou, Wuhu.",
            )
        )
        for opp in self.opps:
            if (
                opp.stage == _LOST
                and opp.lost_to
                and rng.random() < 0.45
                and opp.account.group != _KEY_GROUP
            ):
                text = rng.choice(_LOST_REASONS).format(c=opp.lost_to)
                self.notes.append(
                    _Note(opp.id, "note", opp.close + _days(rng.randint(0, 5)), opp.owner, text)
                )
            elif opp.stage == _WON and rng.random() < 0.3 and opp is not won:
                text = rng.choice(_WON_REASONS)
                self.notes.append(
                    _Note(opp.id, "note", opp.close + _days(rng.randint(0, 5)), opp.owner, text)
                )
        for contact in self.contacts:
            if rng.random() < 0.35:
                text = rng.choice(_CONTACT_NOTES).format(dept=contact.department.lower())
                self.notes.append(_Note(contact.id, "note", contact.verified, contact.owner, text))
        for spec in _GROUP_SPECS:
            members = self._members(spec.key)
            kam = self.group_kam[spec.key]
            for _ in range(rng.randint(1, 3) if len(members) > 1 else rng.randint(0, 1)):
                about = rng.choice(members)
                text = rng.choice(_ACCOUNT_NOTES).format(family=rng.choice(_FAMILIES))
                self.notes.append(
                    _Note(about.id, "note", today - _days(rng.randint(3, 700)), kam, text)
                )
        playbooks = (
            ("hd", "hd", _MAINTENANCE),
            ("cp", "cp-cb", _SAFETY),
            ("af", "af", _CLOUD),
            ("vm", "vm-svc", _GATEWAYS),
            ("nw", "nw-ce", _GATEWAYS),
        )
        for group, about_key, family in playbooks:
            about = self.by_key[about_key]
            begin = today - _days(rng.randint(60, 500))
            for index, step in enumerate(_PLAYBOOK_STEPS):
                text = step.format(name=about.name, family=family)
                self.notes.append(
                    _Note(
                        about.id, "playbook", begin + _days(14 * index), self.group_kam[group], text
                    )
                )

    def _build_policies(self) -> None:
        rng, k, today = self.rng, self.by_key, self.today
        issued = self.policy_date
        self.policies.append(
            _Policy(
                k[_KEY_GROUP],
                _WAVE_FAMILY,
                issued,
                f"Konzernrichtlinie {issued.year}-{issued.month:02d}: Standardisierung "
                "Maschinensicherheit (safety sensors) in allen Werken",
                (),
            )
        )
        self.policies.append(
            _Policy(
                k[_CAUGHT_GROUP],
                _CAUGHT_WAVE_FAMILY,
                self.caught_start - _days(rng.randint(18, 22)),
                "关于统一部署设备云监控平台的通知 / "
                "Notice on a group-wide equipment cloud monitoring platform",
                (k["hd-sz-wx"], k["hd-nb-hz"], k["hd-auto-wh"]),
            )
        )
        self.policies.append(
            _Policy(
                k["cp"],
                _SPARES,
                today - _days(rng.randint(590, 610)),
                "Preferred supplier list: MRO spare parts",
                (),
            )
        )
        self.policies.append(
            _Policy(
                k["vm"],
                _MAINTENANCE,
                today - _days(rng.randint(150, 170)),
                "Cadre achats groupe : services de maintenance prédictive",
                (k["vm-es"], k["vm-it"]),
            )
        )
        self.policies.append(
            _Policy(
                k["tk"],
                _GATEWAYS,
                today - _days(rng.randint(35, 45)),
                "Gateway standardisation for the smart-factory programme",
                (),
            )
        )
        self.policies.sort(key=lambda policy: (policy.issued_on, policy.issuer.id))

    # -- touchpoints -----------------------------------------------------------

    def _touch_counts(self, group: str, contacts: list[_Contact]) -> dict[str, int]:
        """Touchpoints per contact id: one or two go-to people, a long tail, many with none."""
        rng = self.touch_rng
        counts: dict[str, int] = {}
        if group == _KEY_GROUP:
            fixed = {
                "Keller": 26,  # the Maintenance Lead everybody calls: not her title's rank
                "Brandt": 9,
                "Hayes": 14,  # our only line into Nordwind Americas
                "Moreno": 0,
                "O'Brien": 3,
                "Vogel": 2,
                "Richter": 1,
                "Schulz": 0,
            }
            return {c.id: fixed.get(c.last, 0) for c in contacts}
        go_to = set(rng.sample(range(len(contacts)), min(len(contacts), rng.choice((1, 1, 2)))))
        for index, contact in enumerate(contacts):
            if index in go_to:
                counts[contact.id] = rng.randint(12, 24)
            elif rng.random() < 0.4:
                counts[contact.id] = 0
            else:
                counts[contact.id] = rng.choice((1, 1, 2, 2, 3, 4, 6))
        return counts

    def _touch_reps(self, contact: _Contact) -> list[_Rep]:
        """Who talks to a contact: the owner, sometimes one more rep of the account's team."""
        if contact.account.group == _KEY_GROUP:
            return [contact.owner]
        others = [r for r in self._team_reps(contact.account) if r is not contact.owner]
        if others and self.touch_rng.random() < 0.3:
            return [contact.owner, self.touch_rng.choice(others)]
        return [contact.owner]

    def _build_touchpoints(self) -> None:
        rng, today = self.touch_rng, self.today
        opps_at: dict[str, list[_Opp]] = {}
        for opp in self.opps:
            opps_at.setdefault(opp.account.key, []).append(opp)
        for spec in _GROUP_SPECS:
            contacts = [c for c in self.contacts if c.account.group == spec.key]
            if not contacts:
                continue
            counts = self._touch_counts(spec.key, contacts)
            for contact in contacts:
                reps = self._touch_reps(contact)
                for _ in range(counts[contact.id]):
                    on = today - _days(rng.randint(1, 540))
                    owner = reps[0] if len(reps) == 1 or rng.random() < 0.7 else reps[1]
                    deals = [
                        o for o in opps_at.get(contact.account.key, []) if o.created.date() <= on
                    ]
                    pick = rng.random()
                    if deals and pick < 0.3:
                        what = rng.choice(deals).id
                    elif pick < 0.85:
                        what = contact.account.id
                    else:
                        what = ""
                    if rng.random() < 0.3:
                        kind, (activity, subject) = "Event", rng.choice(_MEETINGS)
                    else:
                        kind, (activity, subject) = "Task", rng.choice(_CALLS)
                    self.touches.append(_Touch(kind, contact, what, owner, on, activity, subject))
        self.touches.sort(key=lambda t: (t.on, t.contact.id, t.kind, t.subject))
        for touch in self.touches:
            touch.id = self.touch_ids.new(_P_EVENT if touch.kind == "Event" else _P_TASK)

    # -- output rows ---------------------------------------------------------

    def rows(self) -> dict[str, list[list[str]]]:
        won_accounts = {opp.account.key for opp in self.opps if opp.stage == _WON}
        out: dict[str, list[list[str]]] = {}
        out["Account"] = [
            [
                a.id,
                a.name,
                a.parent.id if a.parent else "",
                "Customer" if a.key in won_accounts else "Prospect",
                a.industry,
                a.country,
                a.state,
                a.region,
                a.hierarchy,
                a.lei,
                a.duns,
                a.registration,
                _bool(a.autonomous),
                "false",
            ]
            for a in self.accounts
        ]
        out["User"] = [[r.id, r.name, r.email, r.title, r.tier] for r in self.reps]
        out["AccountTeamMember"] = [[tid, a.id, r.id, role] for tid, a, r, role in self.team]
        out["Contact"] = [
            [
                c.id,
                c.account.id,
                c.first,
                c.last,
                c.title,
                c.department,
                c.reports_to.id if c.reports_to else "",
                c.email,
                c.attitude,
                c.influence,
                c.verified.isoformat(),
                c.owner.id,
                c.linkedin,
                _bool(c.bounced_on is not None),
                c.bounced_on.isoformat() if c.bounced_on else "",
            ]
            for c in self.contacts
        ]
        out["Product2"] = [[p.id, p.spec.name, p.spec.code, p.spec.family] for p in self.products]
        out["Opportunity"] = [
            [
                o.id,
                o.account.id,
                o.name,
                o.stage,
                _bool(o.is_closed),
                _bool(o.stage == _WON),
                _money(o.amount_cents),
                o.account.currency,
                o.close.isoformat(),
                _timestamp(o.created),
                o.owner.id,
                o.lost_to,
                str(o.term_months) if o.term_months else "",
            ]
            for o in self.opps
        ]
        out["OpportunityLineItem"] = [
            [
                self.ids.new(_P_LINE_ITEM),
                o.id,
                line.product.id,
                str(line.quantity),
                _money(line.unit_cents),
                _money(line.total_cents),
            ]
            for o in self.opps
            for line in o.lines
        ]
        out["OpportunityCompetitor"] = [
            [self.ids.new(_P_COMPETITOR), o.id, name] for o in self.opps for name in o.competitors
        ]
        out["OpportunityContactRole"] = [
            [self.ids.new(_P_CONTACT_ROLE), o.id, contact.id, role, _bool(index == o.primary)]
            for o in self.opps
            for index, (contact, role) in enumerate(o.roles)
        ]
        out["Task"] = [
            [
                t.id,
                t.contact.id,
                t.what_id,
                t.owner.id,
                t.on.isoformat(),
                t.type,
                t.subject,
                "Completed",
            ]
            for t in self.touches
            if t.kind == "Task"
        ]
        out["Event"] = [
            [t.id, t.contact.id, t.what_id, t.owner.id, t.on.isoformat(), t.type, t.subject]
            for t in self.touches
            if t.kind == "Event"
        ]
        out["finance"] = self._finance_rows()
        out["fx"] = fx_rows(self.today)
        notes = sorted(
            (note for note in self.notes if note.on <= self.today),
            key=lambda note: (note.on, note.about_id, note.kind, note.text),
        )
        out["notes"] = [
            [f"NOTE-{index:04d}", n.about_id, n.kind, n.on.isoformat(), n.author.id, n.text]
            for index, n in enumerate(notes, start=1)
        ]
        out["policies"] = [
            [
                f"POL-{index:04d}",
                p.issuer.id,
                p.family,
                p.issued_on.isoformat(),
                p.title,
                ";".join(a.id for a in p.applies_to) if p.applies_to else "all",
            ]
            for index, p in enumerate(self.policies, start=1)
        ]
        return out

    def _finance_rows(self) -> list[list[str]]:
        rng, today = self.rng, self.today
        entries: list[tuple[date, str, str, int, str]] = []
        for opp in self.opps:
            if opp.stage != _WON:
                continue
            parts = rng.choices((1, 2, 3), (60, 25, 15))[0]
            total = opp.amount_cents
            share = total // parts
            for index in range(parts):
                on = opp.close + _days(7 + 30 * index)
                amount = share if index < parts - 1 else total - share * (parts - 1)
                if on <= today:
                    entries.append((on, "invoice", opp.account.id, amount, opp.account.currency))
        billed = {opp.account.key for opp in self.opps}
        for account in self.accounts:
            if account.key not in billed:
                continue
            rate = _RATE_PCT[account.currency]
            for _ in range(rng.randint(1, 4)):
                on = today - _days(rng.randint(1, _HISTORY_DAYS))
                amount = rng.randint(150, 9000) * rate
                entries.append((on, "cost", account.id, amount, account.currency))
        entries.sort()
        rows: list[list[str]] = []
        counters = {"invoice": 0, "cost": 0}
        for on, kind, account_id, amount, currency in entries:
            counters[kind] += 1
            prefix = "INV" if kind == "invoice" else "CST"
            rows.append(
                [
                    f"{prefix}-{counters[kind]:06d}",
                    account_id,
                    on.isoformat(),
                    _money(amount),
                    currency,
                    kind,
                ]
            )
        return rows


#: Weeks of exchange rates the demo ships (every amount it bills is younger).
_FX_WEEKS: Final = 260


def fx_rates(today: date) -> list[tuple[date, dict[str, float]]]:
    """Weekly reference rates per 1 EUR (the ECB shape) for the demo's currencies, drifting
    gently around the ratios its amounts are drawn with (:data:`_RATE_PCT`). A function of
    ``today`` alone: the portfolio's random stream is not touched."""
    first = today - _days(7 * _FX_WEEKS)
    first -= _days(first.weekday())  # Mondays
    out = []
    for week in range(_FX_WEEKS + 1):
        on = first + _days(7 * week)
        if on > today:
            break
        drift = {"USD": 0.04 * math.sin(week / 9), "CNY": 0.03 * math.sin(week / 13)}
        out.append(
            (on, {c: round(_RATE_PCT[c] / 100 * (1 + drift[c]), 4) for c in ("USD", "CNY")})
        )
    return out


def fx_rows(today: date) -> list[list[str]]:
    """:func:`fx_rates` as the rows of an ECB-shaped ``fx.csv`` (Date, USD, CNY).

    The first week of each year has no CNY rate (``N/A``, as the ECB file writes a currency
    it did not quote that day): that week's CNY amounts use the week before.
    """
    return [
        [
            on.isoformat(),
            f"{rates['USD']:.4f}",
            "N/A" if on.isocalendar().week == 1 else f"{rates['CNY']:.4f}",
        ]
        for on, rates in fx_rates(today)
    ]


def generate_demo(
    directory: Path, *, seed: int = 7, today: date = date(2026, 11, 1)
) -> DemoManifest:
    """Write the demo portfolio CSVs into ``directory`` (created if missing) and describe them.

    The same ``seed`` and ``today`` always produce byte-identical files.
    """
    portfolio = _Portfolio(seed, today)
    portfolio.build()
    rows = portfolio.rows()
    directory.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for name, file_name in _FILE_NAMES.items():
        path = directory / file_name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(HEADERS[name])
            writer.writerows(rows[name])
        files[name] = path
    key_group = portfolio.by_key[_KEY_GROUP]
    return DemoManifest(
        directory=directory,
        key_group_id=key_group.id,
        key_group_name=key_group.name,
        wave_family=_WAVE_FAMILY,
        files=files,
    )
