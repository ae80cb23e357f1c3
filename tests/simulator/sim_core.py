# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Framework pieces of the RunCloud simulator: errors, routing, Laravel-like validation, pagination."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import ipaddress
import math
import re
from urllib.parse import urlencode

MAX_PER_PAGE = 40
DEFAULT_PER_PAGE = 15
VALIDATION_MESSAGE = "The given data was invalid."


class ApiError(Exception):
    """An HTTP error answer; raising it anywhere inside a handler aborts the request without changing state."""

    def __init__(self, status, message, errors=None):
        super().__init__(message)
        self.status = status
        self.body = {"message": message}
        if errors is not None:
            self.body["errors"] = errors


def not_found(resource):
    return ApiError(404, "%s not found" % resource)


def invalid(field, text):
    return ApiError(422, VALIDATION_MESSAGE, {field: [text]})


def now_timestamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def timestamp_in(days):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def public(record):
    """Records keep bookkeeping under keys starting with '_'; the API never shows those."""
    return {key: value for key, value in record.items() if not key.startswith("_")}


# ---------------------------------------------------------------------------
# Routing

class Route:
    def __init__(self, method, template, handler):
        self.method = method
        self.template = template
        self.handler = handler
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        self.regex = re.compile("^" + pattern + "$")


class Router:
    """Maps (method, path) to a handler; '{name}' segments become integer path parameters."""

    def __init__(self, table):
        self.routes = [Route(method, template, handler) for method, template, handler in table]

    def resolve(self, method, path):
        """Returns (handler, params). Raises 404 for unknown paths and 405 for a known path with another method."""
        path_matched = False
        for route in self.routes:
            match = route.regex.match(path)
            if not match:
                continue
            params = match.groupdict()
            if not all(value.isdigit() for value in params.values()):
                continue
            path_matched = True
            if route.method == method:
                return route.handler, {name: int(value) for name, value in params.items()}
        if path_matched:
            raise ApiError(405, "The %s method is not supported for this route." % method)
        raise ApiError(404, "Not found")

    def endpoints(self):
        return [(route.method, route.template) for route in self.routes]


# ---------------------------------------------------------------------------
# Validation (a small subset of Laravel's rules, with Laravel's messages)
#
# A schema maps field name -> rule string, e.g. "required|string|max:255" or "nullable|in:a,b".
# Supported rules: required, required_if:field,value[,value], sometimes, nullable, string, integer,
# boolean, array (the items are the handler's to check), in:a,b, min:n, max:n (length for strings, value
# for integers), regex:<python regex> (last), ip, ip_or_cidr. validate() returns only the fields named in the schema, with integers and booleans
# coerced the way Laravel accepts them ("5" -> 5, 1/"1" -> True, 0/"0" -> False).

_TRUE_VALUES = (True, 1, "1")
_FALSE_VALUES = (False, 0, "0")


def _parse_rules(rule_string):
    rules = []
    parts = rule_string.split("|")
    while parts:
        name, dummy, argument = parts.pop(0).partition(":")
        if name == "regex":
            # A regex may contain '|', so it has to be the last rule and takes the rest of the string.
            argument = "|".join([argument] + parts)
            parts = []
        rules.append((name, argument))
    return rules


def _is_present(value):
    return value is not None and not (isinstance(value, str) and value.strip() == "") and value != []


def _required_if_applies(argument, data):
    other_field, *values = argument.split(",")
    return str(data.get(other_field)) in values


