"""Generate a large, realistic help-center corpus for benchmarking the build.

    python bench/generate_corpus.py --articles 10000 --out bench/out/corpus-10000 [--seed 1]

Writes N published facility-management articles in 10-14 top-level categories, each with
subcategories and _category.yml files. Every article has valid front matter, 3-7 `##` sections
(paragraphs, numbered and bulleted lists, tables, admonitions, error codes such as E1234) and
relative links to other generated articles, some with an anchor to one of their headings.
The same seed always gives the same files. At the default 200-token chunk size an article
makes about 5 chunks. Needs only the standard library.
"""

from __future__ import annotations

import argparse
import posixpath
import random
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Vocabulary. Articles combine a category's own objects and screens with shared assets, sites,
# roles, fields and symptoms, so that titles and bodies differ from one article to the next.
# --------------------------------------------------------------------------------------------

# slug, title, description, icon, error-code prefix (first digit of E-codes), objects, screens,
# subcategories (slug, title, description)
CATEGORIES = [
    ("work-orders", "Work orders", "Raise, assign, track and close reactive maintenance jobs.", "material/clipboard-text", 1,
     ["work order", "job request", "service ticket", "callout", "emergency job", "follow-on job", "quote request", "labour entry"],
     ["Work orders > New", "Work orders > Board", "Work orders > Settings > Priorities", "Work orders > Templates"],
     [("creating", "Creating jobs", "Raise jobs from the web, the app, email and QR codes."),
      ("assigning", "Assigning and dispatch", "Send jobs to the right technician or contractor."),
      ("closing", "Completing and closing", "Sign off work, record costs and close jobs.")]),
    ("ppm", "Preventive maintenance", "Plan recurring maintenance visits, run checklists and track compliance.", "material/calendar-sync", 2,
     ["PPM schedule", "maintenance plan", "inspection round", "statutory visit", "service interval", "checklist template", "task list"],
     ["PPM > Schedules", "PPM > Calendar", "PPM > Checklists", "PPM > Compliance"],
     [("scheduling", "Scheduling", "Build schedules and recurrence rules."),
      ("checklists", "Checklists", "Design inspection checklists and readings."),
      ("compliance", "Compliance", "Track statutory inspections and certificates.")]),
    ("assets", "Assets and equipment", "Register equipment, organise it by location and track its life.", "material/package-variant", 3,
     ["asset record", "asset register", "asset hierarchy", "asset class", "warranty", "condition survey", "asset tag", "lifecycle plan"],
     ["Assets > Register", "Assets > Classes", "Assets > Import", "Assets > Warranties"],
     [("registers", "Asset registers", "Add, import and organise asset records."),
      ("meters", "Meters and readings", "Record runtime hours and meter readings."),
      ("labels", "Labels and QR codes", "Print and scan asset labels.")]),
    ("locations", "Sites and locations", "Model your portfolio of sites, buildings, floors and spaces.", "material/office-building", 4,
     ["site", "building", "floor plan", "space", "zone", "access point", "site contact", "opening hours"],
     ["Locations > Sites", "Locations > Floor plans", "Locations > Spaces", "Locations > Site access"],
     [("buildings", "Buildings and floors", "Set up buildings, floors and floor plans."),
      ("spaces", "Spaces and zones", "Rooms, zones and space bookings."),
      ("site-access", "Site access", "Keys, permits and visitor rules per site.")]),
    ("patrols", "Patrols and checkpoints", "Set up guard tours, scan checkpoints and respond to missed scans.", "material/shield-check", 5,
     ["patrol route", "checkpoint", "guard tour", "incident report", "patrol schedule", "NFC tag", "lone worker check"],
     ["Patrols > Routes", "Patrols > Checkpoints", "Patrols > Incidents", "Patrols > Live map"],
     [("routes", "Routes", "Design routes and patrol schedules."),
      ("checkpoints", "Checkpoints", "Place and print checkpoint tags."),
      ("incidents", "Incidents", "Report and follow up incidents found on patrol.")]),
    ("attendance", "Attendance and shifts", "Clock in and out, build rotas and approve timesheets.", "material/clock-outline", 6,
     ["shift", "rota", "timesheet", "clock-in", "overtime policy", "leave request", "geofence", "shift swap"],
     ["Attendance > Rota", "Attendance > Timesheets", "Attendance > Geofences", "Attendance > Leave"],
     [("clocking", "Clocking in and out", "Punches, geofences and kiosks."),
      ("rotas", "Rotas", "Shift patterns, swaps and cover."),
      ("timesheets", "Timesheets", "Approve hours and export to payroll.")]),
    ("inventory", "Spare parts and inventory", "Keep stock of spare parts and consumables across your stores.", "material/warehouse", 7,
     ["spare part", "stock item", "store room", "purchase order", "stock take", "reorder level", "parts kit", "goods receipt"],
     ["Inventory > Items", "Inventory > Stores", "Inventory > Purchase orders", "Inventory > Stock takes"],
     [("stock", "Stock", "Items, stores and stock levels."),
      ("purchasing", "Purchasing", "Purchase orders, approvals and receipts."),
      ("stock-takes", "Stock takes", "Count and reconcile stock.")]),
    ("contractors", "Contractors and vendors", "Onboard contractors, check their documents and pay their invoices.", "material/account-hard-hat", 8,
     ["contractor", "vendor", "insurance certificate", "method statement", "risk assessment", "contractor invoice", "rate card"],
     ["Contractors > Directory", "Contractors > Documents", "Contractors > Invoices", "Contractors > Portal"],
     [("onboarding", "Onboarding", "Invite contractors and set up their portal."),
      ("documents", "Compliance documents", "Insurance, RAMS and permits."),
      ("invoices", "Invoices", "Match, approve and export invoices.")]),
    ("helpdesk", "Helpdesk and requests", "Take requests from building users and meet your service levels.", "material/headset", 9,
     ["service request", "request form", "SLA policy", "escalation rule", "requester", "satisfaction survey", "auto-reply"],
     ["Helpdesk > Inbox", "Helpdesk > Forms", "Helpdesk > SLA policies", "Helpdesk > Escalations"],
     [("request-portal", "Request portal", "Forms and the portal building users see."),
      ("sla", "Service levels", "Response and fix targets, pauses and breaches."),
      ("notifications", "Notifications", "Emails, texts and push messages.")]),
    ("reports", "Reports and dashboards", "Run, schedule and export reports and build dashboards.", "material/chart-box", 6,
     ["report", "dashboard", "KPI tile", "scheduled export", "report filter", "data extract", "pivot view"],
     ["Reports > Library", "Reports > Dashboards", "Reports > Schedules", "Reports > Exports"],
     [("standard-reports", "Standard reports", "The built-in report library."),
      ("dashboards", "Dashboards", "Tiles, filters and sharing."),
      ("exports", "Exports", "CSV, Excel and scheduled extracts.")]),
    ("mobile-app", "Mobile app", "Install the app, work offline and fix sync problems.", "material/cellphone", 1,
     ["mobile app", "offline mode", "push notification", "photo upload", "barcode scanner", "app update", "device registration"],
     ["Me > Settings", "Me > Sync status", "Me > Offline data", "Me > Help"],
     [("installing", "Installing", "Install, sign in and register devices."),
      ("offline", "Working offline", "Download data and sync later."),
      ("app-troubleshooting", "Troubleshooting the app", "Fix common app problems.")]),
    ("administration", "Administration", "Manage users, roles, security settings and billing.", "material/account-cog", 7,
     ["user account", "role", "permission set", "audit log", "password policy", "two-factor login", "billing plan", "team"],
     ["Settings > Users", "Settings > Roles", "Settings > Security", "Settings > Billing"],
     [("users", "Users", "Invite, deactivate and group users."),
      ("roles", "Roles and permissions", "Decide who can see and do what."),
      ("security", "Security", "Passwords, two-factor login and audit logs."),
      ("billing", "Billing", "Plans, invoices and licences.")]),
    ("integrations", "Integrations and API", "Connect Sitekeeper to your ERP, BMS, identity provider and other tools.", "material/api", 8,
     ["API key", "webhook", "ERP connector", "BMS alarm feed", "single sign-on", "SCIM provisioning", "CSV import"],
     ["Settings > Integrations", "Settings > API keys", "Settings > Webhooks", "Settings > Single sign-on"],
     [("api", "REST API", "Keys, limits and endpoints."),
      ("webhooks", "Webhooks", "Send events to other systems."),
      ("connectors", "Connectors", "ERP, BMS and identity connectors.")]),
    ("energy", "Energy and sustainability", "Track utility meters, consumption and carbon across your sites.", "material/leaf", 9,
     ["utility meter", "consumption target", "carbon report", "sub-meter", "tariff", "energy alert", "waste record"],
     ["Energy > Meters", "Energy > Targets", "Energy > Carbon", "Energy > Alerts"],
     [("meters", "Utility meters", "Meters, sub-meters and automatic reads."),
      ("carbon", "Carbon reporting", "Emission factors and carbon reports."),
      ("alerts", "Energy alerts", "Out-of-hours use and spikes.")]),
]

