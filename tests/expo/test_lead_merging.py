"""Notes from a repeat scan are merged into the lead: nothing lost, nothing added twice."""

from __future__ import annotations

from messe.expo.domain.leads import merge_notes


def test_notes_merge_without_loss_or_repeats():
    assert merge_notes("", "Ring i januar") == "Ring i januar"
    assert merge_notes("Ring i januar", "") == "Ring i januar"
    assert merge_notes("Ring i januar", "Ring i januar") == "Ring i januar"
    assert merge_notes("Ring i januar", "Ring i januar om OS2") == "Ring i januar om OS2"
    assert merge_notes("Ring i januar", "Vil have demo") == "Ring i januar\n\nVil have demo"
    merged = merge_notes("Ring i januar", "Vil have demo")
    assert merge_notes(merged, "Vil have demo") == merged
