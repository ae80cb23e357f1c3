# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The credential rules the api_token documentation states, each checked against
choose_credentials, which the modules, the lookups and the inventory plugin use: a statement in the
doc whose behaviour changes (or the reverse) fails here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
import yaml

from ansible_collections.runcloud.cloud.plugins.doc_fragments.api import ModuleDocFragment
from ansible_collections.runcloud.cloud.plugins.module_utils.client import choose_credentials
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import ConfigurationError

TOKEN, KEY, SECRET = 'tok', 'key', 'sec'


def api_token_doc(fragment):
    text = ' '.join(yaml.safe_load(getattr(ModuleDocFragment, fragment))['options']['api_token']['description'])
    return ' '.join(text.split())


def refused(explicit, environment):
    with pytest.raises(ConfigurationError) as caught:
        choose_credentials(explicit, environment)
    return str(caught.value)


# (statement of the doc, the behaviour of the code it describes)
MODULE_RULES = [
    ('Give either O(api_token) or O(api_key) with O(api_secret), not both.',
     lambda: 'not both' in refused({'api_token': TOKEN, 'api_key': KEY, 'api_secret': SECRET}, {})),
    ('a token in the environment does not block O(api_key) and O(api_secret) given on the task',
     lambda: tuple(choose_credentials({'api_key': KEY, 'api_secret': SECRET}, {'api_token': TOKEN})) == (None, KEY, SECRET)),
    ('Credentials set on the task win over environment variables of the other kind',
     lambda: tuple(choose_credentials({'api_token': TOKEN}, {'api_key': 'k2', 'api_secret': 's2'})) == (TOKEN, None, None)),
    ('empty environment variables count as unset',
     lambda: tuple(choose_credentials({}, {'api_token': TOKEN, 'api_key': '', 'api_secret': ''})) == (TOKEN, None, None)),
    ('With nothing on the task and both kinds in the environment (E(RUNCLOUD_API_TOKEN) and E(RUNCLOUD_API_KEY) or '
     'E(RUNCLOUD_API_SECRET)), the task fails before any request, naming the variables',
     lambda: all('RUNCLOUD_API_TOKEN and RUNCLOUD_API_KEY' in refused({}, {'api_token': TOKEN, 'api_key': KEY, 'api_secret': secret})
                 for secret in (SECRET, None))
     and 'RUNCLOUD_API_TOKEN and RUNCLOUD_API_SECRET' in refused({}, {'api_token': TOKEN, 'api_secret': SECRET})),
]

INVENTORY_RULES = [
    ('Credentials set in the inventory file win over environment variables of the other kind',
     lambda: tuple(choose_credentials({'api_key': KEY, 'api_secret': SECRET}, {'api_token': TOKEN})) == (None, KEY, SECRET)),
    ('With neither kind in the file and both kinds in the environment (E(RUNCLOUD_API_TOKEN) and E(RUNCLOUD_API_KEY) or '
     'E(RUNCLOUD_API_SECRET)), the inventory source fails, naming the variables',
     lambda: 'RUNCLOUD_API_TOKEN and RUNCLOUD_API_KEY' in refused({}, {'api_token': TOKEN, 'api_key': KEY})),
]


@pytest.mark.parametrize('fragment, statement, behaviour',
                         [('DOCUMENTATION',) + rule for rule in MODULE_RULES] + [('PLUGIN',) + rule for rule in INVENTORY_RULES],
                         ids=lambda value: value[:40] if isinstance(value, str) else '')
def test_each_documented_credential_rule_is_what_the_code_does(fragment, statement, behaviour):
    assert statement in api_token_doc(fragment), 'the %s api_token doc no longer says: %s' % (fragment, statement)
    assert behaviour(), 'the code no longer does what the doc says: %s' % statement


@pytest.mark.parametrize('fragment', ['DOCUMENTATION', 'PLUGIN'])
def test_the_doc_does_not_say_one_kind_wins_when_both_are_in_the_environment(fragment):
    # What it said before the code refused that case.
    assert not re.search(r'the token is used|token (wins|is preferred)', api_token_doc(fragment))
