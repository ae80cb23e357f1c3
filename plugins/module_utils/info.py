# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the *_info modules share: read one resource (by id or by exact name) or a whole list."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, but the import must not crash sanity
    from urlparse import urlsplit  # type: ignore

# The keys of a web application's deployment webhook: whoever has them can trigger deployments.
# They never appear in results, diffs or inventories unless asked for (git_webhook_url).
WEB_APP_SECRET_FIELDS = frozenset(['pullKey1', 'pullKey2'])


def without_secrets(web_app):
    """A web application object without its webhook keys."""
    return dict((key, value) for key, value in web_app.items() if key not in WEB_APP_SECRET_FIELDS)


def git_webhook_url(api_url, web_app):
    """The URL a git provider calls to deploy the application, as the RunCloud panel shows it:
    ``https://<panel host>/webhooks/git/<pullKey1>/<pullKey2>``; None without keys."""
    if not (web_app.get('pullKey1') and web_app.get('pullKey2')):
        return None
    parts = urlsplit(api_url)
    return '%s://%s/webhooks/git/%s/%s' % (parts.scheme, parts.netloc, web_app['pullKey1'], web_app['pullKey2'])


def read_resources(client, list_path, item_id=None, field='name', value=None, search=None, description='resource',
                   searchable=True):
    """The matching resources of ``list_path`` as a list: the one with ``item_id`` (read at
    ``list_path/<id>``), the one whose ``field`` is ``value`` exactly, or every item (narrowed by the API's ``search`` when given). Nothing found is an empty
    list, not an error: an info module reports what exists. Without ``searchable`` (a list whose search
    is not documented) a name is looked for in the whole list."""
    if item_id is not None:
        try:
            return [client.get('%s/%d' % (list_path, int(item_id)))]
        except NotFoundError:
            return []
    if value is not None:
        item = client.find_by_field(list_path, value, field, description=description, searchable=searchable)
        return [item] if item is not None else []
    params = {'search': search} if search else None
    return client.list_all(list_path, params=params)


def list_info_argument_spec(field, parent=True, **options):
    """The options of an info module that reads one list: ``id``, the name ``field`` and ``search``
    (mutually exclusive), the ``server`` when the list belongs to one, and the module's own."""
    spec = dict(id=dict(type='int'), search=dict(type='str'))
    spec[field] = dict(type='str')
    if parent:
        spec['server'] = dict(type='raw', required=True)
    spec.update(options)
    return dict(argument_spec=spec, mutually_exclusive=[('id', field, 'search')], supports_check_mode=True)


def read_log(client, path, limit):
    """The newest ``limit`` entries of an activity log (server or web application), reading only the
    pages they need (40 entries per request)."""
    entries = []
    if limit <= 0:
        return entries
    for entry in client.iter_items(path, per_page=min(limit, 40)):
        entries.append(entry)
        if len(entries) >= limit:
            break
    return entries
