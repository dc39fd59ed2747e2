"""Where twine would upload, and whether that repository already has this version.

The target is resolved the way ``twine upload`` resolves it (twine's own function):
``TWINE_REPOSITORY_URL``, else the ``TWINE_REPOSITORY`` section of ``~/.pypirc``, else PyPI.
PyPI and TestPyPI are asked through their JSON API (``/pypi/<name>/json``, every release);
any other repository through its simple index (PEP 503) — the upload URL without a trailing
``legacy/``, plus ``simple/<name>/`` — or ``CLIENTGEN_INDEX_URL`` when the simple index lives
elsewhere (Artifactory, Nexus).  An answer that is neither "there" nor "not there" stops the
release: publishing over an unknown state is not safe.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import httpx
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version
from twine import exceptions as twine_exceptions
from twine import utils as twine_utils

from clientgen.release import ReleaseError

__all__ = ["Repository", "target_repository", "version_exists"]

PYPI_CONFIG = "~/.pypirc"
QUERY_SECONDS = 30.0
MAX_REDIRECTS = 5
_JSON_APIS = {"upload.pypi.org": "https://pypi.org", "test.pypi.org": "https://test.pypi.org"}


@dataclass(frozen=True)
class Repository:
    upload_url: str
    username: str | None
    password: str | None

    @property
    def has_credentials(self) -> bool:
        """What ``twine upload --non-interactive`` needs: a password, and a username except on PyPI.

        Both come from ``TWINE_PASSWORD``/``TWINE_USERNAME`` or ``~/.pypirc``; on PyPI the
        username defaults to ``__token__``.  Keyring and trusted publishing are not consulted.
        """
        return bool(self.password) and (bool(self.username) or self.is_pypi)

    @property
    def is_pypi(self) -> bool:
        return urlsplit(self.upload_url).hostname in _JSON_APIS


def target_repository() -> Repository:
    """The repository ``twine upload`` would use, with the credentials it would find without a prompt or keyring."""
    name = os.environ.get("TWINE_REPOSITORY") or "pypi"
    url = os.environ.get("TWINE_REPOSITORY_URL") or None
    try:
        config = twine_utils.get_repository_from_config(PYPI_CONFIG, name, url)
    except twine_exceptions.TwineException as error:
        msg = f"cannot tell where to upload: {' '.join(str(error).split())}"
        raise ReleaseError(msg) from None
    return Repository(
        upload_url=str(config["repository"]),
        username=os.environ.get("TWINE_USERNAME") or config.get("username") or None,
        password=os.environ.get("TWINE_PASSWORD") or config.get("password") or None,
    )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.files.append(unquote(urlsplit(href).path.rsplit("/", 1)[-1]))


def _file_version(filename: str) -> Version | None:
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        if filename.endswith((".tar.gz", ".zip")):
            return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def _simple_index_url(repository: Repository) -> str:
    configured = os.environ.get("CLIENTGEN_INDEX_URL")
    if configured:
        return configured.rstrip("/") + "/"
    base = re.sub(r"legacy/?$", "", repository.upload_url.rstrip("/") + "/")
    return urljoin(base, "simple/")


def _get(url: str, repository: Repository) -> httpx.Response | None:
    """The answer of the repository's own host; None when it redirects elsewhere.

    An index that sends us to another host for a project (pypiserver's fallback to PyPI)
    does not hold it: what another index has says nothing about the upload target.
    """
    auth = (repository.username or "__token__", repository.password) if repository.password else None
    host = urlsplit(url).hostname
    try:
        with httpx.Client(auth=auth, timeout=QUERY_SECONDS, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS):
                response = client.get(url)
                if not response.is_redirect:
                    return response
                url = urljoin(url, response.headers.get("Location", ""))
                if urlsplit(url).hostname != host:
                    return None
    except httpx.HTTPError as error:
        msg = f"cannot ask {url} whether the version exists ({type(error).__name__}: {error}); not publishing"
        raise ReleaseError(msg) from None
    msg = f"{url}: more than {MAX_REDIRECTS} redirects asking whether the version exists; not publishing"
    raise ReleaseError(msg)


def _released_versions(body: object) -> set[Version]:
    """The ``releases`` keys of a PyPI project JSON: every version ever uploaded, files deleted or not."""
    releases = body.get("releases") if isinstance(body, dict) else None
    if not isinstance(releases, dict):
        msg = "the index's project JSON has no 'releases'; not publishing"
        raise ReleaseError(msg)
    versions = set()
    for key in releases:
        with contextlib.suppress(InvalidVersion):
            versions.add(Version(key))
    return versions


def version_exists(repository: Repository, name: str, version: str) -> bool:
    """Whether ``name`` ``version`` (compared as versions: 1.0 == 1.0.0) is already on the repository."""
    host = urlsplit(repository.upload_url).hostname or ""
    if host in _JSON_APIS:
        # The project's JSON (not /<version>/json, which mirrors do not all serve): PyPI refuses a
        # version again even when its files were deleted, and ``releases`` still lists it.
        url = f"{_JSON_APIS[host]}/pypi/{canonicalize_name(name)}/json"
    else:
        url = f"{_simple_index_url(repository)}{canonicalize_name(name)}/"
    response = _get(url, repository)
    if response is None or response.status_code == httpx.codes.NOT_FOUND:
        return False
    if response.status_code != httpx.codes.OK:
        msg = f"{url} answered {response.status_code} to whether the version exists; not publishing"
        raise ReleaseError(msg)
    wanted = Version(version)
    if host in _JSON_APIS:
        try:
            return wanted in _released_versions(response.json())
        except ValueError:
            msg = f"{url} did not answer JSON; not publishing"
            raise ReleaseError(msg) from None
    links = _Links()
    links.feed(response.text)
    return any(_file_version(filename) == wanted for filename in links.files)
