# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A stateful, standard-library-only RunCloud API simulator: v2 at /api/v2 and v3 at /api/v3, one account
seen through both (see docs/simulator.md and docs/simulator-contract.md).

Run `python3 tests/simulator/runcloud_sim.py --help`, or use `Simulator` in-process.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import base64
import binascii
import http
import ipaddress
import json
import os
import random
import re
import signal
import ssl
import sys
import tempfile
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import sim_api
import sim_resources
import sim_v3
import sim_v3_access
import sim_v3_atomic
import sim_v3_backups
import sim_v3_landing
import sim_v3_variants
import sim_variants
from sim_core import ApiError, Router

DEFAULT_TOKEN = "runcloud-sim-token"
DEFAULT_API_KEY = "runcloud-sim-key"
DEFAULT_API_SECRET = "runcloud-sim-secret"
API_PREFIX = "/api/v2"
API_V3_PREFIX = "/api/v3"
API_PREFIXES = {API_PREFIX: 2, API_V3_PREFIX: 3}
CONTROL_PREFIX = "/__sim__"
FAULT_ACTIONS = ("status", "drop", "delay", "apply_and_drop")
# What a client written against the real v2 API expects on a wrong or missing credential.
UNAUTHENTICATED_MESSAGE = "Invalid credentials."
# Temporary SSH keys (v3) expire after "~7 hours" (one source) or "12h" (another): the shorter one.
DEFAULT_TEMPORARY_KEY_LIFETIME = 7 * 3600.0


class DropConnection(Exception):
    """Close the connection without any answer (fault injection)."""


class Answer:
    def __init__(self, status, body, headers=None, note=None):
        self.status = status
        self.body = body
        self.headers = headers or {}
        # Extra fields of the request-log entry (why a v3 request was refused); never sent.
        self.note = note or {}


