"""The agency's home on a phone: its lists are labelled cards (.pil-cards), not tables that wrap
their headers one character per line."""

from __future__ import annotations

import re

from django.urls import reverse


def test_agency_home_rows_are_labelled_cards(client, world, served):
    client.force_login(world.agency1_staff)
    html = client.get(reverse("agency_home")).content.decode()
    tables = re.findall(r'<table class="[^"]*\bpil-cards\b[^"]*">.*?</table>', html, re.S)
    assert tables
    cells = [cell for table in tables for cell in re.findall(r"<td\b[^>]*>", table)]
    assert cells and all('data-label="' in cell for cell in cells)
    assert 'data-label="文号"' in html
