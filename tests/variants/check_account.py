# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a variant run must leave behind, read from the simulator's own state (never through the variant):

- no duplicate: no two resources under one parent with the same identity (name, username or label;
  for what has none, such as firewall rules, the same settings);
- every host listed: the inventory (``ansible-inventory --list`` output, given as a file) holds exactly
  the connected servers of the account (the fleet inventory sets ``connected_only``).

    python check_account.py API_URL INVENTORY_JSON      prints what is wrong, exit 1; or one line of counts
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys
import urllib.request

IDENTITY_FIELDS = ('name', 'username', 'label')
# Fields that differ between two copies of one resource.
INCIDENTAL = frozenset(['id', 'created_at', 'updated_at', 'pullKey1', 'pullKey2'])


def records(collection):
    """The records of a collection ({id: record}) or None when ``collection`` is not one."""
    if isinstance(collection, dict) and collection and all(isinstance(value, dict) and 'id' in value for value in collection.values()):
        return list(collection.values())
    return None


def identity(record):
    for field in IDENTITY_FIELDS:
        if record.get(field) not in (None, ''):
            return (field, str(record[field]).lower())
    return tuple(sorted((key, json.dumps(value, sort_keys=True)) for key, value in record.items()
                        if key not in INCIDENTAL and not key.startswith('_') and not isinstance(value, (dict, list))))


def duplicates(node, where='account'):
    """'servers/3/firewalls: 2 x (...)' for every identity held twice under one parent, at any depth."""
    found = []
    if not isinstance(node, dict):
        return found
    for key, value in node.items():
        listed = records(value)
        if listed is None:
            found.extend(duplicates(value, '%s/%s' % (where, key)) if isinstance(value, dict) else [])
            continue
        seen = {}
        for record in listed:
            seen.setdefault(identity(record), []).append(record['id'])
        found.extend('%s/%s: ids %s are the same resource' % (where, key, ', '.join(str(ident) for ident in ids))
                     for ids in seen.values() if len(ids) > 1)
        for record in listed:
            found.extend(duplicates(record, '%s/%s/%s' % (where, key, record['id'])))
    return found


def inventory_hosts(inventory):
    return set(inventory.get('_meta', {}).get('hostvars', {}))


def main(api_url, inventory_file):
    control = api_url.rsplit('/api/', 1)[0] + '/__sim__/state'
    state = json.load(urllib.request.urlopen(control, timeout=10))
    with open(inventory_file) as handle:
        inventory = json.load(handle)
    problems = duplicates(state)
    connected = set(server['name'] for server in state['servers'].values() if server.get('connected'))
    listed = inventory_hosts(inventory)
    if listed != connected:
        problems.append('the inventory lists %d hosts, the account has %d connected servers (missing: %s; not connected or '
                        'unknown: %s)' % (len(listed), len(connected), ', '.join(sorted(connected - listed)) or 'none',
                                          ', '.join(sorted(listed - connected)) or 'none'))
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print('%d servers, %d connected and listed, no duplicate' % (len(state['servers']), len(connected)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
