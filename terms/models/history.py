"""Revision: every save, publish, rollback and deletion of a term (it holds drafts: the editorial side)."""
