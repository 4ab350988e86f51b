"""Data layers above `public` (partners, internal, and a public record citing an internal
source) and the words that betray them: every test of what an audience sees uses these."""
from __future__ import annotations

# Three layers over the seed data: one at `partners`, one at `internal` (records, relations
# between public records, a source, notes, a place only an internal record names), and a
# public service citing the internal source.

PARTNERS_LAYER = {
    "sources.yaml": '- {id: omega-memo, name: Omega referral memorandum, url: "https://example.org/omega-memo", '
                    'sensitivity: partners}\n',
    "actors.yaml": """\
- id: quietwater-outreach
  name: Quietwater Outreach
  sector: ngo
  type: ngo
  level: local
  located_in: [nis]
  note: Lantern arrangement with the city
  sensitivity: partners
  sources: [omega-memo]
""",
    "services.yaml": """\
- id: quietwater-drop-in
  name: Quietwater Drop-in for Children
  provider: [quietwater-outreach]
  types: [drop_in_centre, shelter]
  referral_step: protection_and_support
  serves: [children]
  covers: [nis]
  sensitivity: partners
  sources: [omega-memo]
""",
    "relations.yaml": """\
- {type: refers_to, from: astra, to: atina, populations: [children], sensitivity: partners, note: Marigold protocol agreed by phone, sources: [irc-serbia-country-program]}
- {type: partner_in, from: quietwater-outreach, to: from-harm-to-safety, sensitivity: partners, sources: [omega-memo]}
""",
}
INTERNAL_LAYER = {
    "sources.yaml": "- {id: zeta-case-file, name: Zeta case file register, sensitivity: internal}\n",
    "places.yaml": "- {id: ravenhollow, name: Ravenhollow, level: municipality, parent: nisava-district, "
                   "sensitivity: internal, sources: [zeta-case-file]}\n",
    "actors.yaml": """\
- id: secret-shelter-operator
  name: Secret Shelter Operator
  aliases: [Hidden Haven]
  sector: ngo
  type: ngo
  level: local
  located_in: [nis]
  note: Falcon keeps the keys
  sensitivity: internal
  sources: [zeta-case-file]
""",
    "services.yaml": """\
- id: kestrel-safe-house
  name: Kestrel Safe House for Children
  provider: [secret-shelter-operator]
  types: [shelter]
  referral_step: emergency_assistance
  serves: [children]
  covers: [nis, ravenhollow]
  sensitivity: internal
  sources: [zeta-case-file]
""",
    "projects.yaml": """\
- id: nightjar-project
  name: Nightjar Protection Project
  lead: [secret-shelter-operator]
  partners: [atina]
  places: [nis]
  targets: [children]
  start: 2024
  sensitivity: internal
  sources: [zeta-case-file]
""",
    "relations.yaml": """\
- {type: refers_to, from: atina, to: secret-shelter-operator, populations: [children], sensitivity: internal, note: Heron route, sources: [zeta-case-file]}
- {type: partners_with, from: astra, to: centre-for-protection-of-victims, sensitivity: internal, note: Osprey channel, sources: [irc-serbia-country-program]}
- {type: partner_in, from: secret-shelter-operator, to: from-harm-to-safety, sensitivity: internal, sources: [zeta-case-file]}
""",
}
CITING_LAYER = {  # a public record citing the internal source: the record shows, the source never
    # (nor the hidden actors it takes referrals from)
    "services.yaml": """\
- id: wren-helpline
  name: Wren Helpline
  provider: [atina]
  types: [hotline]
  referral_step: first_contact
  serves: [children]
  covers: [nis]
  referrals_from: [secret-shelter-operator, quietwater-outreach, anti-trafficking-police-teams]
  sources: [irc-serbia-country-program, zeta-case-file]
""",
}
# every name, id, source title and note of the layers above public
PARTNERS_TRACES = ("Quietwater", "quietwater-outreach", "quietwater-drop-in", "Omega referral memorandum",
                   "omega-memo", "Lantern", "Marigold")
INTERNAL_TRACES = ("Secret Shelter Operator", "secret-shelter-operator", "Hidden Haven", "Falcon", "Kestrel",
                   "kestrel-safe-house", "Zeta case file", "zeta-case-file", "Heron", "Osprey", "Ravenhollow",
                   "Nightjar")
HIDDEN_FROM = {"public": PARTNERS_TRACES + INTERNAL_TRACES, "partners": INTERNAL_TRACES, "internal": ()}
SHOWN_TO = {"partners": PARTNERS_TRACES, "internal": PARTNERS_TRACES + INTERNAL_TRACES}
