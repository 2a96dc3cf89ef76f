"""The limits the agent enforces, declared once.

The request models use them, the agent checks them, and ``GET /info`` serves them
(``Limits``) so the panel sizes its fields and pages from the agent instead of repeating them.
"""

from __future__ import annotations

from .common import JsonInt, Model

SEARCH_PAGE_SIZE = 25  # results per page when the request names none
SEARCH_MAX_PAGE_SIZE = 100
SEARCH_MAX_PAGE = 400  # deepest page a search (or a related list) serves
SEARCH_QUERY_MAX_LENGTH = 200  # characters of the free-text query
CALL_NOTES_MAX_LENGTH = 4000  # a session's call notes
CUSTOMER_NOTE_MAX_LENGTH = 1000  # one customer note (the call's wrap-up note is one)


class Limits(Model):
    search_page_size: JsonInt = SEARCH_PAGE_SIZE
    search_max_page_size: JsonInt = SEARCH_MAX_PAGE_SIZE
    search_max_page: JsonInt = SEARCH_MAX_PAGE
    search_query_max_length: JsonInt = SEARCH_QUERY_MAX_LENGTH
    call_notes_max_length: JsonInt = CALL_NOTES_MAX_LENGTH
    customer_note_max_length: JsonInt = CUSTOMER_NOTE_MAX_LENGTH
