"""The admin sections, in the order the navigation and the admin home list them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    path: str  # below /{event}/admin/
    label: str
    summary: str


SECTIONS = (
    Section("programme", "Program", "Opret, ret, flyt og aflys foredrag, se konsekvenserne, offentliggør en version"),
    Section("dashboard", "Live-overblik", "Telefoner, indtjekning, scanninger og fyldte sale"),
    Section("announcements", "Meddelelser", "Send en besked til alle telefoner eller til et foredrags publikum"),
    Section("stages", "Scener", "Sale og scener med kapacitet"),
    Section("tracks", "Spor", "Programmets temaspor og deres farver"),
    Section("speakers", "Talere", "Talernes navne, organisationer og præsentationer"),
    Section("programme/import", "Importér program", "Hent et program fra pretalx eller frab som kladder"),
    Section("attendees", "Deltagere", "Søg, ret, personlige links og badges"),
    Section("attendees/import", "Importér deltagere", "CSV eller Excel, med forhåndsvisning"),
    Section("organisations", "Organisationer", "Kommuner, regioner, myndigheder og virksomheder"),
    Section("exhibitors", "Udstillere", "Stande og udstillernes personale"),
    Section("badges", "Badges", "Print badges efter rolle eller organisation, med fremdrift"),
    Section("accounts", "Konti", "Log ind for arrangører, dørpersonale og udstillere"),
    Section("tokens", "API-tokens", "Adgang for scripts og enheder"),
    Section("audit", "Revisionslog", "Hvem ændrede hvad og hvornår"),
)
