"""The programme: events, stages, tracks, talks, speakers and the change log."""
