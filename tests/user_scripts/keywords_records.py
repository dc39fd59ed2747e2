"""A user's script for tests/test_keywords.py: records by keyword and by model, a patch, settings."""

from __future__ import annotations

import sys

from keywords_client import Client
from keywords_client.types import RecordA, RecordCreateParamsA, SettingUpdateParamsNested

client = Client(api_token="t", base_url=sys.argv[1])
created = client.records.create(zone_id="z", type="A", name="example.com", content="198.51.100.4", ttl=3600)
if isinstance(created, RecordA):
    print(created.name, created.content)
client.records.create(zone_id="z", body=RecordCreateParamsA(type="A", name="m.example.com", content="198.51.100.5"))
client.records.create(zone_id="z", type="MX", name="example.com", content="mx.example", priority=10)
edited = client.records.edit(zone_id="z", record_id="r1", type="A", ttl=1)
deleted = client.records.delete(zone_id="z", record_id="r1")
print(edited.id, deleted.id)
settings = client.settings.update(
    zone_id="z", nested=SettingUpdateParamsNested(a="x"), zone_id_body="other", names=["ab"]
)
print(settings.nested.a)
again = client.settings.update(zone_id="z", nested={"a": "y", "b": 2})
print(again.nested.a)
