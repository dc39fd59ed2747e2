"""A user's script for tests/test_form_keywords.py: a urlencoded form body sent by keyword arguments."""

from __future__ import annotations

import sys

from forms_client import Client
from forms_client.types import CustomerCreateParamsAddress

client = Client(base_url=sys.argv[1])
created = client.customers.create(
    email="jo@example.com",
    metadata={"plan": "pro"},
    expand=["invoice", "sources"],
    address={"line1": "1 Main St", "city": "Paris"},
)
print(created.id, created.email)
client.customers.create(email="al@example.com", address=CustomerCreateParamsAddress(line1="2 Side St"))
client.customers.create(body={"email": "raw@example.com", "description": "a whole form"})