def _status_message(status):
    if status == 429:
        return "Too Many Attempts."
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class RateLimiter:
    """Laravel-style fixed window per credential: the window starts with the credential's first request."""

    def __init__(self, limit, window):
        self.limit = limit
        self.window = window
        self.buckets = {}

    def hit(self, key):
        """Counts a request; returns (allowed, headers)."""
        now = time.monotonic()
        started, count = self.buckets.get(key, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        headers = {"X-RateLimit-Limit": str(self.limit)}
        if count >= self.limit:
            reset_in = max(1, int(round(started + self.window - now + 0.499)))
            headers.update({"X-RateLimit-Remaining": "0", "Retry-After": str(reset_in), "X-RateLimit-Reset": str(int(time.time()) + reset_in)})
            return False, headers
        self.buckets[key] = (started, count + 1)
        headers["X-RateLimit-Remaining"] = str(self.limit - count - 1)
        return True, headers


class Simulator:
    """The simulator: an HTTP server on loopback plus the in-memory store it serves."""

    def __init__(self, host="127.0.0.1", port=0, token=DEFAULT_TOKEN, api_key=DEFAULT_API_KEY, api_secret=DEFAULT_API_SECRET,
                 rate_limit=6000, rate_window=60, latency_ms=0, latency_jitter_ms=0, seed_servers=0, seed_fixtures=False,
                 state_file=None, random_fault_rate=0.0, random_seed=None, variants=(), tls_cert=None, tls_key=None,
                 jwt_secret=sim_v3_access.DEFAULT_JWT_SECRET, allowed_ips=(), monthly_quota=sim_v3_access.DEFAULT_MONTHLY_QUOTA,
                 quota_status=sim_v3_access.DEFAULT_QUOTA_STATUS, land_delay=sim_v3_landing.DEFAULT_LAND_DELAY,
                 temporary_key_lifetime=DEFAULT_TEMPORARY_KEY_LIFETIME):
        if not _is_loopback(host):
            raise ValueError("the simulator only binds loopback addresses, not %r" % host)
        self.host = host
        self.port = port
        self.token = token
        self.api_key = api_key
        self.api_secret = api_secret
        self.state_file = state_file
        self.tls_cert = tls_cert
        self.tls_key = tls_key
        self._startup = {"rate_limit": rate_limit, "rate_window": rate_window, "latency_ms": latency_ms,
                         "latency_jitter_ms": latency_jitter_ms, "random_fault_rate": random_fault_rate, "random_seed": random_seed,
                         "variants": sim_v3_variants.checked_variants(list(variants or [])),
                         "v3": {"secret": jwt_secret, "allowed_ips": list(allowed_ips or []), "monthly_quota": monthly_quota,
                                "quota_status": quota_status},
                         "land_delay": land_delay, "temporary_key_lifetime": temporary_key_lifetime}
        sim_v3_access.checked_networks(self._startup["v3"]["allowed_ips"])
        self.lock = threading.RLock()
        self.router = Router(sim_api.ROUTES)
        self.v3_router = Router(sim_v3.ROUTES)
        self.v3_router_with_v2_paths = Router(sim_v3.ROUTES_WITH_V2_PATHS)
        self.landings = sim_v3_landing.Landings(self.lock, self.save, land_delay)
        self.store = sim_resources.Store(self._load_state())
        self._configure_runtime()
        self._server = None
        self._thread = None
        if seed_servers:
            sim_api.seed(self.store, servers=seed_servers, fixtures=seed_fixtures)
            self.save()

    # -- lifecycle ---------------------------------------------------------

    def _configure_runtime(self):
        """(Re)sets everything that is not the store: rate limit, latency, faults, request log."""
        startup = self._startup
        self.rate_limiter = RateLimiter(startup["rate_limit"], startup["rate_window"])
        self.latency_ms = startup["latency_ms"]
        self.latency_jitter_ms = startup["latency_jitter_ms"]
        self._latency_rng = random.Random(startup["random_seed"])
        self.fault_rules = []
        self.random_faults = _random_fault_settings({"rate": startup["random_fault_rate"]})
        self._fault_rng = random.Random(startup["random_seed"])
        self.requests = []
        self.counters = _new_counters()
        self.agent_connect_delay = 0.0
        self.variants = list(startup["variants"])
        self.access = sim_v3_access.Access(**startup["v3"])
        self.landings.cancel_all()
        self.landings.delay = startup["land_delay"]
        self.landings.landed = 0
        self.temporary_key_lifetime = startup["temporary_key_lifetime"]

    def start(self):
        handler = type("BoundRequestHandler", (RequestHandler,), {"simulator": self})
        self._server = ThreadingHTTPServer((self.host, self.port), handler)
        self._server.daemon_threads = True
        if self.tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.tls_cert, self.tls_key)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="runcloud-sim", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.landings.cancel_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    @property
    def root_url(self):
        return "%s://%s:%d" % ("https" if self.tls_cert else "http", self.host, self.port)

    @property
    def url(self):
        return self.root_url + API_PREFIX

    @property
    def url_v3(self):
        return self.root_url + API_V3_PREFIX

    @property
    def token_v3(self):
        """A JWT that /api/v3 (and /api/v2) accepts until 2100; mint_token makes others."""
        return self.access.default_token

    def mint_token(self, exp, **claims):
        """A JWT signed like the simulator's tokens, expiring at `exp` (Unix time): expired ones answer 401."""
        return self.access.mint(exp, **claims)

    def api_url(self, version):
        return self.url_v3 if int(version) == 3 else self.url

    @property
    def control_url(self):
        return self.root_url + CONTROL_PREFIX

    @property
    def state(self):
        return self.store.state

    # -- persistence -------------------------------------------------------

    def _load_state(self):
        if self.state_file and os.path.exists(self.state_file):
            with open(self.state_file, "r", encoding="utf-8") as handle:
                return json.load(handle)
        return None

    def save(self):
        """Atomically writes the store to --state-file (no-op without one)."""
        if not self.state_file:
            return
        with self.lock:
            payload = json.dumps(self.store.state)
        directory = os.path.dirname(os.path.abspath(self.state_file))
        descriptor, temporary = tempfile.mkstemp(prefix=".runcloud-sim-", dir=directory)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(temporary, self.state_file)

    # -- request handling --------------------------------------------------

    def _credential(self, header):
        """Returns (rate-limit key, authenticated?) for an Authorization header."""
        scheme, dummy, value = (header or "").partition(" ")
        value = value.strip()
        if scheme.lower() == "bearer" and value:
            # One account: a v3 token (a JWT of this simulator, unexpired) works on /api/v2 too.
            return "bearer:" + value, value == self.token or self.access.claims(value) is not None
        if scheme.lower() == "basic" and value:
            try:
                user, dummy, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return "basic:invalid", False
            return "basic:" + user, (user, password) == (self.api_key, self.api_secret)
        return None, False

    def _next_fault(self, method, path, version=2):
        with self.lock:
            for rule in self.fault_rules:
                if rule["remaining"] > 0 and rule["method"] in (None, method) and rule["version"] in (None, version) \
                        and re.search(rule["path"], path):
                    rule["remaining"] -= 1
                    return rule
            settings = self.random_faults
            if settings["rate"] and not any(re.search(pattern, "%s %s" % (method, path)) for pattern in settings["exclude"]):
                if self._fault_rng.random() < settings["rate"]:
                    action = self._fault_rng.choice(settings["actions"])
                    return {"action": action, "status": self._fault_rng.choice(settings["statuses"]),
                            "delay_ms": settings["delay_ms"], "random": True}
        return None

    def _authenticate(self, auth_header, client, version):
        """Returns (rate-limit key, None) or (rate-limit key, Answer refusing the request)."""
        if version == 3:
            rate_key, refusal = self.access.authenticate(auth_header, client)
            if refusal is None:
                return rate_key, None
            message = sim_v3_access.MISSING_TOKEN_MESSAGE if refusal == "missing" else sim_v3_access.INVALID_TOKEN_MESSAGE
            return rate_key, Answer(401, {"message": message}, note={"refused": refusal})
        rate_key, authenticated = self._credential(auth_header)
        return rate_key, None if authenticated else Answer(401, {"message": UNAUTHENTICATED_MESSAGE})

    def handle_api(self, method, path, query, raw_body, auth_header, client, content_type=None, version=2):
        """Runs one /api/v2 or /api/v3 request; returns (Answer, fault rule or None, parsed body). Raises DropConnection."""
        rate_key, refusal = self._authenticate(auth_header, client, version)
        with self.lock:
            allowed, limit_headers = self.rate_limiter.hit(rate_key or "anonymous:" + client)
        if not allowed:
            return Answer(429, {"message": "Too Many Attempts."}, limit_headers), None, None
        if refusal is not None:
            refusal.headers.update(limit_headers)
            return refusal, None, None
        if version == 3:
            with self.lock:
                within_quota = self.access.spend()
            if not within_quota:
                # Not the rate limit: no Retry-After, and X-RateLimit-Remaining is left as the window has it.
                return Answer(self.access.quota_status, {"message": sim_v3_access.QUOTA_MESSAGE}, limit_headers,
                              note={"refused": "quota"}), None, None
        fault = self._next_fault(method, path, version)
        if fault and fault["action"] == "drop":
            raise DropConnection()
        if fault and fault["action"] == "status":
            headers = dict(limit_headers)
            if fault.get("retry_after") is not None:
                headers["Retry-After"] = str(fault["retry_after"])
            return Answer(fault["status"], {"message": fault.get("message") or _status_message(fault["status"])}, headers), fault, None
        if fault and fault["action"] == "delay":
            time.sleep(fault.get("delay_ms", 0) / 1000.0)
        with self.lock:
            variants = list(self.variants)
        router = self.router
        if version == 3:
            router = self.v3_router_with_v2_paths if "v3-v2-paths" in variants else self.v3_router
        answer, body = self._dispatch(method, path, sim_variants.rewrite_query(variants, query), raw_body, content_type, router, version)
        if answer.status < 300:
            answer.body = sim_variants.rewrite_answer(variants, answer.body)
            if version == 3:
                answer.status = sim_v3_variants.answer_status(variants, method, answer.status, answer.body)
        else:
            answer.body = sim_variants.rewrite_error(variants, answer.status, answer.body)
        answer.headers.update(limit_headers)
        return answer, fault, body

    def _dispatch(self, method, path, query, raw_body, content_type=None, router=None, version=2):
        try:
            handler, params = (router or self.router).resolve(method, path)
            body = _parse_api_body(raw_body, content_type)
        except ApiError as error:
            return Answer(error.status, error.body), None
        context = sim_resources.Context(self.store, params, body, query, self.api_url(version) + path, self.root_url, method=method)
        with self.lock:
            try:
                result = handler(context)
                status = 200
                self._schedule(context.deferred)
            except ApiError as error:
                result, status = error.body, error.status
                if version == 3 and status == 404:
                    result = {"message": sim_v3.RESOURCES_NOT_FOUND}
            except Exception:  # pylint: disable=broad-except
                # A simulator bug must look like a server error to the client, not like a dropped connection.
                traceback.print_exc()
                result, status = {"message": "Server Error"}, 500
        if method != "GET" and status < 400:
            self.save()
        return Answer(status, result), body

    def _schedule(self, deferred):
        """Hands the effects a handler deferred (ctx.later) to the landings, each kind with its delay."""
        delays = {"landing": None, "temporary-key": self.temporary_key_lifetime}
        for kind, delay in delays.items():
            self.landings.schedule([effect for after, effect in deferred if after == kind], delay)

    def record(self, method, path, query, status, started, body, fault, version=2, note=None):
        entry = {"method": method, "path": path, "query": query, "status": status, "time": time.time(),
                 "duration_ms": round((time.monotonic() - started) * 1000.0, 3), "body": body, "version": version}
        entry.update(note or {})
        if fault:
            entry["fault"] = fault["action"]
        with self.lock:
            self.requests.append(entry)
            counters = self.counters
            if fault:
                kind = "status %s" % fault["status"] if fault["action"] == "status" else fault["action"]
                counters["faults"][kind] = counters["faults"].get(kind, 0) + 1
            counters["total"] += 1
            counters["by_method"][method] = counters["by_method"].get(method, 0) + 1
            counters["by_status"][str(status)] = counters["by_status"].get(str(status), 0) + 1
            if method != "GET":
                counters["writes"] += 1

    def latency_seconds(self):
        with self.lock:
            jitter = self._latency_rng.uniform(0, self.latency_jitter_ms) if self.latency_jitter_ms else 0
            return (self.latency_ms + jitter) / 1000.0

    # -- control API ------------------------------------------------------

    def handle_control(self, method, path, raw_body):
        try:
            body = _parse_control_body(raw_body)
            with self.lock:
                for route_method, pattern, action in CONTROL_ROUTES:
                    match = re.fullmatch(pattern, path)
                    if match and route_method == method:
                        result = action(self, body, *[int(group) for group in match.groups()])
                        break
                else:
                    raise ApiError(404, "Unknown control endpoint %s %s" % (method, path))
        except ApiError as error:
            return Answer(error.status, error.body)
        if method != "GET":
            self.save()
        return Answer(200, result)

    def control_reset(self, _body):
        self.store.state.clear()
        self.store.state.update(sim_resources.new_state())
        self._configure_runtime()
        return {"message": "reset"}

    def control_seed(self, body):
        ids = sim_api.seed(self.store, servers=_int_option(body, "servers", 1), fixtures=bool(body.get("fixtures")),
                           connected=body.get("connected", True) is not False, name_prefix=str(body.get("name_prefix") or "web"),
                           shared=bool(body.get("shared")), seed_value=body.get("seed", 0))
        return {"servers": ids}

    def control_requests(self, _body):
        return {"requests": list(self.requests), "counters": json.loads(json.dumps(self.counters))}

    def control_clear_requests(self, _body):
        self.requests = []
        self.counters = _new_counters()
        return {"message": "cleared"}

    def control_add_faults(self, body):
        rules = body.get("rules")
        if not isinstance(rules, list):
            raise ApiError(400, "rules must be a list")
        for rule in rules:
            self.fault_rules.append(_fault_rule(rule))
        return self.control_list_faults(body)

    def control_list_faults(self, _body):
        return {"rules": [dict(rule) for rule in self.fault_rules if rule["remaining"] > 0]}

    def control_clear_faults(self, _body):
        self.fault_rules = []
        return {"rules": []}

    def control_random_faults(self, body):
        self.random_faults = _random_fault_settings(body)
        self._fault_rng = random.Random(body.get("seed"))
        return dict(self.random_faults)

    def control_latency(self, body):
        self.latency_ms = _float_option(body, "ms", 0.0)
        self.latency_jitter_ms = _float_option(body, "jitter_ms", 0.0)
        return {"ms": self.latency_ms, "jitter_ms": self.latency_jitter_ms}

    def control_ratelimit(self, body):
        self.rate_limiter = RateLimiter(_int_option(body, "limit", self.rate_limiter.limit), _float_option(body, "window", self.rate_limiter.window))
        return {"limit": self.rate_limiter.limit, "window": self.rate_limiter.window}

    def _control_server(self, server_id):
        server = self.store.state["servers"].get(str(server_id))
        if server is None:
            raise ApiError(404, "Server not found")
        return server

    def control_server_state(self, body, server_id):
        server = self._control_server(server_id)
        sim_resources.set_connection(server, body.get("connected"), body.get("online"))
        return sim_resources.public(server)

    def control_blocked_ips(self, body, server_id):
        server = self._control_server(server_id)
        for address in body.get("ips") or []:
            if not isinstance(address, str) or not _is_ip(address):
                raise ApiError(400, "not an IP address: %r" % (address,))
            if address not in server["_blockedIps"]:
                server["_blockedIps"].append(address)
        return {"ips": list(server["_blockedIps"])}

    def control_server_health(self, body, server_id):
        # What the agent reports in its next sample (tests of disk, memory and load thresholds).
        server = self._control_server(server_id)
        unknown = sorted(set(body) - set(server["_health"]))
        if unknown:
            raise ApiError(400, "unknown health fields: %s" % ", ".join(unknown))
        server["_health"].update(body)
        return dict(server["_health"])

    def control_web_app_ssl(self, body, server_id, web_app_id):
        # Certificate dates set directly (tests of expiring certificates); the certificate must be installed.
        server = self._control_server(server_id)
        app = server["_webapps"].get(str(web_app_id))
        record = app["_ssl"].get("app") if app is not None else None
        if record is None:
            raise ApiError(404, "SSL not found")
        unknown = sorted(set(body) - {"validUntil", "renewalDate"})
        if unknown:
            raise ApiError(400, "only validUntil and renewalDate can be set, not %s" % ", ".join(unknown))
        record.update(body)
        return sim_resources.public(record)

    def handle_agent(self, method, path, raw_body):
        """The agent's report after the installation script ran: POST /__agent__/servers/{id}/connect."""
        match = re.fullmatch(r"/servers/(\d+)/connect", path)
        if not match:
            return Answer(404, {"message": "Not found"})
        if method != "POST":
            return Answer(405, {"message": "The %s method is not supported for this route." % method})
        try:
            body = _parse_control_body(raw_body)
        except ApiError as error:
            return Answer(error.status, error.body)
        with self.lock:
            server = self.store.state["servers"].get(match.group(1))
            if server is None:
                return Answer(404, {"message": "Server not found"})
            if not sim_resources.agent_token_matches(server, body):
                return Answer(403, {"message": "Invalid agent token."})
            if self.agent_connect_delay:
                # RunCloud takes a while to see a fresh agent: the report is accepted, the state follows later.
                timer = threading.Timer(self.agent_connect_delay, self._agent_connect_later, (match.group(1), body))
                timer.daemon = True
                timer.start()
                return Answer(200, sim_resources.public(server))
            answer = sim_resources.public(sim_resources.agent_connect(server, body))
        self.save()
        return Answer(200, answer)

    def _agent_connect_later(self, server_id, body):
        with self.lock:
            server = self.store.state["servers"].get(server_id)
            if server is not None:
                sim_resources.agent_connect(server, body)
        self.save()

    def control_agent(self, body):
        self.agent_connect_delay = _float_option(body, "connect_delay", self.agent_connect_delay)
        return {"connect_delay": self.agent_connect_delay}

    def control_state(self, _body):
        return self.store.state

    def control_variants(self, body):
        try:
            self.variants = sim_v3_variants.checked_variants(body.get("variants") or [])
        except ValueError as error:
            raise ApiError(400, str(error)) from None
        return self.control_list_variants(body)

    def control_list_variants(self, _body):
        return {"variants": list(self.variants), "known": dict(sim_variants.VARIANTS), "known_v3": dict(sim_v3_variants.VARIANTS)}

    def control_endpoints(self, _body):
        def listed(router):
            return [{"method": method, "path": template} for method, template in router.endpoints()]
        return {"endpoints": listed(self.router), "v3": listed(self.v3_router)}

    # -- API v3: access, landings, objects without an API path ----------------

    def control_v3(self, body):
        """Sets any of land_delay, temporary_key_lifetime, monthly_quota, quota_used, quota_status, allowed_ips."""
        unknown = sorted(set(body) - {"land_delay", "temporary_key_lifetime", "monthly_quota", "quota_used", "quota_status", "allowed_ips"})
        if unknown:
            raise ApiError(400, "unknown v3 settings: %s" % ", ".join(unknown))
        if "allowed_ips" in body:
            try:
                self.access.allowed_networks = sim_v3_access.checked_networks(body["allowed_ips"])
            except ValueError as error:
                raise ApiError(400, str(error)) from None
        self.landings.delay = _float_option(body, "land_delay", self.landings.delay)
        self.temporary_key_lifetime = _float_option(body, "temporary_key_lifetime", self.temporary_key_lifetime)
        self.access.monthly_quota = _int_option(body, "monthly_quota", self.access.monthly_quota)
        self.access.quota_used = _int_option(body, "quota_used", self.access.quota_used)
        status = _int_option(body, "quota_status", self.access.quota_status)
        if not 400 <= status <= 599:
            raise ApiError(400, "quota_status must be an HTTP error status (400-599)")
        self.access.quota_status = status
        return self.control_v3_settings(body)

    def control_v3_settings(self, _body):
        settings = self.access.settings()
        settings.update({"land_delay": self.landings.delay, "pending_landings": self.landings.pending(),
                         "landed": self.landings.landed, "temporary_key_lifetime": self.temporary_key_lifetime})
        return settings

    def control_mint_token(self, body):
        """{"exp": <Unix time>} or {"expires_in": <seconds, may be negative>} -> {"token", "exp"}."""
        if "exp" in body and "expires_in" in body:
            raise ApiError(400, "give exp or expires_in, not both")
        try:
            exp = sim_v3_access.parse_exp(body["exp"]) if "exp" in body else sim_v3_access.parse_exp("%+f" % float(body.get("expires_in", 3600)))
        except (TypeError, ValueError):
            raise ApiError(400, "exp must be a Unix time and expires_in a number of seconds") from None
        claims = {name: body[name] for name in ("workspace_id", "user_id", "unique_identifier") if name in body}
        return {"token": self.access.mint(exp, **claims), "exp": exp}

    def control_backup_snapshot(self, body, backup_id):
        """A run of a backup policy now (snapshots otherwise come only from the first run)."""
        record = sim_v3_backups.backups(self.store).get(str(backup_id))
        if record is None:
            raise ApiError(404, "Backup not found")
        status = str(body.get("status") or "COMPLETED")
        return sim_v3_backups.add_snapshot(self.store, record, status)

    def control_atomic_script(self, body, project_id):
        """A deployment script of an atomic project (the reference has no page that creates one)."""
        project = sim_v3_atomic.projects(self.store).get(str(project_id))
        if project is None:
            raise ApiError(404, "Atomic project not found")
        return sim_resources.public(sim_v3_atomic.add_script(self.store, project, body))

    def control_atomic_push(self, body, project_id):
        """A push to an atomic project's branch: the commit its next deployment releases (fail_next: it fails)."""
        project = sim_v3_atomic.projects(self.store).get(str(project_id))
        if project is None:
            raise ApiError(404, "Atomic project not found")
        return sim_v3_atomic.push_commit(project, body)


