"""Task: list every R2 bucket of an account (cursor pagination)."""

from __future__ import annotations

import sys

from cloudflare_client import Client

client = Client(api_token="t", base_url=sys.argv[1])
names = [bucket.name for bucket in client.r2.buckets.list(account_id="023e105f4ecef8ad9ca31a8372d0c353", per_page=1)]
print(" ".join(name or "?" for name in names))
