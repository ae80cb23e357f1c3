# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Who may call API v3: Bearer JWTs that carry `exp`, the key's IP allow-list, the monthly call quota.

The reference (runcloud-api-v3 §1.2, §1.6): v3 is Bearer only; the one public token is an HS256 JWT
with `workspace_id`, `user_id`, `exp`, `unique_identifier`; a request from an IP that is not on the
key's allow-list gets 401; at 100 % of the monthly quota "all API requests will be temporarily blocked
until your quota resets" (status and body unknown: docs/simulator.md says what the simulator answers).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import datetime
import hashlib
import hmac
import ipaddress
import json
import time

DEFAULT_JWT_SECRET = "runcloud-sim-jwt-secret"
# 2100-01-01T00:00:00Z: the default token does not expire within any test run.
DEFAULT_TOKEN_EXP = 4102444800
DEFAULT_MONTHLY_QUOTA = 400000  # the Enterprise plan's calls per month (KB)
DEFAULT_QUOTA_STATUS = 429

MISSING_TOKEN_MESSAGE = "Missing API Token."  # recorded live (MGS)
# Wrong token, expired token and an address outside the allow-list answer alike: the reference knows no
# separate bodies, so a client cannot tell the three apart from the answer and must name all three.
INVALID_TOKEN_MESSAGE = "Invalid API Token."
QUOTA_MESSAGE = "You have used your monthly API quota. All API requests are blocked until your quota resets."


def _b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def mint_jwt(secret, exp, workspace_id=1, user_id=1, unique_identifier="runcloud-sim"):
    """An HS256 JWT with the claims RunCloud's v3 tokens carry."""
    header = _b64url(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode("utf-8"))
    claims = {"workspace_id": workspace_id, "user_id": user_id, "exp": int(exp), "unique_identifier": unique_identifier}
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode("utf-8"))
    signing_input = ("%s.%s" % (header, payload)).encode("ascii")
    signature = _b64url(hmac.new(secret.encode("utf-8"), signing_input, hashlib.sha256).digest())
    return "%s.%s.%s" % (header, payload, signature)


def verified_claims(secret, token):
    """The claims of a token signed with `secret`, or None (not a JWT, bad signature, no numeric exp)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_b64url_decode(parts[0]))
        claims = json.loads(_b64url_decode(parts[1]))
        signature = _b64url_decode(parts[2])
    except (ValueError, TypeError):
        return None
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        return None
    expected = hmac.new(secret.encode("utf-8"), ("%s.%s" % (parts[0], parts[1])).encode("ascii"), hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        return None
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    return claims


def parse_exp(text, now=None):
    """`--mint-token` values: an absolute Unix time (`1767225600`) or seconds from now (`+3600`, `-60`)."""
    text = str(text).strip()
    now = time.time() if now is None else now
    if text[:1] in "+-":
        return int(now + float(text))
    return int(float(text))


def checked_networks(values):
    """Allow-list entries (IP or CIDR) as networks; raises ValueError naming the bad entry."""
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise ValueError("allowed_ips must be a list of IP addresses or CIDR networks")
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(str(value), strict=False))
        except ValueError:
            raise ValueError("not an IP address or network: %r" % (value,)) from None
    return networks


def _month(now):
    return datetime.datetime.fromtimestamp(now, datetime.timezone.utc).strftime("%Y-%m")


class Access:
    """Authentication, allow-list and quota of /api/v3 (one workspace: the simulator's account)."""

    def __init__(self, secret=DEFAULT_JWT_SECRET, allowed_ips=(), monthly_quota=DEFAULT_MONTHLY_QUOTA, quota_status=DEFAULT_QUOTA_STATUS):
        self.secret = secret
        self.allowed_networks = checked_networks(list(allowed_ips))
        self.monthly_quota = monthly_quota
        self.quota_status = quota_status
        self.quota_used = 0
        self.quota_month = _month(time.time())

    @property
    def default_token(self):
        return mint_jwt(self.secret, DEFAULT_TOKEN_EXP)

    def mint(self, exp, **claims):
        return mint_jwt(self.secret, exp, **claims)

    def claims(self, token):
        """The claims of a valid (well signed, unexpired) token, else None; also used by /api/v2."""
        claims = verified_claims(self.secret, token)
        if claims is None or claims["exp"] <= time.time():
            return None
        return claims

    def authenticate(self, header, client):
        """Returns (rate-limit key, None) for an accepted request, else (key, refusal): refusal is
        `missing`, `invalid`, `expired` or `address` (the request log shows it; the answer does not)."""
        scheme, dummy, value = (header or "").partition(" ")
        value = value.strip()
        if scheme.lower() != "bearer" or not value:
            return None, "missing"
        key = "bearer:" + value
        claims = verified_claims(self.secret, value)
        if claims is None:
            return key, "invalid"
        if claims["exp"] <= time.time():
            return key, "expired"
        if self.allowed_networks and not self._address_allowed(client):
            return key, "address"
        return key, None

    def _address_allowed(self, client):
        try:
            address = ipaddress.ip_address(client)
        except ValueError:
            return False
        return any(address.version == network.version and address in network for network in self.allowed_networks)

    def spend(self):
        """Counts one call against the monthly quota; False when the quota is spent (the call is refused)."""
        month = _month(time.time())
        if month != self.quota_month:
            self.quota_month, self.quota_used = month, 0
        if self.monthly_quota and self.quota_used >= self.monthly_quota:
            return False
        self.quota_used += 1
        return True

    def settings(self):
        return {"allowed_ips": [str(network) for network in self.allowed_networks], "monthly_quota": self.monthly_quota,
                "quota_used": self.quota_used, "quota_status": self.quota_status, "token": self.default_token}
