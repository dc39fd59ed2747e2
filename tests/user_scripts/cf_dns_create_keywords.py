"""Task: create an A record with keyword arguments; the result is the record the server stored."""

from __future__ import annotations

import sys

from cloudflare_client import Client
from cloudflare_client.types import DnsRecordA

client = Client(api_token="t", base_url=sys.argv[1])
record = client.dns_records.create(
    zone_id="023e105f4ecef8ad9ca31a8372d0c353", type="A", name="www.example.com", content="198.51.100.4", ttl=3600
)
if isinstance(record, DnsRecordA):
    print(record.id, record.name, record.content)