CONTROL_ROUTES = [
    ("POST", r"/reset", Simulator.control_reset),
    ("POST", r"/seed", Simulator.control_seed),
    ("GET", r"/requests", Simulator.control_requests),
    ("DELETE", r"/requests", Simulator.control_clear_requests),
    ("GET", r"/faults", Simulator.control_list_faults),
    ("POST", r"/faults", Simulator.control_add_faults),
    ("DELETE", r"/faults", Simulator.control_clear_faults),
    ("POST", r"/random_faults", Simulator.control_random_faults),
    ("POST", r"/latency", Simulator.control_latency),
    ("POST", r"/ratelimit", Simulator.control_ratelimit),
    ("POST", r"/servers/(\d+)/state", Simulator.control_server_state),
    ("POST", r"/servers/(\d+)/blockedips", Simulator.control_blocked_ips),
    ("POST", r"/servers/(\d+)/health", Simulator.control_server_health),
    ("POST", r"/servers/(\d+)/webapps/(\d+)/ssl", Simulator.control_web_app_ssl),
    ("POST", r"/agent", Simulator.control_agent),
    ("GET", r"/state", Simulator.control_state),
    ("GET", r"/variants", Simulator.control_list_variants),
    ("POST", r"/variants", Simulator.control_variants),
    ("GET", r"/endpoints", Simulator.control_endpoints),
    ("GET", r"/v3", Simulator.control_v3_settings),
    ("POST", r"/v3", Simulator.control_v3),
    ("POST", r"/tokens", Simulator.control_mint_token),
    ("POST", r"/backups/(\d+)/snapshots", Simulator.control_backup_snapshot),
    ("POST", r"/atomic/(\d+)/scripts", Simulator.control_atomic_script),
    ("POST", r"/atomic/(\d+)/push", Simulator.control_atomic_push),
]


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _parse_control_body(raw_body):
    if not raw_body or not raw_body.strip():
        return {}
    try:
        body = json.loads(raw_body)
    except ValueError as error:
        raise ApiError(400, "Malformed JSON body: %s" % error) from None
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return body


