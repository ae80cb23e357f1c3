#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Write a Sphinx intersphinx inventory of the Ansible documentation site, made offline.

The plugin pages antsibull-docs generates refer to pages of docs.ansible.com (return values common
to all modules, the configuration settings and their environment variables). Sphinx resolves such
references through the site's published inventory, which a build without internet cannot download.
This inventory holds those targets: the labels below, and every environment variable of the
installed ansible-core's configuration (``ansible/config/base.yml``).

Usage: ansible_docs_inventory.py OUTPUT_FILE
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys
import zlib

import ansible
import yaml

LABELS = {
    'common_return_values': ('reference_appendices/common_return_values.html#common-return-values',
                             'Return Values'),
    'ansible_configuration_settings': ('reference_appendices/config.html#ansible-configuration-settings',
                                       'Ansible Configuration Settings'),
    # The "action" attribute of a module links to the page on action plugins.
    'action_plugins': ('plugins/action.html#action-plugins', 'Action plugins'),
    # The page of an aggregate callback (runcloud.cloud.api_usage) links to the page on callback plugins.
    'callback_plugins': ('plugins/callback.html#callback-plugins', 'Callback plugins'),
}


def environment_variables():
    with open(os.path.join(os.path.dirname(ansible.__file__), 'config', 'base.yml')) as handle:
        settings = yaml.safe_load(handle)
    names = set()
    for setting in settings.values():
        for entry in setting.get('env') or []:
            names.add(entry['name'])
    return sorted(names)


def main(output):
    lines = ['%s std:label -1 %s %s' % (label, uri, title) for label, (uri, title) in sorted(LABELS.items())]
    lines += ['%s std:envvar 1 reference_appendices/config.html#envvar-$ -' % name for name in environment_variables()]
    header = ('# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              '# The remainder of this file is compressed using zlib.\n')
    with open(output, 'wb') as handle:
        handle.write(header.encode('utf-8'))
        handle.write(zlib.compress(('\n'.join(lines) + '\n').encode('utf-8')))
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
