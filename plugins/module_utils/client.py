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
import email.utils
import random
import threading
import time
import traceback

from ansible_collections.runcloud.cloud.plugins.module_utils.errors import (
    AmbiguousMatchError,
    ConfigurationError,
    RunCloudError,
    TransportError,
    error_class_for_status,
)

try:
    import requests
    from requests.adapters import HTTPAdapter
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

try:
    from urllib.parse import urlsplit, quote
except ImportError:  # pragma: no cover - Python 2 is not supported, but the import must not crash sanity
    from urlparse import urlsplit  # type: ignore
    from urllib import quote  # type: ignore

COLLECTION_VERSION = '0.1.0'
DEFAULT_API_URL = 'https://manage.runcloud.io/api/v2'
MAX_PER_PAGE = 40
IDEMPOTENT_METHODS = frozenset(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'])
# 5xx answers that say something about the server, not about the request, are worth another try.
NOT_TRANSIENT_5XX = frozenset([501, 505])
# A refused connection or unknown host name rarely heals within seconds: one more try, then a clear error.
CONNECT_FAILURE_TRIES = 2
# The first pause before re-reading the state again after an uncertain write; it doubles each time.
SETTLE_FIRST_PAUSE = 1.0

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
        if max_tries < 1:
            raise ConfigurationError('api_retries must be at least 1')
        if budget < 0:
            raise ConfigurationError('api_retry_budget must not be negative')
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


def split_list_body(data):
    """Return (items, pagination) of a list answer: the paginated envelope or a bare array."""
    if isinstance(data, list):
        return data, None
    if isinstance(data, dict) and isinstance(data.get('data'), list):
        meta = data.get('meta') or {}
        return data['data'], meta.get('pagination') or None
    raise TransportError('expected a list answer (a JSON array or {"data": [...]}) but got %s' % type(data).__name__)


def total_pages_of(pagination):
    if not pagination:
        return 1
    try:
        return max(1, int(pagination.get('total_pages') or 1))
    except (TypeError, ValueError):
        return 1


CREDENTIAL_ENVIRONMENT = dict(api_token='RUNCLOUD_API_TOKEN', api_key='RUNCLOUD_API_KEY', api_secret='RUNCLOUD_API_SECRET')


def credentials_in_environment(environ):
    """{option: value} of the credential variables in ``environ`` (``os.environ`` or a test's dict)."""
    return dict((option, environ.get(variable)) for option, variable in CREDENTIAL_ENVIRONMENT.items())


def choose_credentials(explicit, environment):
    """The (api_token, api_key, api_secret) to use, from what the task or inventory file sets and
    what the environment holds (both dicts keyed by option name).

    Empty values count as unset (AWX credential types inject every variable, the unused ones empty).
    Whatever is set explicitly wins over the environment: a token in the environment does not block
    an api_key/api_secret pair given on the task, nor the reverse. Only when the explicit options
    themselves hold both kinds is that an error. From the environment alone, a token wins over a pair.
    """
    def present(values):
        return dict((name, values.get(name)) for name in CREDENTIAL_ENVIRONMENT if values.get(name) not in (None, ''))

    given, ambient = present(explicit), present(environment)
    if 'api_token' in given and ('api_key' in given or 'api_secret' in given):
        raise ConfigurationError('give either api_token or api_key with api_secret, not both')
    if 'api_token' in given:
        return given['api_token'], None, None
    if 'api_key' in given or 'api_secret' in given:
        # The other half of a pair may come from the environment.
        return None, given.get('api_key', ambient.get('api_key')), given.get('api_secret', ambient.get('api_secret'))
    if 'api_token' in ambient:
        return ambient['api_token'], None, None
    return None, ambient.get('api_key'), ambient.get('api_secret')


class RunCloudClient:
    """A RunCloud API v2 session. Thread-safe for concurrent requests."""

    def __init__(self, api_url=DEFAULT_API_URL, api_token=None, api_key=None, api_secret=None,
                 validate_certs=True, timeout=30.0, retry_policy=None, log=None,
                 user_agent_suffix=None, sleep=time.sleep, clock=time.monotonic, rng=random.random,
                 pool_size=10):
        if not HAS_REQUESTS:
            raise ConfigurationError('the Python library "requests" is required by the RunCloud client')
        self.api_url = self._checked_url(api_url)
        self._authorization = self._authorization_header(api_token, api_key, api_secret)
        self.validate_certs = validate_certs
        self.timeout = float(timeout)
        if self.timeout <= 0:
            raise ConfigurationError('api_timeout must be a positive number of seconds')
        self.retry_policy = retry_policy or RetryPolicy()
        self.log = log or (lambda message: None)
        self._sleep = sleep
        self._clock = clock
        self._rng = rng
        self._lock = threading.Lock()
        self._pause_until = 0.0
        self.rate_limit = {}
        self.request_count = 0
        self.writes = 0
        self.uncertain_writes = 0
        user_agent = 'runcloud.cloud/%s (Ansible collection) python-requests/%s' % (COLLECTION_VERSION, requests.__version__)
        if user_agent_suffix:
            user_agent += ' ' + user_agent_suffix
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
        parts = urlsplit(api_url)
        if parts.scheme not in ('http', 'https') or not parts.netloc:
            raise ConfigurationError('api_url must be an http:// or https:// URL')
        if parts.username or parts.password:
            # Refuse rather than strip: a secret in a URL ends up in logs and shell history.
            raise ConfigurationError('api_url must not contain credentials; use api_token or api_key/api_secret')
        return api_url.rstrip('/')

    @staticmethod
    def _authorization_header(api_token, api_key, api_secret):
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
        return self.get('ping')

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
        display_path = '/' + path.lstrip('/')
        policy = self.retry_policy
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        waited = 0.0
        tries = 0
        connect_failures = 0
        resent_after_uncertainty = False
        while True:
            waited += self._wait_for_rate_limit_pause(policy.budget - waited)
            tries += 1
            outcome, disposition, retry_delay = self._attempt(method, path, display_path, params, body, tries)
            if not isinstance(outcome, RunCloudError):
                if method not in ('GET', 'HEAD'):
                    self.note_write()
                return outcome
            failure = outcome
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
        try:
            response = self.session.request(
                method, self.url_for(path), params=params,
                data=None if body is None else _json_dumps(body),
                headers=self._headers, timeout=(min(10.0, self.timeout), self.timeout),
                allow_redirects=False, verify=self.validate_certs)
        except requests.exceptions.SSLError as exc:
            return TransportError(
                'TLS connection to %s failed: %s. Check api_url; for a certificate error check the CA bundle '
                '(REQUESTS_CA_BUNDLE) or, only for a test endpoint you trust, validate_certs=false'
                % (self.api_url, _short_reason(exc)), method, display_path), FINAL, None
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
            return ApiResponse(status, data, response.headers), None, None

        payload = data if isinstance(data, dict) else {}
        message = payload.get('message') or response.reason or 'HTTP %s' % status
        errors = payload.get('errors') if isinstance(payload.get('errors'), dict) else None
        error = error_class_for_status(status)(message, method, display_path, status, errors, body=payload or None)
        if status == 429:
            return error, RETRY, self._rate_limit_delay(response.headers, attempt_number)
        if is_transient_status(status):
            # A 5xx may come from a gateway while the application still works on the request.
            return error, UNCERTAIN, self._backoff(attempt_number)
        return error, FINAL, None

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

    def get_page(self, path, page=1, per_page=MAX_PER_PAGE, params=None):
        """One page of a list endpoint: (items, pagination or None)."""
        query = dict(params or {})
        query.update(page=page, perPage=per_page)
        return split_list_body(self.get(path, params=query))

    def iter_items(self, path, params=None, per_page=MAX_PER_PAGE, max_pages=None):
        """Every item of a list endpoint, page after page, fetched lazily (at most ``max_pages`` pages)."""
        page = 1
        while True:
            items, pagination = self.get_page(path, page, per_page, params)
            yield from items
            if page >= total_pages_of(pagination) or not items:
                return
            if max_pages is not None and page >= max_pages:
                self.log('RunCloud API: GET /%s: stopped after %d pages' % (path.lstrip('/'), max_pages))
                return
            page += 1

    def list_all(self, path, params=None, per_page=MAX_PER_PAGE, concurrency=1):
        """Every item of a list endpoint. With ``concurrency`` > 1 the pages after the first are
        fetched in parallel once the first page tells how many there are."""
        items, pagination = self.get_page(path, 1, per_page, params)
        pages = total_pages_of(pagination)
        if pages <= 1 or not items:
            return list(items)
        pages_data = map_concurrently(lambda page: self.get_page(path, page, per_page, params)[0],
                                      range(2, pages + 1), concurrency)
        result = list(items)
        for page_items in pages_data:
            result.extend(page_items)
        return result

    def find_by_field(self, path, value, field='name', params=None, description='resource', searchable=True, max_pages=None):
        """The one item of a list whose ``field`` equals ``value`` exactly, or None.

        Uses the API's server-side ``search`` (a substring match) to narrow the list, then matches
        exactly. Two exact matches are an error: the caller must use the id instead. Without
        ``searchable`` the whole list is read (at most ``max_pages`` pages).
        """
        query = dict(params or {})
        if searchable:
            query['search'] = value
        matches = [item for item in self.iter_items(path, query, max_pages=max_pages) if _same(item.get(field), value)]
        if len(matches) > 1:
            raise AmbiguousMatchError(
                '%d %ss have %s %r (ids %s); give the id instead of the name'
                % (len(matches), description, field, value, ', '.join(str(item.get('id')) for item in matches)),
                'GET', '/' + path.lstrip('/'))
        return matches[0] if matches else None


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
    ('api_timeout', 'RUNCLOUD_API_TIMEOUT', float, 30.0),
    ('api_retries', 'RUNCLOUD_API_RETRIES', int, 5),
    ('api_retry_budget', 'RUNCLOUD_API_RETRY_BUDGET', float, 120.0),
)


