"""The audit log reads as sentences, in Danish and in English, for every kind of entry, with the
values before and after a change and the record it is about."""

from __future__ import annotations

import re

import pytest

from messe.common.audit_log import KINDS, describe, kind_choices, kind_of
from tests.translations import untranslated

ANNE = {"actor": "Anne Ærø", "actor_role": "organiser"}
TEN, ELEVEN = "2026-11-27T09:00:00+00:00", "2026-11-27T10:00:00+00:00"  # 10:00 and 11:00 in Copenhagen
TALK = {"object_type": "Talk", "object_id": "49"}
PERSON = {"object_type": "Attendee", "object_id": "7"}


def moved(**extra):
    return {"title": "Data på tværs", "published": True,
            "before": {"title": "Data på tværs", "starts_at": TEN, "stage": "Store Sal", **extra.get("before", {})},
            "after": {"title": "Data på tværs", "starts_at": ELEVEN, "stage": "Borgerscenen",
                      **extra.get("after", {})}}


def same_place(before: dict, after: dict) -> dict:
    place = {"title": "Data på tværs", "starts_at": TEN, "stage": "Store Sal"}
    return {"title": "Data på tværs", "published": True, "before": {**place, **before}, "after": {**place, **after}}


# (action, who, detail, record, Danish sentence, English sentence): one or more for every kind.
CASES = [
    ("talk.created", ANNE, {"title": "Data på tværs", "published": False,
                            "after": {"title": "Data på tværs", "starts_at": TEN, "stage": "Store Sal"}}, TALK,
     "Anne Ærø (arrangør) oprettede 'Data på tværs' (10:00 Store Sal)",
     "Anne Ærø (organiser) created 'Data på tværs' (10:00 Store Sal)"),
    ("talk.updated", ANNE, moved(), TALK,
     "Anne Ærø (arrangør) flyttede 'Data på tværs' fra 10:00 Store Sal til 11:00 Borgerscenen",
     "Anne Ærø (organiser) moved 'Data på tværs' from 10:00 Store Sal to 11:00 Borgerscenen"),
    ("talk.updated", ANNE, same_place({"state": "published"}, {"state": "cancelled"}), TALK,
     "Anne Ærø (arrangør) aflyste 'Data på tværs' (10:00 Store Sal)",
     "Anne Ærø (organiser) cancelled 'Data på tværs' (10:00 Store Sal)"),
    ("talk.updated", ANNE, same_place({"state": "cancelled"}, {"state": "published"}), TALK,
     "Anne Ærø (arrangør) genoptog 'Data på tværs' (10:00 Store Sal)",
     "Anne Ærø (organiser) restored 'Data på tværs' (10:00 Store Sal)"),
    ("talk.updated", ANNE, same_place({"title": "Data"}, {"title": "Data på tværs"}), TALK,
     "Anne Ærø (arrangør) omdøbte 'Data' til 'Data på tværs'",
     "Anne Ærø (organiser) renamed 'Data' to 'Data på tværs'"),
    ("talk.updated", ANNE, same_place({"language": "da"}, {"language": "en"}), TALK,
     "Anne Ærø (arrangør) ændrede 'Data på tværs'", "Anne Ærø (organiser) changed 'Data på tværs'"),
    ("talk.updated", {"actor": "Anne Ærø"}, {"fields": ["title"], "published": True}, TALK,  # written before titles
     "Anne Ærø ændrede et foredrag", "Anne Ærø changed a talk"),
    ("talk.stages_swapped", ANNE, {"title": "Data", "other_title": "AI", "before": {"stage": "Store Sal"},
                                   "after": {"stage": "Lille Sal"}}, TALK,
     "Anne Ærø (arrangør) byttede scene for 'Data' og 'AI'",
     "Anne Ærø (organiser) swapped the stages of 'Data' and 'AI'"),
    ("talk.deleted", ANNE, {"code": "ABC123", "title": "Data"}, TALK,
     "Anne Ærø (arrangør) slettede kladden 'Data'", "Anne Ærø (organiser) deleted the draft 'Data'"),
    ("talk.speakers_told", {"actor": "messe (besked til talerne)"},
     {"title": "Data", "sent": ["Ida", "Bo"], "refused": ["Kim"]}, TALK,
     "messe (besked til talerne) skrev til 2 talere om 'Data' (1 mail blev afvist)",
     "messe (besked til talerne) wrote to 2 speakers about 'Data' (1 mail was refused)"),
    ("talk.speakers_told", {"actor": "messe (besked til talerne)"}, {"title": "Data", "sent": ["Ida"]}, TALK,
     "messe (besked til talerne) skrev til 1 taler om 'Data'",
     "messe (besked til talerne) wrote to 1 speaker about 'Data'"),
    ("programme.published", ANNE, {"version": "v2", "changes": 1}, {},
     "Anne Ærø (arrangør) offentliggjorde version v2 med 1 ændring",
     "Anne Ærø (organiser) published version v2 with 1 change"),
    ("programme.published", ANNE, {"version": "v3", "changes": 4}, {},
     "Anne Ærø (arrangør) offentliggjorde version v3 med 4 ændringer",
     "Anne Ærø (organiser) published version v3 with 4 changes"),
    ("programme.announced", ANNE, {"title": "Kaffe i foyeren"}, {},
     "Anne Ærø (arrangør) sendte meddelelsen 'Kaffe i foyeren'",
     "Anne Ærø (organiser) sent the announcement 'Kaffe i foyeren'"),
    ("programme.imported", ANNE, {"filename": "schedule.xml"}, {},
     "Anne Ærø (arrangør) importerede programmet fra schedule.xml",
     "Anne Ærø (organiser) imported the programme from schedule.xml"),
    ("event.moved", {"actor": "messe seed"}, {"before": "2026-11-27", "after": "2026-12-03", "talks": 48}, {},
     "messe seed flyttede messen fra 27. november 2026 til 3. december 2026 (48 foredrag)",
     "messe seed moved the fair from November 27, 2026 to December 3, 2026 (48 talks)"),
    ("stage.created", ANNE, {"code": "SS", "name": "Store Sal"}, {"object_type": "Stage", "object_id": "1"},
     "Anne Ærø (arrangør) oprettede scenen 'Store Sal'", "Anne Ærø (organiser) created the stage 'Store Sal'"),
    ("stage.updated", ANNE, {"name": "Store Sal", "before": {"capacity": 400}, "after": {"capacity": 450}},
     {"object_type": "Stage", "object_id": "1"},
     "Anne Ærø (arrangør) ændrede scenen 'Store Sal'", "Anne Ærø (organiser) changed the stage 'Store Sal'"),
    ("stage.deleted", ANNE, {"code": "SS", "name": "Store Sal"}, {"object_type": "Stage", "object_id": "1"},
     "Anne Ærø (arrangør) slettede scenen 'Store Sal'", "Anne Ærø (organiser) deleted the stage 'Store Sal'"),
    ("track.created", ANNE, {"code": "ai", "name": "AI"}, {},
     "Anne Ærø (arrangør) oprettede sporet 'AI'", "Anne Ærø (organiser) created the track 'AI'"),
    ("track.updated", ANNE, {"fields": ["color"]}, {},  # written before names
     "Anne Ærø (arrangør) ændrede sporet", "Anne Ærø (organiser) changed the track"),
    ("speaker.created", ANNE, {"name": "Ida Ny"}, {},
     "Anne Ærø (arrangør) oprettede taleren 'Ida Ny'", "Anne Ærø (organiser) created the speaker 'Ida Ny'"),
    ("speaker.updated", ANNE, {"name": "Ida Ny"}, {},
     "Anne Ærø (arrangør) ændrede taleren 'Ida Ny'", "Anne Ærø (organiser) changed the speaker 'Ida Ny'"),
    ("organisation.created", ANNE, {"name": "Ny Org"}, {},
     "Anne Ærø (arrangør) oprettede organisationen 'Ny Org'",
     "Anne Ærø (organiser) created the organisation 'Ny Org'"),
    ("organisation.updated", ANNE, {"name": "Ny Org"}, {},
     "Anne Ærø (arrangør) ændrede organisationen 'Ny Org'",
     "Anne Ærø (organiser) changed the organisation 'Ny Org'"),
    ("exhibitor.created", {"actor": "token:import", "actor_role": "organiser"}, {"name": "KOMBIT"}, {},
     "API-nøglen 'import' (arrangør) oprettede udstilleren 'KOMBIT'",
     "The API token 'import' (organiser) created the exhibitor 'KOMBIT'"),
    ("exhibitor.updated", ANNE, {"name": "KOMBIT"}, {},
     "Anne Ærø (arrangør) ændrede udstilleren 'KOMBIT'", "Anne Ærø (organiser) changed the exhibitor 'KOMBIT'"),
    ("exhibitor.deleted", ANNE, {"name": "KOMBIT"}, {},
     "Anne Ærø (arrangør) slettede udstilleren 'KOMBIT'", "Anne Ærø (organiser) deleted the exhibitor 'KOMBIT'"),
    ("attendee.created", ANNE, {"name": "Åse Øberg"}, PERSON,
     "Anne Ærø (arrangør) registrerede Åse Øberg", "Anne Ærø (organiser) registered Åse Øberg"),
    ("attendee.created", {"actor": "Dorte", "actor_role": "door"}, {"name": "Åse Øberg", "method": "walk_in"},
     PERSON, "Dorte (dørpersonale) registrerede Åse Øberg ved døren",
     "Dorte (door staff) registered Åse Øberg at the door"),
    ("attendee.updated", ANNE, {"name": "Åse Øberg", "before": {"phone": ""}, "after": {"phone": "12345678"}},
     PERSON, "Anne Ærø (arrangør) ændrede oplysningerne om Åse Øberg",
     "Anne Ærø (organiser) changed the details of Åse Øberg"),
    ("attendee.deleted", ANNE, {"name": "Åse Øberg"}, PERSON,
     "Anne Ærø (arrangør) slettede deltageren Åse Øberg", "Anne Ærø (organiser) deleted the attendee Åse Øberg"),
    ("attendee.erased", ANNE, {}, PERSON,  # erasure blanks the entry's details
     "Anne Ærø (arrangør) slettede en deltagers persondata",
     "Anne Ærø (organiser) erased an attendee's personal data"),
    ("attendees.imported", ANNE, {"filename": "deltagere.csv", "created": 1, "updated": 0}, {},
     "Anne Ærø (arrangør) importerede 1 deltager fra deltagere.csv",
     "Anne Ærø (organiser) imported 1 attendee from deltagere.csv"),
    ("attendees.imported", ANNE, {"filename": "deltagere.csv", "created": 40, "updated": 2}, {},
     "Anne Ærø (arrangør) importerede 40 deltagere fra deltagere.csv",
     "Anne Ærø (organiser) imported 40 attendees from deltagere.csv"),
    ("attendees.exported", ANNE, {"count": 2000}, {},
     "Anne Ærø (arrangør) eksporterede 2000 deltagere", "Anne Ærø (organiser) exported 2000 attendees"),
    ("link.issued", ANNE, {"name": "Åse Øberg"}, PERSON,
     "Anne Ærø (arrangør) lavede et nyt personligt link til Åse Øberg",
     "Anne Ærø (organiser) made a new personal link for Åse Øberg"),
    ("links.mailed", ANNE, {"sent": 1, "refused": 0}, PERSON,
     "Anne Ærø (arrangør) mailede et personligt link til 1 deltager",
     "Anne Ærø (organiser) mailed a personal link to 1 attendee"),
    ("links.mailed", ANNE, {"sent": 12, "refused": 0}, {},
     "Anne Ærø (arrangør) mailede personlige links til 12 deltagere",
     "Anne Ærø (organiser) mailed personal links to 12 attendees"),
    ("checkin.created", {"actor": "Dorte", "actor_role": "door"}, {"name": "Åse Øberg", "method": "scan"}, PERSON,
     "Dorte (dørpersonale) tjekkede Åse Øberg ind med en scanning af badget",
     "Dorte (door staff) checked Åse Øberg in by scanning their badge"),
    ("checkin.created", {"actor": "Dorte", "actor_role": "door"}, {"name": "Åse Øberg", "method": "hand"}, PERSON,
     "Dorte (dørpersonale) tjekkede Åse Øberg ind i hånden", "Dorte (door staff) checked Åse Øberg in by hand"),
    ("checkin.created", {"actor": "Dorte", "actor_role": "door"}, {"name": "Åse Øberg", "method": "walk_in"},
     PERSON, "Dorte (dørpersonale) tjekkede Åse Øberg ind som gæst uden forhåndstilmelding",
     "Dorte (door staff) checked Åse Øberg in as a walk-in"),
    ("badge.printed", ANNE, {"name": "Åse Øberg", "badge_version": 1}, PERSON,
     "Anne Ærø (arrangør) udskrev badget til Åse Øberg", "Anne Ærø (organiser) printed the badge of Åse Øberg"),
    ("badge.reprinted", {"actor": "Dorte", "actor_role": "door"}, {"name": "Åse Øberg", "badge_version": 2},
     PERSON, "Dorte (dørpersonale) genudskrev badget til Åse Øberg (version 2)",
     "Dorte (door staff) reprinted the badge of Åse Øberg (version 2)"),
    ("badges.printed", ANNE, {"count": 1}, {},
     "Anne Ærø (arrangør) udskrev 1 badge", "Anne Ærø (organiser) printed 1 badge"),
    ("badges.printed", ANNE, {"count": 2000}, {},
     "Anne Ærø (arrangør) udskrev 2000 badges", "Anne Ærø (organiser) printed 2000 badges"),
    ("lead.captured", {"actor": "Søren", "actor_role": "exhibitor"},
     {"name": "Åse Øberg", "exhibitor": "KOMBIT", "stand": "A2"}, PERSON,
     "Søren (udstiller) scannede Åse Øberg som lead hos KOMBIT",
     "Søren (exhibitor) scanned Åse Øberg as a lead of KOMBIT"),
    ("lead.updated", {"actor": "Søren", "actor_role": "exhibitor"},
     {"name": "Åse Øberg", "exhibitor": "KOMBIT", "stand": "A2", "before": {"rating": 2}, "after": {"rating": 5}},
     PERSON, "Søren (udstiller) rettede leadet Åse Øberg hos KOMBIT",
     "Søren (exhibitor) edited the lead Åse Øberg of KOMBIT"),
    ("account.created", ANNE, {"username": "dorte", "role": "door"}, {},
     "Anne Ærø (arrangør) oprettede login 'dorte' (dørpersonale)",
     "Anne Ærø (organiser) created the login 'dorte' (door staff)"),
    ("staff.created", ANNE, {"username": "soeren", "exhibitor": "A2"}, {},
     "Anne Ærø (arrangør) oprettede login 'soeren' til stand A2",
     "Anne Ærø (organiser) created the login 'soeren' for stand A2"),
    ("account.activated", ANNE, {"username": "dorte"}, {},
     "Anne Ærø (arrangør) genåbnede login 'dorte'", "Anne Ærø (organiser) reopened the login 'dorte'"),
    ("account.deactivated", ANNE, {"username": "dorte"}, {},
     "Anne Ærø (arrangør) lukkede login 'dorte'", "Anne Ærø (organiser) closed the login 'dorte'"),
    ("account.password_set", ANNE, {"username": "dorte"}, {},
     "Anne Ærø (arrangør) satte en ny adgangskode for 'dorte'",
     "Anne Ærø (organiser) set a new password for 'dorte'"),
    ("sessions.ended", ANNE, {"name": "Åse Øberg"}, PERSON,
     "Anne Ærø (arrangør) loggede Åse Øberg ud på alle enheder",
     "Anne Ærø (organiser) signed Åse Øberg out on every device"),
    ("token.created", {"actor": "messe token"}, {"name": "import", "role": "organiser"}, {},
     "messe token oprettede API-nøglen 'import' (arrangør)",
     "messe token created the API token 'import' (organiser)"),
    ("token.revoked", ANNE, {"name": "import"}, {},
     "Anne Ærø (arrangør) tilbagekaldte API-nøglen 'import'", "Anne Ærø (organiser) revoked the API token 'import'"),
    ("event.purged", {"actor": "messe purge"}, {"attendees_erased": 2000, "after_days": 30}, {},
     "messe purge slettede persondata om 2000 deltagere",
     "messe purge erased the personal data of 2000 attendees"),
]


