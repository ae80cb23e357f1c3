# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Variant answers: the same state, served in another shape that the API reference allows or leaves
open (see docs/simulator.md, "Variant answers", for the reference line behind each).

The store and the handlers do not change: a variant rewrites the query before a request is handled
(``fixed-page-size``, ``links-pagination``), the body of a successful answer afterwards, or the body
of a 422 answer (``errors-list``, ``errors-string``). Several variants can be on at once; their order
of application is fixed (VARIANTS)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Fields the reference shows only in some sources or marks as optional extras.
OPTIONAL_FIELDS = frozenset(["repositoryData", "server_user_id", "created_at", "updated_at", "deleteable",
                             "atomic", "atomic_project_id", "pullKey1", "pullKey2", "transferStatus"])
# Numbers under these keys are ids (the reference: "IDs are integers") and stay numbers.
ID_KEY = re.compile(r"^(id|alias|user|.*Id|.*_id)$")
TIMESTAMP = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$")
EXTRA_FIELDS = {"simExtraNote": "a field no client knows", "simExtraObject": {"level": 1, "tags": ["x"]}}
# Fields that hold one of the reference's enumerations (§1.7): ``enum-case`` answers them in another case.
ENUM_FIELDS = frozenset(["stack", "stackMode", "processManager", "type", "redirection", "method", "authorizationMethod",
                         "protocol", "firewallAction", "dns_integration"])
PHP_NAME = re.compile(r"^php(\d)(\d{1,2})rc$")
PHP_FIELDS = frozenset(["phpVersion", "phpCLIVersion"])
# The page size of ``links-pagination``: the v3 reference's default for web applications and domains.
LINKS_PAGE_SIZE = 20

# name -> one-line description (the order is the order of application)
VARIANTS = {
    "fixed-page-size": "lists ignore perPage and answer 15 items per page",
    "omit-optional": "null fields and optional extras are left out of objects",
    "string-scalars": "numbers (but ids) as strings, booleans as 0/1",
    "null-for-empty": "empty strings become null",
    "empty-for-null": "null becomes an empty string",
    "extra-fields": "every object carries fields no client knows",
    "flatten-nested": "git repositoryData {url, repo} becomes repositoryUrl and repository",
    "timestamps": "timestamps in ISO 8601 with a zone (2019-06-20T18:10:23.000000Z)",
    "bare-lists": "lists as bare JSON arrays, without envelope",
    "no-pagination-meta": "lists as {data} without meta",
    "laravel-pagination": "lists with Laravel's meta {current_page, last_page, per_page, total} and top-level links",
    "string-ids": "ids as strings (\"42\")",
    "string-flags": "booleans as the strings \"1\" and \"0\"",
    "word-booleans": "booleans as the strings \"true\" and \"false\"",
    "enum-case": "enumeration values in another case (Hybrid, NGINX, TCP, Global)",
    "dotted-php": "PHP versions as 8.2 instead of php82rc, in objects and in the list of versions",
    "data-envelope": "single objects wrapped as {\"data\": {...}}",
    "links-pagination": "lists ignore perPage, answer 20 items per page and say only links.next (no count)",
    "errors-list": "422 answers carry errors as a list of messages",
    "errors-string": "422 answers carry errors as one string",
}
EXCLUSIVE = [("null-for-empty", "empty-for-null"), ("bare-lists", "no-pagination-meta", "laravel-pagination", "links-pagination"),
             ("fixed-page-size", "links-pagination"), ("string-flags", "word-booleans"), ("errors-list", "errors-string")]


def checked_variants(names):
    """The list of variant names, validated; raises ValueError naming what is wrong."""
    if isinstance(names, str):
        names = [name for name in re.split(r"[,\s]+", names) if name]
    if not isinstance(names, (list, tuple)) or not all(isinstance(name, str) for name in names):
        raise ValueError("variants must be a list of names")
    unknown = sorted(set(names) - set(VARIANTS))
    if unknown:
        raise ValueError("unknown variant %s; known: %s" % (", ".join(unknown), ", ".join(VARIANTS)))
    for group in EXCLUSIVE:
        chosen = [name for name in group if name in names]
        if len(chosen) > 1:
            raise ValueError("variants %s exclude each other" % " and ".join(chosen))
    return [name for name in VARIANTS if name in names]


def rewrite_query(variants, query):
    if "fixed-page-size" in variants and "perPage" in query:
        query = dict(query)
        del query["perPage"]
    if "links-pagination" in variants:
        query = dict(query, perPage=str(LINKS_PAGE_SIZE))
    return query