ASSETS = [
    "rooftop chiller", "air handling unit", "gas boiler", "fire door", "passenger lift", "goods lift", "escalator",
    "emergency lighting circuit", "sprinkler valve set", "fire alarm panel", "backup generator", "UPS battery string",
    "cooling tower", "water heater", "thermostatic mixing valve", "fume cupboard", "CCTV camera", "access control reader",
    "intruder alarm", "roller shutter", "loading dock leveller", "HVAC filter bank", "solar inverter", "EV charger",
    "heat pump", "fan coil unit", "booster pump set", "grease trap", "cold room", "walk-in freezer", "kitchen extract hood",
    "dry riser", "lightning protection system", "automatic door", "revolving door", "BMS controller", "variable speed drive",
    "transformer", "switchboard", "distribution board", "water softener", "legionella outlet", "rainwater harvesting tank",
    "car park barrier", "baby change unit", "hand dryer", "vending machine", "server room CRAC unit", "smoke damper",
    "fire extinguisher", "defibrillator", "gate motor", "window cleaning cradle", "fall arrest anchor", "lighting controller",
    "PIR sensor", "irrigation controller", "pool filtration plant", "steam boiler", "compressor", "forklift charger",
]

SITE_PREFIXES = ["Harbourside", "Kingsgate", "Northfield", "Riverside", "Westbrook", "Oakmere", "Eastlake", "Silverdale",
                 "Crown Point", "Millbank", "Ashford", "Beacon Hill", "Castlegate", "Fairview", "Greenway", "Highcross",
                 "Lakeside", "Meridian", "Parkside", "Queensway", "Redhill", "Stonebridge", "Thornbury", "Victoria Quay"]
