# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Values the API accepts from a list: reading such a list whatever its shape, and messages that
show the accepted values when a value was refused."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import DEFAULT_VERSION, versioned_path
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import RunCloudError
from ansible_collections.runcloud.cloud.plugins.module_utils.values import PHP_VERSION_NAME, PHP_VERSION_SPELLINGS
# How many accepted values a message shows.
SHOWN_VALUES = 12


def names_in(answer):
    """The names in a list answer whose shape the reference does not give (the static lists, the
    PHP versions): a list of names, a list of objects with a name, or an object keyed (or valued)
    by name."""
    if isinstance(answer, dict):
        answer = answer.get('data', answer)
    if isinstance(answer, dict):
        return set(str(key) for key in answer) | set(str(value) for value in answer.values() if isinstance(value, str))
    names = set()
    for item in answer if isinstance(answer, list) else []:
        if isinstance(item, dict):
            names.update(str(item[key]) for key in ('name', 'value', 'collation', 'timezone', 'id') if item.get(key) is not None)
        elif item not in (None, ''):
            names.add(str(item))
    return names


def php_version_problem(option, value):
    """A message for a PHP version written the way people say it ('8.2', 'php8.2') instead of
    RunCloud's name (php82rc), or None. Other unknown names are left to the API, which knows its own."""
    if value is None or PHP_VERSION_NAME.match(value):
        return None
    written = PHP_VERSION_SPELLINGS.match(value)
    if written is None:
        return None
    return ('%s %r is not a RunCloud PHP version name: write it as php%s%src (RunCloud names PHP versions '
            'php<major><minor>rc, for example php74rc, php82rc)' % ((option, value) + written.groups()))


def accepted_values_note(client, path, wanted):
    """'accepted values (GET path): ...' with the values closest to ``wanted`` first, or None when
    the list cannot be read or is empty: the note helps, it must never hide the API's own answer."""
    try:
        names = names_in(client.get(path))
    except RunCloudError:
        return None
    if not names:
        return None
    ordered = sorted(names)
    if wanted is not None:
        close = difflib.get_close_matches(str(wanted), ordered, n=SHOWN_VALUES, cutoff=0.4)
        ordered = close + [name for name in ordered if name not in close]
    shown = ordered[:SHOWN_VALUES]
    more = ' and %d more' % (len(ordered) - len(shown)) if len(ordered) > len(shown) else ''
    # The path the request went to: API v3 has moved some (collations).
    sent_to = versioned_path(path, getattr(client, 'api_version', DEFAULT_VERSION))
    return 'accepted values (GET %s): %s%s' % (sent_to, ', '.join(shown), more)