def rewrite_error(variants, status, body):
    """The body of an error answer: a 422's ``errors`` as a list of its messages or as one string."""
    if status != 422 or not isinstance(body, dict) or not isinstance(body.get("errors"), dict):
        return body
    messages = [message for field_messages in body["errors"].values()
                for message in (field_messages if isinstance(field_messages, list) else [field_messages])]
    if "errors-list" in variants:
        return dict(body, errors=messages)
    if "errors-string" in variants:
        return dict(body, errors=" ".join(messages))
    return body


def rewrite_answer(variants, body):
    """The body of a successful answer in the shape the variants ask for."""
    if not variants:
        return body
    envelope = _list_envelope(body)
    if envelope is not None:
        items = [_rewrite_value(variants, item) for item in body["data"]]
        return _list_answer(variants, items, envelope)
    if isinstance(body, list) and "dotted-php" in variants:
        # The PHP versions of a server: a bare array of names.
        body = [_dotted_php(item) for item in body]
    rewritten = _rewrite_value(variants, body)
    if isinstance(rewritten, dict) and "data-envelope" in variants:
        return {"data": rewritten}
    return rewritten


def _list_envelope(body):
    if isinstance(body, dict) and isinstance(body.get("data"), list) and isinstance(body.get("meta"), dict) \
            and isinstance(body["meta"].get("pagination"), dict):
        return body["meta"]["pagination"]
    return None


def _list_answer(variants, items, pagination):
    if "bare-lists" in variants:
        return items
    if "no-pagination-meta" in variants:
        return {"data": items}
    if "links-pagination" in variants:
        links = pagination.get("links") or {}
        return {"data": items, "links": {"prev": links.get("previous"), "next": links.get("next")}}
    if "laravel-pagination" in variants:
        current, last = pagination["current_page"], pagination["total_pages"]
        links = pagination.get("links") or {}
        per_page = pagination["per_page"]
        start = (current - 1) * per_page
        return {"data": items,
                "links": {"first": None, "last": None, "prev": links.get("previous"), "next": links.get("next")},
                "meta": {"current_page": current, "last_page": last, "per_page": per_page, "total": pagination["total"],
                         "from": start + 1 if items else None, "to": start + len(items) if items else None}}
    return {"data": items, "meta": {"pagination": pagination}}


def _rewrite_value(variants, value, key=None):
    if isinstance(value, dict):
        return _rewrite_object(variants, value)
    if isinstance(value, list):
        return [_rewrite_value(variants, item) for item in value]
    if isinstance(value, bool):
        if "word-booleans" in variants:
            return "true" if value else "false"
        if "string-flags" in variants:
            return "1" if value else "0"
        return (1 if value else 0) if "string-scalars" in variants else value
    if isinstance(value, (int, float)):
        is_id = bool(key and ID_KEY.match(key))
        if ("string-scalars" in variants and not is_id) or ("string-ids" in variants and is_id):
            return str(value)
        return value
    if value is None:
        return "" if "empty-for-null" in variants else None
    if isinstance(value, str):
        if value == "" and "null-for-empty" in variants:
            return None
        match = TIMESTAMP.match(value)
        if match and "timestamps" in variants:
            return "%sT%s.000000Z" % match.groups()
        if "enum-case" in variants and key in ENUM_FIELDS:
            return _other_case(value)
        if "dotted-php" in variants and key in PHP_FIELDS:
            return _dotted_php(value)
    return value


def _other_case(word):
    """hybrid -> Hybrid, nginx -> NGINX, tcp -> TCP, global -> Global: how a model without a cast or an
    enum's label may spell it."""
    return word.upper() if len(word) <= 5 else word[:1].upper() + word[1:]


def _dotted_php(name):
    match = PHP_NAME.match(name) if isinstance(name, str) else None
    return "%s.%s" % match.groups() if match else name


def _rewrite_object(variants, record):
    record = dict(record)
    if "flatten-nested" in variants and isinstance(record.get("repositoryData"), dict):
        nested = record.pop("repositoryData")
        record["repositoryUrl"] = nested.get("url")
        record["repository"] = nested.get("repo")
    if "enum-case" in variants and "branch" in record and isinstance(record.get("provider"), str):
        # A git deployment's provider is an enumeration too (github, gitlab, ...); a server's is free text.
        record["provider"] = _other_case(record["provider"])
    if "omit-optional" in variants:
        record = dict((key, value) for key, value in record.items() if value is not None and key not in OPTIONAL_FIELDS)
    result = dict((key, _rewrite_value(variants, value, key)) for key, value in record.items())
    if "extra-fields" in variants:
        result.update(EXTRA_FIELDS)
    return result
