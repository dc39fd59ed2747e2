"""The generated client's API changelog: surface, differences, version, CHANGELOG.md."""
