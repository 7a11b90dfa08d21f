"""Submitting once: a create form's one-time token and the API's Idempotency-Key.

A create form carries a hidden token (`{% submission_token %}`); the create view, wrapped in
`submit_once`, claims it for the user with a unique row inside the create's transaction. A second
POST of the same token (Back and resubmit, a double click whose first request the browser aborted
but the server still saved) creates nothing: it waits on the unique index while the first one is
running, then finds the claim and lands on the page the first one redirected to. The API's
`Idempotency-Key` header (api/idempotency.py) is claimed the same way and its response replayed.

It imports no domain app: it knows the user model and nothing else (docs/architecture.md).
"""
