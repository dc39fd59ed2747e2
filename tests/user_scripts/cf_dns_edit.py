"""Task: change one record's TTL and comment (PATCH): only the fields that change, with the record kind."""

from __future__ import annotations

import sys

from cloudflare_client import Client

client = Client(api_token="t", base_url=sys.argv[1])
record = client.dns_records.edit(
    zone_id="023e105f4ecef8ad9ca31a8372d0c353",
    dns_record_id="372e67954025e0ba6aaa6d586b9e0b59",
    type="A",
    ttl=120,
    comment="moved",
)
deleted = client.dns_records.delete(
    zone_id="023e105f4ecef8ad9ca31a8372d0c353", dns_record_id="372e67954025e0ba6aaa6d586b9e0b59"
)
print(record.id, record.ttl, deleted.id)
