#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Write the documentation site's guide pages from the Markdown guides.

The guides are written once, in Markdown (``docs/<name>.md``), so that they read well in the
repository. antsibull-docs takes extra documentation only as reStructuredText in
``docs/docsite/rst/``; this script converts every guide that ``docs/docsite/extra-docs.yml`` lists
into ``docs/docsite/rst/<name>.rst`` of the collection directory it is given, with the label
antsibull-docs expects, and turns links between guides into references to those labels.

Usage: docsite_guides.py COLLECTION_DIR   (a staged copy of the collection: files are written into it)
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import sys

import m2r2
import yaml

LABEL_PREFIX = 'ansible_collections.runcloud.cloud.docsite.'
REPOSITORY_URL = 'https://github.com/runcloud-community/runcloud.cloud/blob/main/'
# [text](name.md) or [text](name.md#anchor) between guides; other relative links point into the repository.
MARKDOWN_LINK = re.compile(r'\[([^\]]+)\]\(([^)\s]+)\)')


def guide_label(name):
    return LABEL_PREFIX + name.replace('-', '_')


def rewrite_links(markdown, guides, source_dir):
    """Links to other guides become site references; other relative links go to the repository."""

    def replace(match):
        text, target = match.group(1), match.group(2)
        if re.match(r'^[a-z]+:', target) or target.startswith('#'):
            return match.group(0)
        path = target.split('#', 1)[0]
        name = os.path.splitext(os.path.basename(path))[0]
        if path.endswith('.md') and os.path.dirname(path) == '' and name in guides:
            return 'RUNCLOUD_GUIDE_REF(%s|%s)' % (text.replace('`', ''), guide_label(name))
        repository_path = os.path.normpath(os.path.join(source_dir, path)).replace(os.sep, '/')
        return '[%s](%s%s)' % (text, REPOSITORY_URL, repository_path)

    return MARKDOWN_LINK.sub(replace, markdown)


def convert(markdown, name, guides):
    rst = m2r2.convert(rewrite_links(markdown, guides, 'docs'))
    # A code block without a language breaks antsibull-docs' linter (and Sphinx guesses YAML).
    rst = re.sub(r'^(\s*)\.\. code-block::[ \t]*$', r'\1.. code-block:: text', rst, flags=re.MULTILINE)
    rst = re.sub(r'RUNCLOUD_GUIDE_REF\(([^|]+)\|([^)]+)\)', r':ref:`\1 <\2>`', rst)
    return ('..\n  Generated from docs/%s.md by tests/lib/docsite_guides.py; edit the Markdown guide.\n\n'
            '.. _%s:\n\n%s' % (name, guide_label(name), rst.lstrip('\n')))


def main(collection_dir):
    with open(os.path.join(collection_dir, 'docs', 'docsite', 'extra-docs.yml')) as handle:
        index = yaml.safe_load(handle)
    guides = [entry['ref'] for section in index['sections'] for entry in section['toctree']]
    rst_dir = os.path.join(collection_dir, 'docs', 'docsite', 'rst')
    if not os.path.isdir(rst_dir):
        os.makedirs(rst_dir)
    for name in guides:
        with open(os.path.join(collection_dir, 'docs', name + '.md')) as handle:
            markdown = handle.read()
        with open(os.path.join(rst_dir, name + '.rst'), 'w') as handle:
            handle.write(convert(markdown, name, guides))
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