@pytest.mark.parametrize(("action", "who", "detail", "target", "danish", "english"), CASES,
                         ids=[f"{case[0]}-{i}" for i, case in enumerate(CASES)])
def test_an_entry_reads_as_a_sentence_in_both_languages(action, who, detail, target, danish, english):
    assert describe(action=action, detail=detail, **who, **target).sentence == danish
    assert describe(action=action, detail=detail, **who, **target, language="en").sentence == english


def test_every_kind_has_a_sentence_of_its_own():
    kinds = {kind_of(action, detail) for action, _who, detail, *_ in CASES}
    assert kinds == set(KINDS)


def test_a_move_shows_the_values_before_and_after_in_copenhagen_time():
    line = describe(action="talk.updated", detail=moved(after={"track": "Data"}, before={"track": ""}),
                    **ANNE, **TALK)
    assert line.kind == "talk.moved" and line.kind_label == "Foredrag flyttet"
    assert [(c.label, c.before, c.after) for c in line.changes] == [
        ("Start", "27. nov. 2026 10:00", "27. nov. 2026 11:00"), ("Scene", "Store Sal", "Borgerscenen"),
        ("Spor", "", "Data")]
    assert line.target == ("Talk", "49") and line.note == "Sendt til deltagerne"
    english = describe(action="talk.updated", detail=moved(), **ANNE, **TALK, language="en")
    assert [(c.label, c.before, c.after) for c in english.changes] == [
        ("Start", "27 Nov 2026 10:00", "27 Nov 2026 11:00"), ("Stage", "Store Sal", "Borgerscenen")]
    assert english.note == "Sent to the attendees"


