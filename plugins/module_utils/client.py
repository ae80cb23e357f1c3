# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one RunCloud API v2 client of the collection.

Modules, the inventory plugin and the tests all talk to RunCloud through ``RunCloudClient``. It
knows nothing about Ansible: callers adapt its errors (``errors.py``) to their own world.

What it guarantees:
- credentials travel only in the ``Authorization`` header and never appear in an error or log line;
- every request has a timeout, sends and accepts JSON, and refuses redirects;
- 429 is always retried (``Retry-After`` first, then ``X-RateLimit-Reset``, else exponential
  backoff with jitter); 5xx answers, timeouts and lost connections only for idempotent requests;
- a write whose outcome is unknown (POST or a non-idempotent PUT answered 5xx, timed out or
  dropped) is never sent again blindly: the caller's re-read (``on_uncertain``) runs first, again
  after growing pauses for a write still in flight, and only a re-read that keeps finding nothing
  allows a resend (and only when the caller allows resending at all);
- a refused connection or failed name lookup is retried once, briefly; TLS and certificate
  failures are not retried; their messages name the URL and what to check;
- retries are bounded by a number of tries and a total waiting budget.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import copy
import datetime
import email.utils
import hashlib
import json
import math
import os
import random
import re
import threading
import time
import traceback

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import ANSWER_TYPES, V3, path as endpoint, version_of_url, versioned_path
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import (
    AmbiguousMatchError,
    ConfigurationError,
    QuotaExceededError,
    RunCloudError,
    TransportError,
    error_class_for_status,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.values import error_details, read_answer, unwrap

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

try:
    from urllib.parse import parse_qsl, urlsplit, quote
except ImportError:  # pragma: no cover - Python 2 is not supported, but the import must not crash sanity
    from urlparse import parse_qsl, urlsplit  # type: ignore
    from urllib import quote  # type: ignore

COLLECTION_VERSION = '0.1.0'
DEFAULT_API_URL = 'https://manage.runcloud.io/api/v2'
API_PATH = '/api/v2'
API_PATHS = (API_PATH, '/api/v3')
MAX_PER_PAGE = 40
# The page sizes RunCloud uses when it ignores ``perPage`` (v2 reference: 15 observed; v3 reference:
# 15 or 20 depending on the list, 20 for web applications and domains): a first page of exactly this
# many items, in an answer that says nothing about its pages, may be followed by more.
API_PAGE_SIZES = (15, 20)
# A list that never ends (an endpoint that answers every page in full) must not run forever.
MAX_LIST_PAGES = 1000
# Limits of the connection options (documented in the runcloud.cloud.api doc fragment).
API_URL_MAX_LENGTH = 2048
API_TIMEOUT_RANGE = (0.1, 3600.0)
API_RETRIES_RANGE = (1, 50)
API_RETRY_BUDGET_RANGE = (0.0, 3600.0)
# Where a CA bundle may come from when ca_path is not set, in this order (empty variables are unset).
CA_BUNDLE_ENVIRONMENT = ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'SSL_CERT_FILE')
IDEMPOTENT_METHODS = frozenset(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'])
# 5xx answers that say something about the server, not about the request, are worth another try.
NOT_TRANSIENT_5XX = frozenset([501, 505])
# A refused connection or unknown host name rarely heals within seconds: one more try, then a clear error.
CONNECT_FAILURE_TRIES = 2
# The first pause before re-reading the state again after an uncertain write; it doubles each time.
SETTLE_FIRST_PAUSE = 1.0
# A token that expires sooner than this is worth a warning (API v3 tokens are JWTs that carry ``exp``).
TOKEN_EXPIRY_WARNING_SECONDS = 7 * 24 * 3600
# Where RunCloud shows API keys, their allow-lists and the monthly call usage (API v3).
API_MANAGEMENT = 'RunCloud panel: Workspace > Settings > API Management'

# Lists that the items of one looped task share (``share_list_reads``): off unless the process runs
# such a task. {(account, path, query): the whole list, or None when it is longer than one page}.
_SHARED_LISTS = {'enabled': False, 'lists': {}}


def share_list_reads():
    """Let ``find_by_field`` answer every item of a looped task from one read of each list: the first
    item reads the whole list (when it fits in one page; else every item searches as usual) and the
    items after it find their resource there. Any write of the process forgets every shared list, so
    an item never misses what an earlier one created. For the process of one task only (the action
    plugin's worker of a task with a loop and without ``until``); never in a process that outlives it."""
    _SHARED_LISTS['enabled'] = True


# What an attempt's failure allows.
FINAL = 'final'            # do not retry
RETRY = 'retry'            # nothing was applied (or repeating is harmless): retry after the delay
UNCERTAIN = 'uncertain'    # the request may have been applied: repeat only what is idempotent
CONNECT = 'connect'        # nothing was sent; retried at most CONNECT_FAILURE_TRIES times


def is_transient_status(status):
    return status >= 500 and status not in NOT_TRANSIENT_5XX


class RetryPolicy:
    """How long the client keeps trying.

    ``max_tries`` counts every attempt (1 = never retry); ``budget`` is the total number of
    seconds the client may spend waiting between attempts of one request.
    """

    def __init__(self, max_tries=5, budget=120.0, base_delay=1.0, max_delay=30.0):
        max_tries = checked_number('api_retries', max_tries, API_RETRIES_RANGE, integer=True)
        budget = checked_number('api_retry_budget', budget, API_RETRY_BUDGET_RANGE)
        self.max_tries = int(max_tries)
        self.budget = float(budget)
        self.base_delay = float(base_delay)
        self.max_delay = float(max_delay)

    def backoff(self, attempt, rng=random.random):
        """Exponential backoff with 'equal jitter': half fixed, half random, so waits never collapse to 0."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return ceiling / 2.0 + rng() * ceiling / 2.0


class ApiResponse:
    def __init__(self, status, data, headers):
        self.status = status
        self.data = data
        self.headers = headers


def parse_retry_after(value, now=None):
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_tz(value)
        if moment is None:
            return None
        return max(0.0, email.utils.mktime_tz(moment) - (now if now is not None else time.time()))
    except (TypeError, ValueError, OverflowError):
        return None


def parse_rate_limit_reset(value, now=None):
    """``X-RateLimit-Reset`` is an epoch timestamp in Laravel; accept a small delta too."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    now = now if now is not None else time.time()
    if number > 10 ** 9:
        return max(0.0, number - now)
    return max(0.0, number)


QUOTA_WORDS = re.compile(r'\bquota\b', re.I)


def is_quota_block(payload, headers):
    """Whether a 429 is the spent monthly quota rather than the rate limit: it says so, or it comes
    without ``Retry-After`` while the rate-limit window still has requests left."""
    if QUOTA_WORDS.search(str(payload.get('message') or '')):
        return True
    remaining = _int_or_none(headers.get('X-RateLimit-Remaining'))
    return headers.get('Retry-After') is None and remaining is not None and remaining > 0


def split_list_body(data):
    """Return (items, pagination) of a list answer: the paginated envelope (``meta.pagination``,
    Laravel's ``meta`` or top-level paginator fields, or none at all) or a bare array. The
    pagination holds the answer's ``links`` (Fractal's in ``meta.pagination``, Laravel's at the top)
    when it has any, also when it has no page count (``next_link_query``)."""
    if isinstance(data, list):
        return data, None
    if isinstance(data, dict) and isinstance(data.get('data'), list):
        meta = data.get('meta') if isinstance(data.get('meta'), dict) else {}
        pagination = meta.get('pagination') if isinstance(meta.get('pagination'), dict) else {}
        links = next((candidate['links'] for candidate in (pagination, meta, data) if isinstance(candidate.get('links'), dict)), None)
        for candidate in (pagination, meta, data):
            if total_pages_of(candidate) is not None:
                return data['data'], candidate if links is None or 'links' in candidate else dict(candidate, links=links)
        return data['data'], None if links is None else {'links': links}
    raise TransportError('expected a list answer (a JSON array or {"data": [...]}) but got %s' % type(data).__name__)


PAGE_COUNT_KEYS = ('total_pages', 'totalPages', 'last_page', 'lastPage')
TOTAL_KEYS = ('total', 'totalItems')
PER_PAGE_KEYS = ('per_page', 'perPage')


def total_pages_of(pagination):
    """The number of pages a pagination block announces, or None when it does not say."""
    if not isinstance(pagination, dict):
        return None
    for key in PAGE_COUNT_KEYS:
        pages = _int_or_none(pagination.get(key))
        if pages is not None:
            return max(1, pages)
    total = next((_int_or_none(pagination.get(key)) for key in TOTAL_KEYS if key in pagination), None)
    per_page = next((_int_or_none(pagination.get(key)) for key in PER_PAGE_KEYS if key in pagination), None)
    if total is not None and per_page:
        return max(1, -(-total // per_page))
    return None


def next_link_query(pagination):
    """What a list answer's links say about the next page: the query of its ``next`` link (a dict),
    False when it has links but no next one (the last page), None when it has no links at all.

    Only the link's query is used, on the list's own path: its host may be another name of the API
    (a proxy's), and the credentials are never sent anywhere but ``api_url``."""
    links = pagination.get('links') if isinstance(pagination, dict) else None
    if not isinstance(links, dict):
        return None
    following = links.get('next')
    if not isinstance(following, str) or not following.strip():
        return False
    query = dict(parse_qsl(urlsplit(following.strip()).query, keep_blank_values=True))
    return query or False


def _item_key(item):
    if isinstance(item, dict) and item.get('id') is not None:
        return ('id', str(item['id']))
    return ('value', json.dumps(item, sort_keys=True, default=str))


def checked_number(option, value, limits, integer=False):
    """``value`` as a number within ``limits`` (lowest, highest), or a ConfigurationError naming the option."""
    lowest, highest = limits
    kind = 'a whole number' if integer else 'a number'
    try:
        if isinstance(value, bool):
            raise ValueError
        number = int(value) if integer else float(value)
        if integer and float(value) != number:
            raise ValueError
    except (TypeError, ValueError, OverflowError):
        raise ConfigurationError('%s must be %s between %s and %s' % (option, kind, _plain(lowest), _plain(highest)))
    try:
        finite = math.isfinite(float(number))
    except OverflowError:
        finite = False
    if not finite or not lowest <= number <= highest:
        raise ConfigurationError('%s must be %s between %s and %s, not %s'
                                 % (option, kind, _plain(lowest), _plain(highest), _plain(number)))
    return number


def _plain(number):
    """A number as a person writes it: 30, 0.5, 1e+300, nan."""
    if isinstance(number, int) and abs(number) >= 10 ** 15:
        return '%d digits' % len(str(abs(number))) if abs(number) >= 10 ** 300 else '%g' % number
    if abs(number) >= 1e15 or (isinstance(number, float) and not math.isfinite(number)):
        return '%g' % number
    if isinstance(number, float) and number == int(number):
        return str(int(number))
    return str(number)


def check_credential(option, value):
    """Refuse a credential that cannot be what RunCloud issued or cannot travel in an HTTP header.
    The value itself is never part of the message."""
    if value is None or value == '':
        return
    if not isinstance(value, str):
        raise ConfigurationError('%s must be a string' % option)
    if any(character.isspace() for character in value):
        raise ConfigurationError('%s contains whitespace (a space or line break copied with it?); '
                                 'RunCloud credentials have none' % option)
    if any(ord(character) < 32 or ord(character) == 127 for character in value):
        raise ConfigurationError('%s contains a control character; RunCloud credentials have none' % option)
    if any(ord(character) > 126 for character in value):
        raise ConfigurationError('%s contains a character outside printable ASCII, which cannot be sent in an '
                                 'HTTP header; check it was copied correctly' % option)


def token_expiry(token):
    """The ``exp`` claim (Unix time) of a JWT, read from its payload without checking the signature
    (the API does that), or None when the token is no JWT or carries no readable ``exp``."""
    parts = token.split('.') if isinstance(token, str) else []
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + '=' * (-len(parts[1]) % 4)).decode('utf-8'))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    expiry = payload.get('exp') if isinstance(payload, dict) else None
    if isinstance(expiry, bool) or not isinstance(expiry, (int, float)) or not math.isfinite(expiry):
        return None
    return expiry


def utc_text(moment):
    """'2026-12-07 14:52 UTC' for a Unix time."""
    try:
        return datetime.datetime.fromtimestamp(moment, datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')
    except (OverflowError, OSError, ValueError):
        return 'at Unix time %d' % moment


def ca_bundle(ca_path, environ=None):
    """The CA bundle to verify the API's certificate with: ``ca_path``, else the first of
    CA_BUNDLE_ENVIRONMENT that is set, else None (the bundle that comes with requests)."""
    environ = os.environ if environ is None else environ
    source = 'ca_path'
    if ca_path in (None, ''):
        source, ca_path = next(((name, environ[name]) for name in CA_BUNDLE_ENVIRONMENT if (environ.get(name) or '').strip()),
                               (None, None))
    if ca_path is None:
        return None
    if not os.path.exists(ca_path):
        raise ConfigurationError('%s names a CA bundle that does not exist: %s' % (source, ca_path[:300]))
    return ca_path


CREDENTIAL_ENVIRONMENT = dict(api_token='RUNCLOUD_API_TOKEN', api_key='RUNCLOUD_API_KEY', api_secret='RUNCLOUD_API_SECRET')


def credentials_in_environment(environ):
    """{option: value} of the credential variables in ``environ`` (``os.environ`` or a test's dict)."""
    return dict((option, environ.get(variable)) for option, variable in CREDENTIAL_ENVIRONMENT.items())


class Credentials(tuple):
    """``(api_token, api_key, api_secret)`` and ``origin``: which kind they are and where they came
    from (option or environment variable names, never a value), for messages."""

    def __new__(cls, values, origin=None):
        chosen = super(Credentials, cls).__new__(cls, values)
        chosen.origin = origin
        return chosen


def _credential_origin(kind, sources):
    """'the API token (environment variable RUNCLOUD_API_TOKEN)' and the like."""
    where = ', '.join(('option %s' % option) if source == 'option' else ('environment variable %s' % CREDENTIAL_ENVIRONMENT[option])
                      for option, source in sources)
    return '%s (%s)' % (kind, where)


def choose_credentials(explicit, environment):
    """The (api_token, api_key, api_secret) to use, from what the task or inventory file sets and
    what the environment holds (both dicts keyed by option name), as ``Credentials``.

    Empty values count as unset (AWX credential types inject every variable, the unused ones empty).
    Whatever is set explicitly wins over the environment: a token in the environment does not block
    an api_key/api_secret pair given on the task, nor the reverse. Both kinds in the explicit options,
    or both kinds in the environment when no option is given, are refused: a stale variable of one
    kind must not silently beat a correct one of the other.
    """
    def present(values):
        return dict((name, values.get(name)) for name in CREDENTIAL_ENVIRONMENT if values.get(name) not in (None, ''))

    given, ambient = present(explicit), present(environment)
    if 'api_token' in given and ('api_key' in given or 'api_secret' in given):
        raise ConfigurationError('give either api_token or api_key with api_secret, not both')
    if 'api_token' in given:
        return Credentials((given['api_token'], None, None), _credential_origin('the API token', [('api_token', 'option')]))
    if 'api_key' in given or 'api_secret' in given:
        # The other half of a pair may come from the environment.
        sources = [(name, 'option' if name in given else 'environment') for name in ('api_key', 'api_secret')]
        return Credentials((None, given.get('api_key', ambient.get('api_key')), given.get('api_secret', ambient.get('api_secret'))),
                           _credential_origin('the API key and secret', sources))
    if 'api_token' in ambient and ('api_key' in ambient or 'api_secret' in ambient):
        raise ConfigurationError(
            'both kinds of credentials are set in the environment: RUNCLOUD_API_TOKEN and %s; unset the variables of '
            'the kind you do not use, or give the credentials as options (options beat the environment)'
            % ' and '.join(CREDENTIAL_ENVIRONMENT[name] for name in ('api_key', 'api_secret') if name in ambient))
    if 'api_token' in ambient:
        return Credentials((ambient['api_token'], None, None), _credential_origin('the API token', [('api_token', 'environment')]))
    pair = [name for name in ('api_key', 'api_secret') if name in ambient]
    return Credentials((None, ambient.get('api_key'), ambient.get('api_secret')),
                       _credential_origin('the API key and secret', [(name, 'environment') for name in pair]) if pair else None)


class RunCloudClient:
    """A RunCloud API v2 session. Thread-safe for concurrent requests."""

    def __init__(self, api_url=DEFAULT_API_URL, api_token=None, api_key=None, api_secret=None,
                 validate_certs=True, timeout=30.0, retry_policy=None, log=None,
                 user_agent_suffix=None, sleep=time.sleep, clock=time.monotonic, rng=random.random,
                 pool_size=10, ca_path=None, credential_origin=None, now=time.time):
        if not HAS_REQUESTS:
            raise ConfigurationError('the Python library "requests" is required by the RunCloud client')
        self.api_url = self._checked_url(api_url)
        # The API version api_url names (.../api/v2 or .../api/v3); paths are translated to it.
        self.api_version = version_of_url(self.api_url)
        # Which credential this is and where it came from (never its value), for a 401's message.
        self.credential_origin = credential_origin or ('the API token' if api_token else 'the API key and secret')
        if self.api_version == V3 and (api_key or api_secret) and not api_token:
            raise ConfigurationError(
                'API v3 (api_url %s) accepts only a Bearer token: api_key and api_secret are for API v2. Set api_token '
                '(RUNCLOUD_API_TOKEN) to a key made in the %s, or point api_url at .../api/v2' % (self.api_url, API_MANAGEMENT))
        self._authorization = self._authorization_header(api_token, api_key, api_secret)
        # What the caller should show its user (a token that expires soon), never holding a secret.
        self.warnings = []
        self._check_token_expiry(api_token, now())
        # No request has been answered yet: a 404 now more likely means a wrong api_url than a missing resource.
        self.answered = False
        self.validate_certs = validate_certs
        # An explicit bundle: requests itself would only look at REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE.
        self.ca_path = ca_bundle(ca_path) if validate_certs else None
        self.verify = self.ca_path or bool(validate_certs)
        self.timeout = checked_number('api_timeout', timeout, API_TIMEOUT_RANGE)
        self.retry_policy = retry_policy or RetryPolicy()
        self.log = log or (lambda message: None)
        self._sleep = sleep
        self._clock = clock
        self._rng = rng
        self._lock = threading.Lock()
        self._pause_until = 0.0
        self.rate_limit = {}
        # Every try sent (retries too), and the tries of writes among them: what the monthly quota counts.
        self.request_count = 0
        # An object told of what the client does with ids a module did not get from the user (the ids an
        # earlier task remembered, module.RememberedParents): ``before_write(method, path)`` before a write
        # is sent, ``not_found(method, path)`` on a 404 and ``answered(method, path, data)`` on a GET's
        # success. Each may raise StaleParentIdError, which then replaces whatever the request gave.
        self.watcher = None
        self.write_requests = 0
        self.writes = 0
        self.uncertain_writes = 0
        user_agent = 'runcloud.cloud/%s (Ansible collection) python-requests/%s' % (COLLECTION_VERSION, requests.__version__)
        if user_agent_suffix:
            user_agent += ' ' + user_agent_suffix
        self.pool_size = pool_size
        self.session = requests.Session()
        self.session.trust_env = True
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self.session.mount('http://', adapter)
        self.session.mount('https://', adapter)
        self._headers = {
            'Accept': 'application/json',
            'Content-Type': 'application/json',
            'User-Agent': user_agent,
            'Authorization': self._authorization,
        }

    # -- configuration -------------------------------------------------------------------------

    @staticmethod
    def _checked_url(api_url):
        if not api_url:
            raise ConfigurationError('api_url must not be empty')
        if not isinstance(api_url, str):
            raise ConfigurationError('api_url must be a string')
        if len(api_url) > API_URL_MAX_LENGTH:
            raise ConfigurationError('api_url is %d characters long; at most %d are accepted' % (len(api_url), API_URL_MAX_LENGTH))
        if any(character.isspace() or ord(character) < 32 or ord(character) == 127 for character in api_url):
            raise ConfigurationError('api_url must not contain whitespace or control characters')
        try:
            parts = urlsplit(api_url)
            parts.port  # pylint: disable=pointless-statement
        except ValueError:
            raise ConfigurationError('api_url is not a valid URL (check the host and the port)')
        if parts.scheme not in ('http', 'https') or not parts.hostname:
            raise ConfigurationError('api_url must be an http:// or https:// URL')
        if parts.username or parts.password:
            # Refuse rather than strip: a secret in a URL ends up in logs and shell history.
            raise ConfigurationError('api_url must not contain credentials; use api_token or api_key/api_secret')
        return api_url.rstrip('/')

    @staticmethod
    def _authorization_header(api_token, api_key, api_secret):
        for option, value in (('api_token', api_token), ('api_key', api_key), ('api_secret', api_secret)):
            check_credential(option, value)
        has_token = bool(api_token)
        has_basic = bool(api_key) or bool(api_secret)
        if has_token and has_basic:
            raise ConfigurationError('give either api_token or api_key with api_secret, not both')
        if has_token:
            return 'Bearer %s' % api_token
        if has_basic:
            if not (api_key and api_secret):
                raise ConfigurationError('api_key and api_secret must be given together')
            pair = ('%s:%s' % (api_key, api_secret)).encode('utf-8')
            return 'Basic %s' % base64.b64encode(pair).decode('ascii')
        raise ConfigurationError(
            'no RunCloud credentials: set api_token (RUNCLOUD_API_TOKEN) or api_key and api_secret '
            '(RUNCLOUD_API_KEY, RUNCLOUD_API_SECRET)')

    def _check_token_expiry(self, api_token, now):
        """Refuse an expired JWT before any request; note one that expires within 7 days."""
        expiry = token_expiry(api_token)
        if expiry is None:
            return
        if expiry <= now:
            raise ConfigurationError(
                '%s expired on %s; nothing was sent. Make a new API key in the %s and set api_token to it'
                % (self.credential_origin, utc_text(expiry), API_MANAGEMENT))
        if expiry - now <= TOKEN_EXPIRY_WARNING_SECONDS:
            self.warnings.append('%s expires on %s (in %.1f days); make a new API key in the %s before then'
                                 % (self.credential_origin, utc_text(expiry), (expiry - now) / 86400.0, API_MANAGEMENT))

    # -- paths ---------------------------------------------------------------------------------

    @staticmethod
    def path(template, **values):
        """Fill a path template such as ``servers/{server_id}/users``, quoting each value."""
        return template.format(**dict((key, quote(str(value), safe='')) for key, value in values.items()))

    def url_for(self, path):
        return '%s/%s' % (self.api_url, path.lstrip('/'))

    # -- requests ------------------------------------------------------------------------------

    def get(self, path, params=None):
        return self.request('GET', path, params=params).data

    def post(self, path, body=None, on_uncertain=None, resend_unconfirmed=True):
        return self.request('POST', path, body=body, on_uncertain=on_uncertain, resend_unconfirmed=resend_unconfirmed).data

    def patch(self, path, body=None):
        return self.request('PATCH', path, body=body).data

    def put(self, path, body=None):
        return self.request('PUT', path, body=body).data

    def delete(self, path, body=None):
        return self.request('DELETE', path, body=body).data

    def ping(self):
        return self.get(endpoint('ping', 'item'))

    def request(self, method, path, params=None, body=None, on_uncertain=None, idempotent=None, resend_unconfirmed=True):
        """Send one API request with the retry rules; return an ``ApiResponse``.

        ``idempotent`` defaults to the method's nature (GET, HEAD, PUT, PATCH, DELETE); pass False for
        a PUT that triggers something (a deployment, a renewal) so that a lost answer never repeats it.

        ``on_uncertain`` is for non-idempotent writes: when the request was sent but its outcome is
        unknown (a 5xx, a timeout, a dropped connection), it is called to re-read the state. If it
        returns a value, the write landed and that value becomes the response data. While it returns
        None it is called again after growing pauses (the write may still be in flight), for at most
        the client timeout and half the retry budget left; only then is the request sent again, and only
        if ``resend_unconfirmed`` is true. Without ``on_uncertain`` such a request is never repeated.
        Errors of requests that may have been applied have ``maybe_applied`` set.
        """
        method = method.upper()
        path = versioned_path(path, self.api_version)
        display_path = '/' + path.lstrip('/')
        policy = self.retry_policy
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        waited = 0.0
        tries = 0
        connect_failures = 0
        resent_after_uncertainty = False
        if self.watcher is not None and method not in ('GET', 'HEAD'):
            self.watcher.before_write(method, path)
        while True:
            waited += self._wait_for_rate_limit_pause(policy.budget - waited)
            tries += 1
            outcome, disposition, retry_delay = self._attempt(method, path, display_path, params, body, tries)
            if not isinstance(outcome, RunCloudError):
                if method not in ('GET', 'HEAD'):
                    self.note_write()
                elif self.watcher is not None:
                    self.watcher.answered(method, path, outcome.data)
                return outcome
            failure = outcome
            if failure.status == 404 and self.watcher is not None:
                self.watcher.not_found(method, path)
            failure.tries, failure.waited = tries, waited
            failure.after_uncertain = resent_after_uncertainty
            if disposition == FINAL:
                raise failure
            if disposition == CONNECT:
                connect_failures += 1
                if connect_failures >= CONNECT_FAILURE_TRIES:
                    raise failure
            if disposition == UNCERTAIN and method not in ('GET', 'HEAD'):
                failure.maybe_applied = True
                self.note_write(uncertain=True)
            if disposition == UNCERTAIN and not idempotent:
                if on_uncertain is None:
                    failure.message += ' (the request may have been applied; it was not repeated)'
                    raise failure
                self.log('RunCloud API: %s %s: outcome unknown (%s); re-reading the state before anything else'
                         % (method, display_path, failure.message))
                # Half of the budget left at most: the other half is for sending it again.
                recovered, settle_waited = self._settle(on_uncertain, min(self.timeout, max(0.0, policy.budget - waited) / 2.0))
                waited += settle_waited
                failure.waited = waited
                if recovered is not None:
                    return ApiResponse(200, recovered, {})
                if not resend_unconfirmed:
                    failure.message += (' (the request may have been applied or may still be processed: re-reading the state for '
                                        '%.0fs did not show it; it was not sent again)' % settle_waited)
                    raise failure
                resent_after_uncertainty = True
            if tries >= policy.max_tries:
                failure.message += ' (gave up: no tries left)'
                raise failure
            if retry_delay > policy.budget - waited:
                failure.message += ' (gave up: waiting %.1fs more would exceed the retry budget of %.1fs)' % (retry_delay, policy.budget)
                raise failure
            self.log('RunCloud API: %s %s: %s; try %d of %d in %.2fs'
                     % (method, display_path, failure.message, tries + 1, policy.max_tries, retry_delay))
            self._sleep(retry_delay)
            waited += retry_delay

    def pause(self, seconds):
        """Sleep between reads that wait for a write to land (the client's sleep, so tests do not wait)."""
        self._sleep(seconds)

    def concurrently(self, calls):
        """``[call() for call in calls]``, the calls running at the same time (at most ``pool_size``)
        through this client's connection pool: for independent requests of one task (a server and its
        SSH settings). Each call sends its requests with this client, so every retry rule and the
        shared rate-limit pause apply to each. The results come in the order of ``calls``; when calls
        fail, the error of the first of them in that order is raised once all have finished."""
        calls = list(calls)
        if len(calls) > self.pool_size:
            return map_concurrently(lambda call: call(), calls, self.pool_size)
        outcomes = [None] * len(calls)

        def run(index):
            try:
                outcomes[index] = (True, calls[index]())
            except BaseException as error:  # pylint: disable=broad-except
                outcomes[index] = (False, error)

        # The first call runs in this thread: one thread fewer to start (a few ms each on a busy machine).
        helpers = [threading.Thread(target=run, args=(index,)) for index in range(1, len(calls))]
        for helper in helpers:
            helper.start()
        if calls:
            run(0)
        for helper in helpers:
            helper.join()
        for succeeded, value in outcomes:
            if not succeeded:
                raise value
        return [value for _succeeded, value in outcomes]

    def get_many(self, paths):
        """The decoded answers of GET requests to ``paths``, sent concurrently (``concurrently``)."""
        return self.concurrently([lambda path=path: self.get(path) for path in paths])

    def usage(self):
        """What this client cost of the API quota so far: ``requests`` (every try sent, retries
        included), ``writes`` (the tries that were not GET or HEAD, whatever their answer) and
        ``rate_limit`` (the last ``X-RateLimit-Limit`` and ``X-RateLimit-Remaining`` the API sent,
        None when it sent none). No credential, no path: safe to show."""
        with self._lock:
            return dict(requests=self.request_count, writes=self.write_requests,
                        rate_limit=dict(limit=self.rate_limit.get('limit'), remaining=self.rate_limit.get('remaining')))

    def note_write(self, uncertain=False):
        """Count a write that was applied (or may have been): a task that fails later still changed something."""
        with self._lock:
            if uncertain:
                self.uncertain_writes += 1
            else:
                self.writes += 1

    @property
    def wrote(self):
        return bool(self.writes or self.uncertain_writes)

    def _settle(self, read_state, window):
        """Re-read until the state shows the write or ``window`` seconds of pauses have passed.

        Returns (what ``read_state`` found or None, seconds paused). The pauses double from
        SETTLE_FIRST_PAUSE, so a write that lands late is still seen with a handful of reads.
        """
        found = read_state()
        paused = 0.0
        pause = SETTLE_FIRST_PAUSE
        while found is None and paused < window:
            step = min(pause, window - paused)
            self.log('RunCloud API: the write is not visible yet; reading again in %.2fs' % step)
            self._sleep(step)
            paused += step
            pause *= 2
            found = read_state()
        return found, paused

    def _attempt(self, method, path, display_path, params, body, attempt_number):
        """One HTTP exchange. Returns (response, None, None) or (error, disposition, retry delay)."""
        with self._lock:
            self.request_count += 1
            if method not in ('GET', 'HEAD'):
                self.write_requests += 1
                _SHARED_LISTS['lists'].clear()
        try:
            response = self.session.request(
                method, self.url_for(path), params=params,
                json=body, headers=self._headers, timeout=(min(10.0, self.timeout), self.timeout),
                allow_redirects=False, verify=self.verify)
        except requests.exceptions.SSLError as exc:
            return TransportError(
                'TLS connection to %s failed: %s. Check api_url; for a certificate error check the CA bundle (%s) '
                'or, only for a test endpoint you trust, validate_certs=false'
                % (self.api_url, _tls_reason(exc), self._ca_bundle_hint()), method, display_path), FINAL, None
        except requests.exceptions.ConnectTimeout:
            return TransportError('could not connect to %s within %.0fs; check api_url and the network (proxy, firewall)'
                                  % (self.api_url, min(10.0, self.timeout)), method, display_path), CONNECT, self._backoff(attempt_number)
        except requests.exceptions.ConnectionError as exc:
            if _is_connect_failure(exc):
                # Nothing was sent: harmless to repeat, but a refused connection or an unknown host rarely heals soon.
                return TransportError('could not connect to %s (%s); check api_url and the network (proxy, firewall, DNS)'
                                      % (self.api_url, _connect_failure_reason(exc)), method, display_path), CONNECT, self._backoff(attempt_number)
            return (TransportError('connection lost: %s' % _short_reason(exc), method, display_path),
                    UNCERTAIN, self._backoff(attempt_number))
        except requests.exceptions.Timeout:
            return TransportError('no answer within %.0fs' % self.timeout, method, display_path), UNCERTAIN, self._backoff(attempt_number)
        except requests.exceptions.RequestException as exc:
            return TransportError('request to %s failed: %s' % (self.api_url, _short_reason(exc)), method, display_path), FINAL, None

        self._note_rate_limit(response.headers)
        status = response.status_code
        if 300 <= status < 400:
            return TransportError('refused to follow a redirect (HTTP %s); check api_url (%s)' % (status, self.api_url),
                                  method, display_path, status), FINAL, None
        data = _decode_json(response)
        if status < 300:
            if data is _NOT_JSON:
                return TransportError('the API answered HTTP %s with a body that is not JSON; check api_url (%s)' % (status, self.api_url),
                                      method, display_path, status), FINAL, None
            self.answered = True
            # Every answer is read once, here, by the value model: a single object inside a ``data``
            # envelope as the object, every field of a known type in its canonical form.
            return ApiResponse(status, read_answer(unwrap(data), ANSWER_TYPES), response.headers), None, None

        error = self._error_from_answer(data, response, method, display_path, status)
        self._add_next_step(error)
        if status == 429 and is_quota_block(error.body or {}, response.headers):
            return QuotaExceededError(
                'the monthly API call quota of this RunCloud account is spent (%s): every request is refused until the quota '
                'resets, so it was not retried. The usage is shown in the %s (Analytics)' % (error.message.rstrip('.'), API_MANAGEMENT),
                method, display_path, status, error.errors or None, body=error.body, details=error.details), FINAL, None
        if status == 429:
            return error, RETRY, self._rate_limit_delay(response.headers, attempt_number)
        if is_transient_status(status):
            # A 5xx may come from a gateway while the application still works on the request.
            return error, UNCERTAIN, self._backoff(attempt_number)
        return error, FINAL, None

    @staticmethod
    def _error_from_answer(data, response, method, display_path, status):
        """The error of an answer >= 400, with the API's own words whatever the shape of its body:
        ``message`` (or ``error``), and ``errors`` as an object of fields, a list or a string."""
        payload = data if isinstance(data, dict) else {}
        fields, details = error_details(payload.get('errors') if payload else (data if data is not _NOT_JSON else None))
        message = next((payload[key] for key in ('message', 'error') if isinstance(payload.get(key), str) and payload[key].strip()), None)
        if message is None and details:
            message = details.pop(0)
        message = message or response.reason or 'HTTP %s' % status
        return error_class_for_status(status)(message, method, display_path, status, fields or None,
                                              body=payload or None, details=[text for text in details if text != message])

    def _ca_bundle_hint(self):
        if self.ca_path:
            return 'in use: %s' % self.ca_path
        return 'set ca_path to the bundle of a private CA; none is set, so the one that comes with requests is used'

    def _add_next_step(self, error):
        """What to check, for the answers whose cause is usually the set-up rather than the request."""
        if error.status == 401 and self.api_version == V3:
            step = ('API v3 refused %s. It is one of three causes: the token is wrong (not complete, or from another '
                    'workspace), it expired, or this machine\'s IP address is not on the API key\'s allow-list. Check all three '
                    'in the %s' % (self.credential_origin, API_MANAGEMENT))
        elif error.status == 401:
            step = ('the API did not accept %s: check that it is current and complete (RunCloud panel: '
                    'Workspace > Settings > API Keys, or Settings > API Key for a key and secret) and that it '
                    'belongs to the API at %s' % (self.credential_origin, self.api_url))
        elif error.status == 404 and not self.answered and not urlsplit(self.api_url).path.endswith(API_PATHS):
            step = ('check api_url: it is %s, but the RunCloud API is under a path ending in %s (v2, the default %s) or %s (v3)'
                    % (self.api_url, API_PATHS[0], DEFAULT_API_URL, API_PATHS[1]))
        elif error.status == 404 and not self.answered:
            step = 'the first request of this run; if what it asks for exists, check api_url (%s)' % self.api_url
        else:
            return
        error.message = '%s; %s' % (error.message.rstrip().rstrip('.'), step)

    # -- rate limiting ---------------------------------------------------------------------------

    def _backoff(self, attempt_number):
        # Exponential in the tries of this one request: earlier requests of the client must not lengthen it.
        return self.retry_policy.backoff(min(attempt_number, 8), self._rng)

    def _rate_limit_delay(self, headers, attempt_number):
        delay = parse_retry_after(headers.get('Retry-After'))
        if delay is None:
            delay = parse_rate_limit_reset(headers.get('X-RateLimit-Reset'))
        if delay is None:
            delay = self._backoff(attempt_number)
        with self._lock:
            self._pause_until = max(self._pause_until, self._clock() + delay)
        return delay

    def _note_rate_limit(self, headers):
        limit = _int_or_none(headers.get('X-RateLimit-Limit'))
        remaining = _int_or_none(headers.get('X-RateLimit-Remaining'))
        if limit is None and remaining is None:
            return
        with self._lock:
            self.rate_limit = {'limit': limit, 'remaining': remaining}
            if remaining == 0:
                # The next request would be refused: pause everyone until the window likely resets.
                pause = parse_rate_limit_reset(headers.get('X-RateLimit-Reset'))
                if pause is None:
                    pause = self.retry_policy.base_delay
                self._pause_until = max(self._pause_until, self._clock() + pause)

    def _wait_for_rate_limit_pause(self, budget_left):
        """Sleep while a rate-limit pause is in force (shared by all threads); return seconds slept."""
        with self._lock:
            delay = self._pause_until - self._clock()
        if delay <= 0:
            return 0.0
        delay = min(delay, max(0.0, budget_left))
        if delay > 0:
            self.log('RunCloud API: rate limit reached; pausing %.2fs' % delay)
            self._sleep(delay)
        return delay

    # -- lists ---------------------------------------------------------------------------------

    def get_page(self, path, page=1, per_page=MAX_PER_PAGE, params=None, link_query=None):
        """One page of a list endpoint: (items, pagination or None). ``link_query`` is the query of
        the previous page's ``next`` link, sent as it is."""
        query = dict(params or {})
        query.update(page=page, perPage=per_page)
        query.update(link_query or {})
        return split_list_body(self.get(path, params=query))

    def iter_items(self, path, params=None, per_page=MAX_PER_PAGE, max_pages=None):
        """Every item of a list endpoint, page after page, fetched lazily.

        A ``next`` link (``links.next``, at the top or in ``meta.pagination``) is followed when the
        answer has one; links without a next one end the list. Otherwise the page count comes from
        the answer's pagination block when it has one. Without either (a bare array, a block of
        another shape), pages are read while they come back full - as many items as asked for, as
        many as one of the API's own page sizes (API_PAGE_SIZES) on the first page, or as many as the
        first page held - and the list ends at a short or empty page, or at a page that only repeats
        what was read (an endpoint that is not paginated at all). Reaching ``max_pages`` with more
        pages to come is an error: a list is never cut short in silence.
        """
        return self._walk_pages(path, params, per_page, max_pages, None)

    def _walk_pages(self, path, params, per_page, max_pages, first_page):
        limit = MAX_LIST_PAGES if max_pages is None else max_pages
        page, first_size, seen, link_query = 1, None, set(), None
        while True:
            if page == 1 and first_page is not None:
                items, pagination = first_page
            else:
                items, pagination = self.get_page(path, page, per_page, params, link_query)
            keys = [_item_key(item) for item in items]
            if page > 1 and keys and all(key in seen for key in keys):
                return
            seen.update(keys)
            yield from items
            if first_size is None:
                first_size = len(items)
            if not items:
                return
            more = _more_pages(pagination, page, len(items), first_size, per_page)
            if not more:
                return
            if page >= limit:
                raise _too_many_pages(path, limit, per_page)
            link_query = more if isinstance(more, dict) else None
            page = _int_or_none((link_query or {}).get('page')) or page + 1

    def list_all(self, path, params=None, per_page=MAX_PER_PAGE, concurrency=1):
        """Every item of a list endpoint. With ``concurrency`` > 1 the pages after the first are
        fetched in parallel once the first page tells how many there are."""
        first_page = self.get_page(path, 1, per_page, params)
        items, pagination = first_page
        pages = total_pages_of(pagination)
        if pages is None or concurrency <= 1:
            return list(self._walk_pages(path, params, per_page, None, first_page))
        if pages <= 1 or not items:
            return list(items)
        if pages > MAX_LIST_PAGES:
            raise _too_many_pages(path, MAX_LIST_PAGES, per_page)
        pages_data = map_concurrently(lambda page: self.get_page(path, page, per_page, params)[0],
                                      range(2, pages + 1), concurrency)
        result = list(items)
        for page_items in pages_data:
            result.extend(page_items)
        return result

    def find_by_field(self, path, value, field='name', params=None, description='resource', searchable=True, max_pages=None,
                      same=None, seen=None):
        """The one item of a list whose ``field`` equals ``value`` exactly, or None.

        Uses the API's server-side ``search`` (a substring match) to narrow the list, then matches
        exactly. Two exact matches are an error: the caller must use the id instead. Without
        ``searchable`` the whole list is read (at most ``max_pages`` pages). ``same(found, value)``
        replaces the exact string comparison (domain names, where case does not matter). ``seen``, a
        list, gets the ``field`` of every item read (for a "did you mean" without another request).
        """
        same = same or _same
        # Shared by the items of a looped task; a limited read (a proof of absence) is always fresh.
        candidates = self._shared_list(path, params) if _SHARED_LISTS['enabled'] and max_pages is None else None
        if candidates is None:
            query = dict(params or {})
            if searchable:
                query['search'] = value
            candidates = self.iter_items(path, query, max_pages=max_pages)
        items = [item for item in candidates if isinstance(item, dict)]
        if seen is not None:
            seen.extend(item.get(field) for item in items if item.get(field) is not None)
        matches = [item for item in items if same(item.get(field), value)]
        if len(matches) > 1:
            raise AmbiguousMatchError(
                '%d %ss have %s %r (ids %s); give the id instead of the name'
                % (len(matches), description, field, value, ', '.join(str(item.get('id')) for item in matches)),
                'GET', '/' + path.lstrip('/'))
        return matches[0] if matches else None

    def _shared_list(self, path, params):
        """The whole list at ``path`` as read once for the items of the looped task (a copy: callers
        change what they find), or None when it did not fit in one page."""
        account = hashlib.sha256(('%s %s' % (self.api_url, self._authorization)).encode('utf-8')).hexdigest()
        key = (account, '/' + path.lstrip('/'), json.dumps(params or {}, sort_keys=True))
        lists = _SHARED_LISTS['lists']
        if key not in lists:
            items, pagination = self.get_page(path, 1, MAX_PER_PAGE, params)
            # A next link, a page count or a full page: more may follow, so the items search as usual.
            whole = not _more_pages(pagination, 1, len(items), len(items), MAX_PER_PAGE)
            lists[key] = list(items) if whole else None
        return copy.deepcopy(lists[key])


BOOLEAN_WORDS = {'y': True, 'yes': True, 'on': True, '1': True, 'true': True, 't': True,
                 'n': False, 'no': False, 'off': False, '0': False, 'false': False, 'f': False}


def parse_bool(value):
    """A boolean from an option or environment variable (the words Ansible accepts), else ValueError."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in BOOLEAN_WORDS:
        return BOOLEAN_WORDS[word]
    raise ValueError('%r is not a boolean' % (value,))


# option -> (environment variable, conversion, default): the connection options of the modules, for
# the plugins that read them from their own arguments and the environment (the lookup, the event source).
CONNECTION_OPTIONS = (
    ('api_url', 'RUNCLOUD_API_URL', str, DEFAULT_API_URL),
    ('validate_certs', 'RUNCLOUD_VALIDATE_CERTS', parse_bool, True),
    ('ca_path', 'RUNCLOUD_CA_PATH', str, None),
    ('api_timeout', 'RUNCLOUD_API_TIMEOUT', float, 30.0),
    ('api_retries', 'RUNCLOUD_API_RETRIES', int, 5),
    ('api_retry_budget', 'RUNCLOUD_API_RETRY_BUDGET', float, 120.0),
)
# Other names an option is known by (the modules' aliases).
CONNECTION_ALIASES = {'api_url': ('api_endpoint',)}
# What a value that does not convert must be, in the words the modules and the inventory use.
EXPECTED_VALUE = {parse_bool: 'true or false', float: 'a number', int: 'a whole number', str: 'a string'}


def connection_settings(given, environ):
    """The connection options and credentials: given (a dict keyed by option name), else a
    non-empty environment variable, else the default; the credentials by ``choose_credentials``.
    A value that does not convert raises ``ConfigurationError`` naming the option or variable."""
    settings = {}
    for option, variable, convert, default in CONNECTION_OPTIONS:
        value = given.get(option)
        source = option
        for alias in CONNECTION_ALIASES.get(option, ()):
            if value in (None, '') and given.get(alias) not in (None, ''):
                value, source = given[alias], alias
        if value in (None, ''):
            value = environ.get(variable) or None
            source = variable
        if value is None:
            settings[option] = default
            continue
        try:
            settings[option] = convert(value)
        except (TypeError, ValueError, OverflowError):
            raise ConfigurationError('%s must be %s' % (source, EXPECTED_VALUE[convert]))
    # ``credentials`` also knows where they came from, for the messages of a refused credential.
    settings['credentials'] = choose_credentials(given, credentials_in_environment(environ))
    settings['api_token'], settings['api_key'], settings['api_secret'] = settings['credentials']
    return settings


def client_from_options(options, credentials, log, user_agent_suffix, pool_size=10):
    """A client from the connection options that modules, the inventory plugin and the lookup share
    (named as in the ``runcloud.cloud.api`` doc fragment: ``api_url``, ``validate_certs``, ``ca_path``,
    ``api_timeout``, ``api_retries``, ``api_retry_budget``) and the ``(api_token, api_key,
    api_secret)`` that ``choose_credentials`` picked."""
    api_token, api_key, api_secret = credentials
    return RunCloudClient(
        credential_origin=getattr(credentials, 'origin', None),
        api_url=options['api_url'],
        api_token=api_token,
        api_key=api_key,
        api_secret=api_secret,
        validate_certs=options['validate_certs'],
        timeout=options['api_timeout'],
        retry_policy=RetryPolicy(max_tries=options['api_retries'], budget=options['api_retry_budget']),
        log=log,
        user_agent_suffix=user_agent_suffix,
        pool_size=pool_size,
        ca_path=options.get('ca_path'),
    )


_NOT_JSON = object()


def map_concurrently(function, arguments, concurrency):
    """``[function(a) for a in arguments]``, at most ``concurrency`` calls at a time, in order."""
    arguments = list(arguments)
    if concurrency <= 1 or len(arguments) <= 1:
        return [function(argument) for argument in arguments]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=min(concurrency, len(arguments))) as pool:
        return list(pool.map(function, arguments))


def _decode_json(response):
    if not response.content or not response.content.strip():
        return {}
    try:
        return response.json()
    except ValueError:
        return _NOT_JSON


def _same(left, right):
    if left is None or right is None:
        return left is right
    return str(left) == str(right)


def _more_pages(pagination, page, count, first_size, per_page):
    """Whether another page follows page ``page`` (``count`` items): the next link's query (a dict)
    when the answer has one, else True or False."""
    link = next_link_query(pagination)
    if link:
        return link
    pages = total_pages_of(pagination)
    if pages is not None:
        return page < pages
    if link is False:
        return False
    return _page_may_continue(page, count, first_size, per_page)


def _page_may_continue(page, count, first_size, per_page):
    """Whether a page of an answer that says nothing about its pages may be followed by another one."""
    if count >= per_page:
        return True
    if page == 1:
        return count in API_PAGE_SIZES
    return count >= first_size


def _too_many_pages(path, limit, per_page):
    return TransportError('the list has more than %d pages of %d items; stopped reading it (narrow it with a search or filter)'
                          % (limit, per_page), 'GET', '/' + path.lstrip('/'))


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _is_connect_failure(exc):
    """True when the connection was never established (refused, DNS), so nothing was sent."""
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, 'reason', reason)
    if type(reason).__name__ in ('NewConnectionError', 'NameResolutionError'):
        return True
    text = repr(reason)
    return any(marker in text for marker in ('Connection refused', 'NewConnectionError', 'NameResolutionError',
                                             'Failed to resolve', 'Name or service not known', 'nodename nor servname'))


def _connect_failure_reason(exc):
    text = repr(exc.args[0] if exc.args else exc)
    if any(marker in text for marker in ('NameResolutionError', 'Failed to resolve', 'Name or service not known',
                                         'nodename nor servname', 'getaddrinfo')):
        return 'the host name does not resolve'
    if 'Connection refused' in text:
        return 'connection refused'
    return 'no connection'


def _tls_reason(exc):
    """What OpenSSL said ("certificate verify failed: self-signed certificate in certificate chain"),
    without the layers of urllib3 around it."""
    text = _short_reason(exc)
    match = re.search(r"(certificate verify failed: [^()'\"]+|\[SSL: [A-Z_]+\] [^()'\"]+|\[SSL\] [^()'\"]+)", text)
    return match.group(1).strip() if match else text


def _short_reason(exc):
    text = str(exc.args[0]) if exc.args else exc.__class__.__name__
    return text[:300]
