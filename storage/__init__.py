"""Uploaded files, stored one way for every app (docs/architecture.md).

- models.py — `StoredFile`, the abstract model of an uploaded file (the file under a random name,
  its original name, the content type read from its bytes, size, digest, who uploaded it and when)
  that the case attachments, the feedback attachments and the litigation files inherit;
- services.py — checking an upload by its content, storing it, and the one rule for files that
  must not outlive their rows (`files_atomic`, `stored_files_delete`).

It sits below cases in the layering (with notifications and deadlines): it knows users, nothing else.
"""
