"""Cross-cutting HTTP pieces shared by every domain's interface."""