def _parse_api_body(raw_body, content_type=None):
    """The request's input as Laravel sees it: a JSON object or a form-encoded body, else (null,
    malformed, not an object) no input."""
    if not raw_body or not raw_body.strip():
        return {}
    if (content_type or "").split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        return _form_fields(raw_body)
    try:
        body = json.loads(raw_body)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _form_fields(raw_body):
    """A form body as PHP reads it: ``a=1&b[]=x&b[]=y`` is {"a": "1", "b": ["x", "y"]}; the last value of a repeated name wins."""
    fields = {}
    for name, value in parse_qsl(raw_body, keep_blank_values=True):
        if name.endswith("[]"):
            fields.setdefault(name[:-2], []).append(value)
        else:
            fields[name] = value
    return fields


def _int_option(body, name, default):
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError(400, "%s must be a non-negative integer" % name)
    return value


def _float_option(body, name, default):
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ApiError(400, "%s must be a non-negative number" % name)
    return float(value)


def _new_counters():
    return {"total": 0, "by_method": {}, "by_status": {}, "writes": 0, "faults": {}}


def _random_fault_settings(body):
    """Validated random-fault settings: which share of requests, which faults, which requests never."""
    rate = _float_option(body, "rate", 0.0)
    statuses = body.get("statuses") or [503]
    actions = body.get("actions") or ["status"]
    exclude = body.get("exclude") or []
    if not 0 <= rate <= 1 or not all(isinstance(status, int) and not isinstance(status, bool) for status in statuses):
        raise ApiError(400, "rate must be within 0..1 and statuses a list of integers")
    if not all(action in FAULT_ACTIONS for action in actions):
        raise ApiError(400, "actions must be taken from %s" % ", ".join(FAULT_ACTIONS))
    try:
        for pattern in exclude:
            re.compile(pattern)
    except (re.error, TypeError) as error:
        raise ApiError(400, "exclude must be a list of regexes: %s" % error) from None
    return {"rate": rate, "statuses": list(statuses), "actions": list(actions), "exclude": list(exclude),
            "delay_ms": _float_option(body, "delay_ms", 3000.0)}


