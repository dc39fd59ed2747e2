"""Task: write two keys to a Workers KV namespace in one call."""

from __future__ import annotations

import sys

from cloudflare_client import Client
from cloudflare_client.types import BulkUpdateParam

client = Client(api_token="t", base_url=sys.argv[1])
pairs = [BulkUpdateParam(key="greeting", value="hello"), BulkUpdateParam(key="ttl", value="1", expiration_ttl=300)]
client.storage.kv.namespaces.bulk.update(
    account_id="023e105f4ecef8ad9ca31a8372d0c353", namespace_id="0f2ac74b498b48028cb68387c421e279", body=pairs
)
print("written", len(pairs))
