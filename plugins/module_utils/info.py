# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the *_info modules share: read one resource (by id or by exact name) or a whole list."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError


def read_resources(client, list_path, item_id=None, field='name', value=None, search=None, description='resource'):
    """The matching resources of ``list_path`` as a list: the one with ``item_id`` (read at
    ``list_path/<id>``), the one whose ``field`` is ``value`` exactly, or every item (narrowed by the API's ``search`` when given). Nothing found is an empty
    list, not an error: an info module reports what exists."""
    if item_id is not None:
        try:
            return [client.get('%s/%d' % (list_path, int(item_id)))]
        except NotFoundError:
            return []
    if value is not None:
        item = client.find_by_field(list_path, value, field, description=description)
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
