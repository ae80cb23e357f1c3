# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Print the first YAML playbook of the README's "Using the collection" section, so that the
playbook users copy first is tested as it is written."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import sys


def main(readme_path):
    with open(readme_path) as readme:
        text = readme.read()
    section = text.split('## Using the collection', 1)[1]
    match = re.search(r'```yaml\n(.*?)```', section, re.S)
    if match is None:
        sys.exit('no ```yaml block in the "Using the collection" section of %s' % readme_path)
    sys.stdout.write(match.group(1))


if __name__ == '__main__':
    main(sys.argv[1])