SITE_SUFFIXES = ["Tower", "Retail Park", "Distribution Centre", "Hospital", "Campus", "Business Park", "Depot", "Academy",
                 "Shopping Centre", "Data Centre", "Hotel", "Leisure Centre", "Medical Centre", "Office Park", "Stadium"]
SITE_TYPES = ["retail sites", "hospitals", "schools", "office buildings", "warehouses", "data centres", "hotels",
              "residential blocks", "leisure centres", "universities", "airports", "laboratories", "car parks",
              "factories", "multi-tenant buildings", "government buildings"]

ROLES = ["admin", "supervisor", "technician", "contractor", "helpdesk agent", "site manager", "guard", "requester",
         "finance approver", "portfolio manager", "store keeper", "energy manager", "compliance officer", "auditor"]
TEAMS = ["ops-docs", "field-docs", "platform-docs", "support-team", "product-docs", "integrations-docs"]

FIELDS = ["Priority", "Due date", "Asset tag", "Cost centre", "Trade", "Location", "Assignee", "Fault category",
          "Response target", "Fix target", "Access notes", "Purchase order number", "Risk rating", "Reading unit",
          "Frequency", "Start date", "Estimated hours", "Labour rate", "Serial number", "Manufacturer", "Model",
          "Install date", "Warranty expiry", "Condition score", "Criticality", "Parent asset", "Meter type",
          "Reorder level", "Supplier", "Unit cost", "Approval limit", "Shift type", "Break length", "Pay code",
          "Geofence radius", "Requester email", "Form name", "Escalation after", "Tag ID", "Scan window",
          "Retention period", "Time zone", "Language", "Default site", "Notification channel", "Budget code",
          "Permit type", "Contract end", "Tariff", "Emission factor", "Target value", "Alert threshold"]

SYMPTOMS = ["does not appear on the board", "shows the wrong site", "stays in Pending", "is assigned twice",
            "loses its attachments", "fails to sync", "shows an old reading", "cannot be saved",
            "sends no notification", "duplicates on import", "shows the wrong time zone", "skips a visit",
            "is missing from the report", "rejects the QR scan", "opens blank on the phone", "breaches its SLA early",
            "keeps the old assignee", "cannot be closed", "shows a negative stock level", "exports with empty columns",
            "is blocked by the geofence", "reopens on its own", "displays an outdated price", "does not reach the ERP",
            "shows a permission error", "loses the signature", "charges the wrong cost centre", "uploads the photo twice"]

ACTIONS = ["create", "edit", "bulk update", "archive", "import", "export", "assign", "approve", "schedule", "duplicate",
           "merge", "restore", "review", "configure", "print", "share", "link", "tag", "audit", "reconcile"]
GERUNDS = {"create": "creating", "edit": "editing", "bulk update": "bulk updating", "archive": "archiving",
           "import": "importing", "export": "exporting", "assign": "assigning", "approve": "approving",
           "schedule": "scheduling", "duplicate": "duplicating", "merge": "merging", "restore": "restoring",
           "review": "reviewing", "configure": "configuring", "print": "printing", "share": "sharing",
           "link": "linking", "tag": "tagging", "audit": "auditing", "reconcile": "reconciling"}
QUALIFIERS = ["for a whole portfolio", "from the mobile app", "in bulk from a spreadsheet", "for contractors",
              "across several sites", "with approval", "out of hours", "for statutory compliance", "by email",
              "with QR codes", "for a new site", "after a handover", "for shared buildings", "with custom fields",
              "on a tablet kiosk", "with a template", "for a single floor", "during a shutdown", "for night shifts",
              "with cost limits", "for a pilot team", "without internet", "for a tenant", "with photos"]
PERIODS = ["every day", "every week", "every two weeks", "every month", "every quarter", "twice a year", "every year",
           "every 500 running hours", "every 30 days", "every 90 days"]
CAUSES = ["the record was edited on two devices at once", "the user lost access to the site", "a required field is empty",
          "the asset was archived", "the file is larger than 25 MB", "the session expired", "the template was changed",
          "the contractor's insurance has expired", "the meter was replaced", "the time zone of the site is wrong",
          "the import file uses a different date format", "the API key was revoked", "the store has no stock left",
          "the approval limit was exceeded", "the recurrence rule ends before the start date", "the tag was re-used"]
