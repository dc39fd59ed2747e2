"""Task: create an A record from the typed request model, with only what a user must give."""

from __future__ import annotations

import sys

from cloudflare_client import Client
from cloudflare_client.types import DnsRecordCreateParamsA

client = Client(api_token="t", base_url=sys.argv[1])
wanted = DnsRecordCreateParamsA(type="A", name="api.example.com", content="198.51.100.5", proxied=True, ttl=1)
record = client.dns_records.create(zone_id="023e105f4ecef8ad9ca31a8372d0c353", body=wanted)
print(record.id, record.name)