def test_a_cancellation_names_the_state_before_and_after():
    line = describe(action="talk.updated", detail=same_place({"state": "published"}, {"state": "cancelled"}),
                    **ANNE, **TALK, language="en")
    assert [(c.label, c.before, c.after) for c in line.changes] == [("Status", "Published", "Cancelled")]


def test_a_long_abstract_is_cut_and_a_deleted_record_has_no_link():
    line = describe(action="talk.updated", detail=same_place({"abstract": "kort"}, {"abstract": "lang " * 40}),
                    **ANNE, **TALK)
    [change] = line.changes
    assert change.label == "Beskrivelse" and len(change.after) == 80 and change.after.endswith("…")
    assert describe(action="talk.deleted", detail={"title": "Data"}, **ANNE, **TALK).target is None
    assert describe(action="badges.printed", detail={"count": 3}, **ANNE).target is None


def test_an_unknown_action_still_says_who_did_it():
    assert describe(action="something.new", actor="Anne Ærø", actor_role="organiser").sentence == \
        "Anne Ærø (arrangør): something.new"


def test_the_kind_filter_offers_names_in_the_readers_language_in_a_fixed_order():
    assert kind_choices(["checkin.created", "talk.moved", "x.y"], "en") == [
        ("talk.moved", "Talk moved"), ("checkin.created", "Checked in"), ("x.y", "x.y")]