OUTCOMES = ["the job moves to the technician's phone", "the change shows on the board within a minute",
            "supervisors get a summary email", "the audit log records who made the change",
            "the next visit is planned automatically", "the dashboard tiles refresh", "the requester is told by email",
            "the cost is added to the site budget", "the stock level goes down", "the certificate is attached to the asset",
            "the SLA clock pauses", "the record is locked for editing"]
ADVERBS = ["usually", "normally", "often", "typically", "tend to"]
CONNECTORS = ["Afterwards", "Once saved", "From then on", "At the same time", "As a result", "When this happens"]

ADMONITIONS = ["note", "tip", "warning", "info", "important"]
ARTICLE_KINDS = ["howto", "howto", "howto", "troubleshoot", "reference", "concept", "faq"]


@dataclass
class Plan:
    """What an article is about, decided before any body is written so links can point anywhere."""
    id: str
    title: str
    path: str  # relative to the corpus root
    category: tuple[str, ...]
    spec: tuple
    kind: str
    obj: str
    asset: str
    action: str
    qualifier: str
    site_type: str
    codes: list[str]
    headings: list[tuple[str, str]] = field(default_factory=list)  # (text, anchor)


# --------------------------------------------------------------------------------------------


def slugify(value: str, separator: str = "-") -> str:
    """The anchor Python-Markdown's toc extension gives a heading (markdown.extensions.toc.slugify)."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(rf"[{separator}\s]+", separator, value)


def file_slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", title.lower()).split()
    out = []
    for word in words:
        if len("-".join(out + [word])) > 64:
            break
        out.append(word)
    return "-".join(out)


def a_or_an(noun: str) -> str:
    return ("an " if noun[0].lower() in "aeiou" else "a ") + noun


def plural(noun: str) -> str:
    head, _, last = noun.rpartition(" ")
    if last[-1:] == "y" and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def error_catalogue(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """For each category, 120 error codes with a fixed message, so a code means the same thing everywhere."""
    catalogue = {}
    for spec in CATEGORIES:
        prefix = spec[4]
        numbers = rng.sample(range(prefix * 1000, prefix * 1000 + 1000), 120)
        catalogue[spec[0]] = [(f"E{n}", f"{cap(rng.choice(spec[5]))} {rng.choice(SYMPTOMS)}") for n in sorted(numbers)]
    return catalogue


def pick_categories(rng: random.Random) -> list[tuple]:
    count = rng.randint(10, 14)
    chosen = rng.sample(range(len(CATEGORIES)), count)
    return [CATEGORIES[i] for i in sorted(chosen)]


def make_title(rng: random.Random, kind: str, spec, obj: str, asset: str, action: str, qualifier: str,
               site_type: str, code: tuple[str, str]) -> str:
    if kind == "howto":
        form = rng.randrange(4)
        if form == 0:
            return cap(f"{action} {a_or_an(obj)} {qualifier}")
        if form == 1:
            return cap(f"{action} {plural(obj)} for {plural(asset)}")
        if form == 2:
            return cap(f"{action} {a_or_an(obj)} at {site_type}")
        return cap(f"{action} {asset} {plural(obj)} {qualifier}")
    if kind == "troubleshoot":
        form = rng.randrange(3)
        if form == 0:
            return f"Error {code[0]}: {code[1].lower()}"
        if form == 1:
            return cap(f"{obj} {rng.choice(SYMPTOMS)} when {GERUNDS[action]} {plural(asset)}")
        return cap(f"{asset} {obj} {rng.choice(SYMPTOMS)}")
    if kind == "reference":
        return cap(rng.choice([f"{obj} fields for {plural(asset)}", f"{obj} statuses and what they mean at {site_type}",
                               f"{obj} settings {qualifier}", f"{obj} limits for {plural(asset)}"]))
    if kind == "concept":
        return cap(rng.choice([f"how {plural(obj)} work {qualifier}", f"what {a_or_an(obj)} is for {plural(asset)}",
                               f"{plural(obj)} explained for {site_type}", f"planning {plural(obj)} for {plural(asset)}"]))
    return cap(rng.choice([f"{obj} questions from {site_type}", f"{asset} {obj} FAQ", f"{obj} FAQ {qualifier}"]))


def plan_articles(n: int, rng: random.Random, categories: list[tuple], catalogue) -> list[Plan]:
    # Every category and subcategory gets articles; categories differ in size like real help centers.
    weights = [rng.uniform(0.6, 1.6) for _ in categories]
    plans: list[Plan] = []
    ids: set[str] = set()
    for i in range(n):
        spec = categories[i % len(categories)] if i < len(categories) * 4 else rng.choices(categories, weights)[0]
        subs = spec[7]
        roll = rng.random()
        if roll < 0.15:
            category = (spec[0],)
        else:
            sub = subs[(i // len(categories)) % len(subs)] if i < len(categories) * 4 else rng.choice(subs)
            category = (spec[0], sub[0])
        kind = rng.choice(ARTICLE_KINDS)
        codes = rng.sample(catalogue[spec[0]], 4)
        for attempt in range(50):
            obj, asset, action = rng.choice(spec[5]), rng.choice(ASSETS), rng.choice(ACTIONS)
            qualifier, site_type = rng.choice(QUALIFIERS), rng.choice(SITE_TYPES)
            title = make_title(rng, kind, spec, obj, asset, action, qualifier, site_type, codes[0])
            slug = file_slug(title)
            if attempt > 20:  # a crowded corner of the vocabulary: make the title unique
                title = f"{title} ({rng.choice(SITE_PREFIXES)} {rng.choice(SITE_SUFFIXES)})"
                slug = file_slug(title) + f"-{i}"
            if slug and slug not in ids:
                break
        ids.add(slug)
        path = posixpath.join(*category, slug + ".md")
        plans.append(Plan(slug, title, path, category, spec, kind, obj, asset, action, qualifier, site_type, codes))
    return plans


# ------------------------------------------------------------------------ body text --------


class Writer:
    """Writes the body of one article from its plan."""

    def __init__(self, plan: Plan, rng: random.Random, plans: list[Plan], by_category: dict[tuple, list[int]]):
        self.p = plan
        self.rng = rng
        self.plans = plans
        self.by_category = by_category
        self.site = f"{rng.choice(SITE_PREFIXES)} {rng.choice(SITE_SUFFIXES)}"
        self.fields = rng.sample(FIELDS, 8)
        self.roles = rng.sample(ROLES, 3)
        self.screen = rng.choice(plan.spec[6])
        self.links_left = rng.randint(1, 3)

    # small pieces --------------------------------------------------------------------------
    def fill(self, template: str) -> str:
        r = self.rng
        return template.format(
            obj=self.p.obj, objs=plural(self.p.obj), a_obj=a_or_an(self.p.obj), asset=self.p.asset,
            assets=plural(self.p.asset), site=self.site, site_type=self.p.site_type, role=self.roles[0],
            role2=self.roles[1], role3=self.roles[2], field=f"**{self.fields[0]}**", field2=f"**{self.fields[1]}**",
            field3=f"**{self.fields[2]}**", screen=f"**{self.screen}**", period=r.choice(PERIODS),
            cause=r.choice(CAUSES), outcome=r.choice(OUTCOMES), adverb=r.choice(ADVERBS),
            connector=r.choice(CONNECTORS), action=self.p.action, acting=GERUNDS[self.p.action],
            n=r.randint(2, 12), n2=r.randint(15, 60), pct=r.choice([5, 10, 15, 20, 25, 50]), code=self.p.codes[0][0],
            symptom=r.choice(SYMPTOMS), qualifier=self.p.qualifier,
        )

    def sentences(self, count: int) -> str:
        return " ".join(cap(self.fill(t)) for t in self.rng.sample(SENTENCES, count))

    def link(self) -> str | None:
        """A relative link to another article, preferably in the same category, maybe to a heading."""
        if self.links_left <= 0:
            return None
        self.links_left -= 1
        r = self.rng
        pool = self.by_category.get(self.p.category, [])
        other = self.plans[r.choice(pool)] if pool and r.random() < 0.6 else r.choice(self.plans)
        if other is self.p:
            return None
        target = posixpath.relpath(other.path, posixpath.dirname(self.p.path) or ".")
        if other.headings and r.random() < 0.35:
            text, anchor = r.choice(other.headings)
            return f"[{text.lower()}]({target}#{anchor})"
        return f"[{other.title[:1].lower() + other.title[1:]}]({target})"

    # sections ------------------------------------------------------------------------------
    def intro(self) -> list[str]:
        text = self.sentences(self.rng.randint(3, 5))
        link = self.link() if self.rng.random() < 0.5 else None
        if link:
            text += f" If you are new to this, start with {link}."
        return [text]

    def steps(self) -> list[str]:
        r = self.rng
        lines = [self.fill(r.choice(STEP_LEADS)), ""]
        menu = self.screen
        items = [f"Go to **{menu}** and select **{r.choice(['New', 'Add', 'Edit', 'Bulk actions', 'Configure'])}**.",
                 *[cap(self.fill(t)) for t in r.sample(STEPS, r.randint(3, 6))],
                 f"Select **{r.choice(['Save', 'Save and close', 'Publish', 'Apply', 'Submit for approval'])}**."]
        lines += [f"{i}. {item}" for i, item in enumerate(items, 1)]
        lines += ["", self.sentences(r.randint(1, 2))]
        return lines

    def table(self) -> list[str]:
        r = self.rng
        lines = [self.fill(r.choice(TABLE_LEADS)), "", "| Field | What it does | Example |", "|---|---|---|"]
        for name in r.sample(FIELDS, r.randint(4, 6)):
            lines.append(f"| **{name}** | {self.fill(r.choice(FIELD_MEANINGS))} | {r.choice(EXAMPLES)} |")
        lines += ["", self.sentences(r.randint(1, 2))]
        return lines

    def errors(self) -> list[str]:
        r = self.rng
        lines = [self.fill(r.choice(ERROR_LEADS)), ""]
        for code, message in self.p.codes[: r.randint(2, 4)]:
            lines.append(f"- **{code} {message}**: {cap(self.fill(r.choice(CAUSE_TEMPLATES)))}")
        lines += ["", self.sentences(r.randint(1, 2))]
        return lines

    def admonition(self) -> list[str]:
        r = self.rng
        kind = r.choice(ADMONITIONS)
        head = f'!!! {kind} "{r.choice(ADMONITION_TITLES)}"' if r.random() < 0.4 else f"!!! {kind}"
        return [self.sentences(r.randint(2, 4)), "", head, "    " + self.sentences(r.randint(2, 3))]

    def bullets(self) -> list[str]:
        r = self.rng
        lines = [self.fill(r.choice(BULLET_LEADS)), ""]
        lines += [f"- {cap(self.fill(t))}" for t in r.sample(BULLETS, r.randint(4, 6))]
        link = self.link()
        if link:
            lines += ["", f"See also {link}."]
        return lines

    def prose(self) -> list[str]:
        r = self.rng
        parts = [self.sentences(r.randint(3, 4))]
        if r.random() < 0.7:
            parts += ["", self.sentences(r.randint(2, 3))]
        link = self.link()
        if link:
            parts[-1] += f" For more detail, read {link}."
        return parts

    def code_block(self) -> list[str]:
        r = self.rng
        kind = r.choice(["json", "text"])
        if kind == "json":
            body = ['{', f'  "{self.fields[0].lower().replace(" ", "_")}": "{r.choice(EXAMPLES)}",',
                    f'  "site": "{self.site}",', f'  "status": "{r.choice(["open", "on_hold", "closed"])}"', '}']
        else:
            body = [f"{self.p.codes[0][0]} {self.p.codes[0][1]}", f"site={self.site.lower().replace(' ', '-')} ref=DX-{r.randint(10000, 99999)}"]
        return [self.sentences(r.randint(2, 3)), "", f"```{kind}", *body, "```", "", self.sentences(1)]

    def section_plan(self) -> list[tuple[str, str]]:
        """(heading, kind) for the 3-7 sections of this article; headings are unique within it."""
        r = self.rng
        count = r.choices([3, 4, 5, 6, 7], [40, 34, 14, 8, 4])[0]
        by_kind = {
            "howto": ["steps", "table", "bullets", "admonition", "prose", "errors", "steps", "code_block"],
            "troubleshoot": ["errors", "bullets", "steps", "prose", "admonition", "code_block", "errors"],
            "reference": ["table", "table", "bullets", "errors", "prose", "admonition"],
            "concept": ["prose", "bullets", "prose", "table", "admonition", "steps"],
            "faq": ["prose", "prose", "bullets", "prose", "admonition", "errors"],
        }[self.p.kind]
        kinds = [by_kind[i % len(by_kind)] for i in range(count)]
        seen = {slugify(self.p.title)}
        out = []
        for kind in kinds:
            for _ in range(30):
                heading = self.fill(r.choice(HEADINGS[kind]))
                heading = cap(heading)
                if slugify(heading) not in seen:
                    break
            else:
                heading = f"{cap(heading)} ({len(out) + 1})"
            seen.add(slugify(heading))
            out.append((heading, kind))
        return out


SENTENCES = [
    "Use {a_obj} to keep track of work on {assets} at {site}.",
    "{cap_role} users can {action} {objs} from {screen} without asking an admin.",
    "Teams at {site_type} {adverb} review their {objs} {period}.",
    "{connector}, {outcome}.",
    "If {cause}, Sitekeeper shows {code} and keeps your changes as a draft.",
    "The {field} and {field2} fields decide who sees the {obj} and when it is due.",
    "A {role} can only see {objs} for the sites they are assigned to.",
    "Most workspaces have between {n} and {n2} {objs} per site, so filters matter.",
    "Changes to {a_obj} are recorded in the audit log together with the name of the {role2}.",
    "When {acting} {objs} {qualifier}, check the {field} first.",
    "{site} keeps a separate {obj} for each {asset} so that costs stay with the right building.",
    "About {pct}% of problems with {assets} are found during planned visits rather than by building users.",
    "You can filter the list by {field}, {field2} or {field3}.",
    "The {role3} gets a notification when the {obj} changes status.",
    "Sitekeeper keeps the history of every {obj} for at least {n} months.",
    "Nothing is sent to building users until the {obj} is published.",
    "For {assets}, add the manufacturer's service interval so the plan matches the warranty terms.",
    "Archived {objs} stay searchable but no longer appear on the board.",
    "The same settings apply on the web and in the mobile app.",
    "If several sites share {a_asset_phrase}, create one {obj} per site and link them.",
    "Your changes are saved as you type; select **Undo** within {n} seconds to revert them.",
    "{connector}, the {role} can add photos, notes and a signature.",
    "Use the **Export** button to download the {objs} you filtered as a CSV file.",
    "Large imports run in the background and send an email when they finish.",
    "At {site}, the {role} checks the {obj} list at the start of every shift.",
    "Each {obj} belongs to one site; moving it to another site keeps its history.",
    "The {field} value is copied from the {asset} record, but you can change it.",
    "Contractors see only the {objs} that are sent to their company.",
    "If the {obj} {symptom}, the most likely reason is that {cause}.",
    "Budgets for {assets} are tracked per financial year, starting in April unless you change it.",
    "You can {action} up to {n2} {objs} at once from the list view.",
    "Building users at {site_type} rarely see {objs}; they see the request and its status.",
    "Sitekeeper checks the {field2} every night and flags {objs} that are overdue.",
    "The {role2} can override the {field3} but must leave a comment.",
    "Saved filters are personal unless a {role} shares them with a team.",
    "For {assets} under warranty, the manufacturer's engineer must do the work.",
    "Time spent on the {obj} is logged against the {role}'s timesheet.",
    "Red badges on the board mean the {obj} is past its {field}.",
    "Statutory inspections of {assets} need a certificate attached before the visit can close.",
    "Integrations receive a webhook each time the {obj} changes.",
    "Language and date formats follow each user's profile, not the site.",
    "Offline changes are uploaded in the order they were made once the phone is back online.",
]
SENTENCES = [s.replace("{cap_role}", "{role}").replace("{a_asset_phrase}", "{assets}") for s in SENTENCES]

STEP_LEADS = ["To {action} {a_obj}:", "Follow these steps as a {role}:", "You need the {role} role. Then:",
              "To set this up for {site}:", "On the web app:"]
STEPS = ["Choose the site, for example **{site}**.", "Fill in {field} and {field2}.",
         "Pick the {asset} from the list or scan its QR label.", "Set {field3} to match your contract.",
         "Add a note for the {role} who will do the work.", "Attach photos or documents, up to 25 MB each.",
         "Choose how often it repeats: {period}.", "Select the {role2} who must approve it.",
         "Turn on **Notify requester** if building users should get updates.",
         "Check the preview; fields in red are required.", "Add a checklist template if the visit needs readings."]
TABLE_LEADS = ["The main fields on {screen}:", "What each field means for {objs}:", "Fields you can set when you {action} {a_obj}:"]
FIELD_MEANINGS = ["Decides who is told when the {obj} changes", "Used to sort {objs} on the board",
                  "Copied to the report for {site_type}", "Required before the {obj} can be saved",
                  "Sets when the {role} is reminded", "Links the {obj} to one of your {assets}",
                  "Shown to contractors in their portal", "Controls the cost centre charged"]
EXAMPLES = ["P2 - within 4 hours", "31/03/2027", "AHU-03-L2", "CC-4410", "Mechanical", "Level 2, Plant room",
            "J. Okafor", "Leak", "2 hours", "PO-88213", "High", "kWh", "Monthly", "250", "SN 4471-22", "Carrier",
            "Europe/London", "GBP 45.00", "Hot works", "0.233 kg CO2e/kWh", "15 minutes", "NFC-00912"]
ERROR_LEADS = ["You may see one of these messages:", "Error codes for this task:", "If it fails, the app shows a code:"]
CAUSE_TEMPLATES = ["{cause}; fix it and try again.", "{cause}. Ask a {role} to check the {field} field.",
                   "shown when {cause}. Refresh the page, then retry.", "{cause}; the {obj} is kept as a draft."]
ADMONITION_TITLES = ["Before you start", "Good to know", "Check this first", "Careful", "Tip for large sites"]
BULLET_LEADS = ["Check these points:", "Common reasons:", "Keep in mind:", "Good practice at {site_type}:"]
BULLETS = ["The {field} is set for every {obj}.", "The {role} has access to {site}.",
           "{assets} are linked to the right location.", "Notifications are on for the {role2} role.",
           "The time zone of the site is correct.", "The mobile app is up to date.",
           "Old {objs} are archived rather than deleted.", "The template matches the manufacturer's checklist.",
           "{cause} is not the case.", "Reports for {site_type} use the same filters."]
HEADINGS = {
    "steps": ["{action} {a_obj}", "Set up {objs} for {assets}", "Steps for {site_type}", "{action} it from {site}",
              "Do it {qualifier}", "Set it up step by step", "{action} {objs} in bulk"],
    "table": ["Fields on the form", "{obj} fields", "Settings for {assets}", "What each field means", "Options"],
    "errors": ["Error {code}", "Error messages", "If {acting} fails", "Codes you may see", "Errors and fixes"],
    "admonition": ["Before you start", "Who can do this", "Permissions", "Limits", "What to watch for"],
    "bullets": ["Checklist", "Common causes", "Good practice", "Things to check", "Tips for {site_type}"],
    "prose": ["How it works", "Why it matters", "Example from {site}", "Costs and budgets", "What happens next",
              "Working offline", "Reports"],
    "code_block": ["What the API returns", "Log entries", "Example record", "Diagnostic output"],
}


def render(plan: Plan, writer: Writer, sections: list[tuple[str, str]]) -> str:
    r = writer.rng
    parts = ["\n".join(writer.intro())]
    for heading, kind in sections:
        parts.append(f"## {heading}")
        parts.append("\n".join(getattr(writer, kind)()))
    body = "\n\n".join(parts) + "\n"
    spec = plan.spec
    tags = [spec[0], *r.sample([w for w in re.split(r"[^a-z0-9]+", (plan.obj + " " + plan.asset).lower()) if len(w) > 2], 1),
            plan.kind]
    tags = list(dict.fromkeys(tags))
    related = []
    pool = writer.by_category.get(plan.category, [])
    for _ in range(r.randint(1, 3)):
        other = writer.plans[r.choice(pool)] if pool else r.choice(writer.plans)
        if other is not plan and other.id not in related:
            related.append(other.id)
    summary = writer.fill(r.choice([
        "How to {action} {a_obj} for {assets}, with the fields, permissions and error codes involved.",
        "What to check when {acting} {objs} at {site_type}, and how to fix {code}.",
        "{objs} {qualifier}: the settings, the steps and the common mistakes.",
        "Everything a {role} needs to know to {action} {objs} for {assets}.",
    ]))
    reviewed = date(2025, 1, 1) + timedelta(days=r.randint(0, 650))
    meta = [
        f"title: {quoted(plan.title)}",
        "status: published",
        f"summary: {quoted(cap(summary))}",
        f"tags: [{', '.join(tags)}]",
    ]
    if r.random() < 0.4:
        meta.append(f"help_ids: [{plan.category[0]}-{plan.id}]")
    if r.random() < 0.3:
        meta.append(f'contexts: ["/{"/".join(plan.category)}/*"]')
    meta += [
        f"owner: {r.choice(TEAMS)}",
        f"last_reviewed: {reviewed.isoformat()}",
        f"review_every_days: {r.choice([90, 180, 365])}",
    ]
    if related:
        meta.append(f"related: [{', '.join(related)}]")
    meta.append("language: en")
    return "---\n" + "\n".join(meta) + "\n---\n\n" + body


def category_yaml(title: str, description: str, order: int, icon: str = "") -> str:
    lines = [f"title: {quoted(title)}", f"description: {quoted(description)}", f"order: {order}"]
    if icon:
        lines.append(f"icon: {icon}")
    return "\n".join(lines) + "\n"


def generate(n: int, out: Path, seed: int = 1) -> dict:
    rng = random.Random(seed)
    categories = pick_categories(rng)
    catalogue = error_catalogue(rng)
    plans = plan_articles(n, rng, categories, catalogue)
    by_category: dict[tuple, list[int]] = {}
    for i, plan in enumerate(plans):
        by_category.setdefault(plan.category, []).append(i)

    # Pass 1: decide every article's headings, so links to them can carry an anchor.
    writers, sections = [], []
    for plan in plans:
        writer = Writer(plan, random.Random(rng.random()), plans, by_category)
        planned = writer.section_plan()
        plan.headings = [(h, slugify(h)) for h, _ in planned]
        writers.append(writer)
        sections.append(planned)

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for order, spec in enumerate(categories, 1):
        (out / spec[0]).mkdir()
        (out / spec[0] / "_category.yml").write_text(category_yaml(spec[1], spec[2], order, spec[3]), encoding="utf-8")
        for sub_order, (slug, title, description) in enumerate(spec[7], 1):
            (out / spec[0] / slug).mkdir()
            (out / spec[0] / slug / "_category.yml").write_text(category_yaml(title, description, sub_order), encoding="utf-8")
    # Pass 2: write the articles.
    for plan, writer, planned in zip(plans, writers, sections):
        (out / plan.path).write_text(render(plan, writer, planned), encoding="utf-8")
    (out / "synonyms.yml").write_text(
        "synonyms:\n  - [ppm, preventive maintenance, planned maintenance]\n  - [work order, job, ticket]\n"
        "  - [asset, equipment, plant]\n  - [contractor, vendor, supplier]\n", encoding="utf-8")
    (out / "help-center.yml").write_text("name: Generated help center\nschema: 1\n", encoding="utf-8")  # strict articles
    subcategories = sum(len(spec[7]) for spec in categories)
    return {"articles": n, "categories": len(categories), "subcategories": subcategories}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, required=True, help="number of articles to write")
    p.add_argument("--out", type=Path, required=True, help="folder to write (replaced if it exists)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1); the same seed gives the same corpus")
    args = p.parse_args(argv)
    if args.articles < 1:
        p.error("--articles must be at least 1")
    made = generate(args.articles, args.out, args.seed)
    print(f"wrote {made['articles']} articles in {made['categories']} categories "
          f"({made['subcategories']} subcategories) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