def connection_settings(given, environ):
    """The connection options and credentials: given (a dict keyed by option name), else a
    non-empty environment variable, else the default; the credentials by ``choose_credentials``.
    A value that does not convert raises ``ConfigurationError`` naming the option or variable."""
    settings = {}
    for option, variable, convert, default in CONNECTION_OPTIONS:
        value = given.get(option)
        source = option
        if value in (None, ''):
            value = environ.get(variable) or None
            source = variable
        if value is None:
            settings[option] = default
            continue
        try:
            settings[option] = convert(value)
        except (TypeError, ValueError) as error:
            raise ConfigurationError('%s has an invalid value: %s' % (source, error))
    settings['api_token'], settings['api_key'], settings['api_secret'] = choose_credentials(given, credentials_in_environment(environ))
    return settings


def client_from_options(options, credentials, log, user_agent_suffix, pool_size=10):
    """A client from the connection options that modules, the inventory plugin and the lookup share
    (named as in the ``runcloud.cloud.api`` doc fragment: ``api_url``, ``validate_certs``,
    ``api_timeout``, ``api_retries``, ``api_retry_budget``) and the ``(api_token, api_key,
    api_secret)`` that ``choose_credentials`` picked."""
    api_token, api_key, api_secret = credentials
    return RunCloudClient(
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


def _json_dumps(body):
    import json
    return json.dumps(body)


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


def _short_reason(exc):
    text = str(exc.args[0]) if exc.args else exc.__class__.__name__
    return text[:300]