def test_every_text_of_the_audit_log_has_an_english_translation():
    from messe.common import audit_log
    texts = {*KINDS.values(), *audit_log.ROLES.values(), *audit_log.FIELDS.values(), *audit_log.STATES.values(),
             *audit_log.RECORD_WORDS.values()}
    assert untranslated(texts) == []


def test_every_counted_sentence_has_both_english_forms_with_the_same_placeholders():
    from messe.common.audit_log import COUNTED
    from messe.i18n import plural_forms

    pairs = [(singular, plural) for singular, plural, _key in COUNTED.values()] + [
        ("{who} skrev til {count} taler om '{title}'", "{who} skrev til {count} talere om '{title}'"),
        ("({count} mail blev afvist)", "({count} mails blev afvist)")]
    for singular, plural in pairs:
        english = plural_forms("en", singular, plural)
        assert english["one"] != singular and english["other"] != plural, singular
        for form in english.values():
            assert sorted(re.findall(r"{\w+}", form)) == sorted(re.findall(r"{\w+}", plural)), form
    assert describe(action="event.moved", actor="messe seed", detail={"before": "2026-11-27", "after": "2026-11-28",
                                                                      "talks": 1}, language="en").sentence == \
        "messe seed moved the fair from November 27, 2026 to November 28, 2026 (1 talk)"