def _fault_rule(rule):
    if not isinstance(rule, dict) or rule.get("action", "status") not in FAULT_ACTIONS:
        raise ApiError(400, "each rule needs an action out of %s" % ", ".join(FAULT_ACTIONS))
    try:
        re.compile(rule.get("path", ".*"))
    except re.error as error:
        raise ApiError(400, "bad path regex: %s" % error) from None
    action = rule.get("action", "status")
    if action == "status" and not isinstance(rule.get("status", 503), int):
        raise ApiError(400, "status must be an integer")
    if rule.get("version") not in (None, 2, 3):
        raise ApiError(400, "version must be 2 or 3 (or left out: both)")
    return {
        "method": rule["method"].upper() if rule.get("method") else None, "path": rule.get("path", ".*"), "action": action,
        "version": rule.get("version"),
        "status": rule.get("status", 503), "retry_after": rule.get("retry_after"), "delay_ms": _float_option(rule, "delay_ms", 0.0),
        "message": rule.get("message"), "remaining": _int_option(rule, "count", 1),
    }


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "RunCloudSimulator/1.0"
    simulator = None
    # Buffer each answer and send it in one go: separate header/body writes on a keep-alive connection
    # run into Nagle + delayed ACK and cost ~40 ms per request.
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the request log is available through the control API."""

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode("utf-8", "replace") if length else ""

    def _send(self, answer):
        payload = json.dumps(answer.body).encode("utf-8")
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _handle(self):
        simulator = self.simulator
        started = time.monotonic()
        method = self.command
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/") or "/"
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        raw_body = self._read_body()
        if path.startswith(CONTROL_PREFIX + "/"):
            self._send(simulator.handle_control(method, path[len(CONTROL_PREFIX):], raw_body))
            return
        if path.startswith(sim_resources.AGENT_PREFIX + "/"):
            self._send(simulator.handle_agent(method, path[len(sim_resources.AGENT_PREFIX):], raw_body))
            return
        prefix = path[:len(API_PREFIX)]
        if prefix not in API_PREFIXES or path[len(prefix):len(prefix) + 1] not in ("", "/"):
            self._send(Answer(404, {"message": "Not found"}))
            return
        version = API_PREFIXES[prefix]
        api_path = path[len(prefix):] or "/"
        time.sleep(simulator.latency_seconds())
        try:
            answer, fault, body = simulator.handle_api(method, api_path, query, raw_body, self.headers.get("Authorization"),
                                                       self.client_address[0], self.headers.get("Content-Type"), version)
        except DropConnection:
            simulator.record(method, api_path, query, None, started, None, {"action": "drop"}, version)
            self.close_connection = True
            return
        simulator.record(method, api_path, query, answer.status, started, body, fault, version, answer.note)
        if fault and fault["action"] == "apply_and_drop":
            self.close_connection = True
            return
        try:
            self._send(answer)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (a delay fault past its timeout); the request was still applied.
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _handle


# ---------------------------------------------------------------------------
# Command line

def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="RunCloud API simulator, v2 and v3 (loopback only).")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="accepted Bearer token")
    parser.add_argument("--api-key", default=DEFAULT_API_KEY, help="accepted Basic-auth user (legacy API key)")
    parser.add_argument("--api-secret", default=DEFAULT_API_SECRET, help="accepted Basic-auth password (legacy API secret)")
    parser.add_argument("--rate-limit", type=int, default=6000, help="requests per window and credential")
    parser.add_argument("--rate-window", type=float, default=60, help="rate-limit window in seconds")
    parser.add_argument("--latency-ms", type=float, default=0, help="fixed latency added to every API request")
    parser.add_argument("--latency-jitter-ms", type=float, default=0, help="random extra latency, 0..J ms")
    parser.add_argument("--seed-servers", type=int, default=0, help="add N realistic connected servers at start")
    parser.add_argument("--seed-fixtures", action="store_true", help="give every seeded server a user, app, database ...")
    parser.add_argument("--state-file", default=None, help="JSON file: loaded at start if present, rewritten after each write")
    parser.add_argument("--random-fault-rate", type=float, default=0.0, help="share of API requests answered 503 at random")
    parser.add_argument("--random-seed", type=int, default=None, help="seed for latency jitter and random faults")
    parser.add_argument("--variant", dest="variants", action="append", default=[],
                        help="answer in a variant shape (repeatable or comma-separated): %s" % ", ".join(sim_variants.VARIANTS))
    parser.add_argument("--tls-cert", default=None, help="serve HTTPS with this PEM certificate (chain)")
    parser.add_argument("--tls-key", default=None, help="the private key of --tls-cert")
    v3 = parser.add_argument_group("API v3")
    v3.add_argument("--api-version", type=int, choices=(2, 3), default=2,
                    help="the URL printed first (/api/v2 or /api/v3; both are served); 3 also prints RUNCLOUD_API_TOKEN=<a v3 token>")
    v3.add_argument("--jwt-secret", default=sim_v3_access.DEFAULT_JWT_SECRET, help="HS256 key of the v3 tokens (JWTs)")
    v3.add_argument("--mint-token", metavar="EXP", default=None,
                    help="print a v3 token expiring at EXP (Unix time, or +N/-N seconds from now) and exit")
    v3.add_argument("--allowed-ip", dest="allowed_ips", action="append", default=[],
                    help="IP or CIDR allowed to call /api/v3 (repeatable); others get 401. Default: any")
    v3.add_argument("--monthly-quota", type=int, default=sim_v3_access.DEFAULT_MONTHLY_QUOTA,
                    help="v3 calls per calendar month before every request is refused (0: unlimited)")
    v3.add_argument("--quota-status", type=int, default=sim_v3_access.DEFAULT_QUOTA_STATUS, help="status of the refusal once the quota is spent")
    v3.add_argument("--land-delay", type=float, default=sim_v3_landing.DEFAULT_LAND_DELAY,
                    help="seconds until a v3 write that only acknowledged lands (0: at once)")
    v3.add_argument("--temporary-key-lifetime", type=float, default=DEFAULT_TEMPORARY_KEY_LIFETIME,
                    help="seconds until a temporary SSH key (v3) is removed")
    return parser.parse_args(argv)


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    arguments = vars(options)
    arguments["variants"] = [name for value in arguments["variants"] for name in re.split(r"[,\s]+", value) if name]
    api_version, mint_token = arguments.pop("api_version"), arguments.pop("mint_token")
    if mint_token is not None:
        try:
            exp = sim_v3_access.parse_exp(mint_token)
        except ValueError:
            print("runcloud_sim: --mint-token needs a Unix time or +N/-N seconds, not %r" % mint_token, file=sys.stderr)
            return 2
        print(sim_v3_access.mint_jwt(arguments["jwt_secret"], exp))
        return 0
    try:
        simulator = Simulator(**arguments)
    except ValueError as error:
        print("runcloud_sim: %s" % error, file=sys.stderr)
        return 2
    simulator.start()
    print("RUNCLOUD_API_URL=%s" % simulator.api_url(api_version), flush=True)
    if api_version == 3:
        print("RUNCLOUD_API_TOKEN=%s" % simulator.token_v3, flush=True)
    stop_requested = threading.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signal_number, lambda *_: stop_requested.set())
    while not stop_requested.wait(0.5):
        pass
    simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