def _check_rule(field, value, rule, argument, kind):
    """Returns (error_text or None, coerced value)."""
    if rule == "string":
        if not isinstance(value, str):
            return "The %s must be a string." % field, value
    elif rule == "integer":
        if isinstance(value, bool):
            return "The %s must be an integer." % field, value
        if isinstance(value, int):
            return None, value
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return None, int(value)
        return "The %s must be an integer." % field, value
    elif rule == "boolean":
        if value in _TRUE_VALUES and not isinstance(value, float):
            return None, True
        if value in _FALSE_VALUES and not isinstance(value, float):
            return None, False
        return "The %s field must be true or false." % field, value
    elif rule == "array":
        if not isinstance(value, list):
            return "The %s must be an array." % field, value
    elif rule == "in":
        if str(value) not in argument.split(","):
            return "The selected %s is invalid." % field, value
    elif rule in ("min", "max"):
        return _check_size(field, value, rule, int(argument), kind), value
    elif rule == "regex":
        if not isinstance(value, str) or not re.fullmatch(argument, value):
            return "The %s format is invalid." % field, value
    elif rule in ("ip", "ip_or_cidr"):
        if not isinstance(value, str) or not _valid_address(value, rule == "ip_or_cidr"):
            return "The %s must be a valid IP address." % field, value
    return None, value


def _check_size(field, value, rule, limit, kind):
    if kind == "integer":
        if rule == "min" and value < limit:
            return "The %s must be at least %d." % (field, limit)
        if rule == "max" and value > limit:
            return "The %s may not be greater than %d." % (field, limit)
    elif isinstance(value, str):
        if rule == "min" and len(value) < limit:
            return "The %s must be at least %d characters." % (field, limit)
        if rule == "max" and len(value) > limit:
            return "The %s may not be greater than %d characters." % (field, limit)
    return None


def _valid_address(value, allow_network):
    try:
        if allow_network and "/" in value:
            ipaddress.ip_network(value, strict=False)
        else:
            ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def validate(data, schema, extra_errors=None):
    """Validates the request body against a schema; raises a 422 ApiError listing every failing field."""
    errors = dict(extra_errors or {})
    cleaned = {}
    for field, rule_string in schema.items():
        rules = _parse_rules(rule_string)
        names = [name for name, dummy in rules]
        value = data.get(field)
        required = "required" in names or any(
            name == "required_if" and _required_if_applies(argument, data) for name, argument in rules)
        if not _is_present(value):
            if required:
                errors[field] = ["The %s field is required." % field]
            elif field in data and "nullable" in names:
                cleaned[field] = None
            continue
        kind = "integer" if "integer" in names else "string"
        for name, argument in rules:
            error, value = _check_rule(field, value, name, argument, kind)
            if error:
                errors[field] = [error]
                break
        else:
            cleaned[field] = value
    if errors:
        raise ApiError(422, VALIDATION_MESSAGE, errors)
    return cleaned


# ---------------------------------------------------------------------------
# Pagination: the Fractal envelope RunCloud uses for lists

def query_int(query, name, default):
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"\d+", raw) or int(raw) < 1:
        raise invalid(name, "The %s must be an integer greater than 0." % name)
    return int(raw)


def search_filter(items, query, *fields):
    """Case-insensitive substring search over the given fields, as RunCloud's `search` parameter does."""
    term = (query.get("search") or "").strip().lower()
    if not term:
        return items
    return [item for item in items if any(term in str(item.get(field) or "").lower() for field in fields)]


def paginate(items, query, page_url, default_per_page=DEFAULT_PER_PAGE, max_per_page=MAX_PER_PAGE, view=public):
    """Builds {"data", "meta": {"pagination"}} with view(item) for each item of the page; perPage above
    the maximum (40) is clamped to it."""
    per_page = min(query_int(query, "perPage", default_per_page), max_per_page)
    page = query_int(query, "page", 1)
    total = len(items)
    total_pages = max(1, int(math.ceil(total / float(per_page))))
    start = (page - 1) * per_page
    data = [view(item) for item in items[start:start + per_page]]
    links = {}
    if page > 1:
        links["previous"] = _page_link(page_url, query, min(page - 1, total_pages))
    if page < total_pages:
        links["next"] = _page_link(page_url, query, page + 1)
    return {
        "data": data,
        "meta": {"pagination": {
            "total": total, "count": len(data), "per_page": per_page, "current_page": page,
            "total_pages": total_pages, "links": links,
        }},
    }


def _page_link(page_url, query, page):
    params = dict(query)
    params["page"] = str(page)
    return page_url + "?" + urlencode(params)
