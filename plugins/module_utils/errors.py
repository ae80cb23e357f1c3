# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Typed errors of the RunCloud API client.

Every error knows the request it belongs to (method and path, never the credentials) so that
modules and the inventory plugin can report it the same way.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class RunCloudError(Exception):
    """Base class of everything the client raises."""

    kind = 'error'

    def __init__(self, message, method=None, path=None, status=None, errors=None, tries=None, waited=None, body=None, details=None):
        super(RunCloudError, self).__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.status = status
        self.errors = errors or {}
        # What the API said without naming a field (``errors`` as a list or a string).
        self.details = list(details or [])
        self.tries = tries
        self.waited = waited
        self.body = body
        # The request may have changed something (its outcome is unknown).
        self.maybe_applied = False
        # The request was sent again after an earlier try's outcome was unknown and a re-read did not find it.
        self.after_uncertain = False

    def __str__(self):
        parts = []
        if self.method and self.path:
            parts.append('%s %s' % (self.method, self.path))
        if self.status is not None:
            parts.append('HTTP %s' % self.status)
        text = ': '.join(parts + [self.message]) if parts else self.message
        said = list(self.details) + [
            '%s: %s' % (field, ' '.join(str(message) for message in messages) if isinstance(messages, list) else messages)
            for field, messages in sorted(self.errors.items())
        ]
        if said:
            text += ' (%s)' % '; '.join(said)
        if self.tries and self.tries > 1:
            text += ' [after %d tries, %.1fs waiting]' % (self.tries, self.waited or 0.0)
        return text

    def to_dict(self):
        """What modules put into their failure result."""
        return dict(
            kind=self.kind,
            method=self.method,
            path=self.path,
            status=self.status,
            api_message=self.message,
            field_errors=self.errors,
            api_details=self.details,
            tries=self.tries,
            waited=round(self.waited, 3) if self.waited is not None else None,
            maybe_applied=self.maybe_applied,
        )


class ConfigurationError(RunCloudError):
    """The client options are unusable (no or two kinds of credentials, bad URL)."""

    kind = 'configuration'


class AuthenticationError(RunCloudError):
    kind = 'authentication'


class ForbiddenError(RunCloudError):
    kind = 'forbidden'


class NotFoundError(RunCloudError):
    kind = 'not_found'


class ValidationError(RunCloudError):
    kind = 'validation'


class RateLimitedError(RunCloudError):
    kind = 'rate_limited'


class QuotaExceededError(RateLimitedError):
    """The account's monthly API call quota is spent (API v3): nothing works until it resets, so it is never retried."""

    kind = 'quota_exceeded'


class ServerError(RunCloudError):
    kind = 'server_error'


class TransportError(RunCloudError):
    """No usable HTTP answer: connection refused or dropped, timeout, redirect, non-JSON body."""

    kind = 'transport'


class AmbiguousMatchError(RunCloudError):
    """A name matched more than one resource; the caller must give the id."""

    kind = 'ambiguous'


class StaleParentIdError(RunCloudError):
    """The id an earlier task of the playbook run found for a parent's name (option ``parent_ids``) is
    not that parent's any more: the API answers 404 for it, or names another object (deleted,
    re-created or renamed outside the play). The action plugin then resolves the names again."""

    kind = 'stale_parent_id'

    def __init__(self, message, option, ident, method=None, path=None, status=None):
        super(StaleParentIdError, self).__init__(message, method, path, status)
        self.option = option
        self.ident = ident

    def to_dict(self):
        result = super(StaleParentIdError, self).to_dict()
        result['stale_parent_ids'] = {self.option: self.ident}
        return result


ERROR_BY_STATUS = {
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    422: ValidationError,
    429: RateLimitedError,
}


def error_class_for_status(status):
    if status in ERROR_BY_STATUS:
        return ERROR_BY_STATUS[status]
    if status >= 500:
        return ServerError
    return RunCloudError
