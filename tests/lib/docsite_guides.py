#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Write the documentation site's guide pages from the Markdown guides.

The guides are written once, in Markdown (``docs/<name>.md``), so that they read well in the
repository. antsibull-docs takes extra documentation only as reStructuredText in
``docs/docsite/rst/``; this script converts every guide that ``docs/docsite/extra-docs.yml`` lists
into ``docs/docsite/rst/<name>.rst`` of the collection directory it is given, with the label
antsibull-docs expects. Links between guides become references to those labels, and module,
plugin and role names (``runcloud.cloud.<name>`` anywhere, ``<name>`` in the first column of a
table) become references to their pages.

A guide may also be a section of README.md (README_SECTIONS): the quick start, the first page of
the site, is the README's, so that the two never differ.

The pages are kept in the repository too, so that a plain checkout (and a collection installed
from git) has them and ``antsibull-docs lint-collection-docs`` passes on it; tests/docs-site.sh
fails when they differ from what this script writes.

Usage: docsite_guides.py COLLECTION_DIR   (files are written into it; ``.`` updates the checkout)
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


# {guide name: heading of the README.md section it is made of}: the section down to the next heading
# of its level, its headings one level up.
README_SECTIONS = {'quickstart': '## Quick start'}

# antsibull-docs escapes these in toctree titles, where the escape is shown as a backslash.
TITLE_ESCAPED = re.compile(r'[\\<>_*`|-]')
TABLE_FIRST_CELL = re.compile(r'^\|\s*`([a-z0-9_]+)`\s*\|')
FQCN_LITERAL = re.compile(r'`runcloud\.cloud\.([a-z0-9_]+)`')
DOC_BLOCK = re.compile(r"r'''(.*?)'''", re.S)
BARE_LITERAL = re.compile(r'(?<![`\w])`([a-z0-9_]+)`(?!`)')


def reference(text, label):
    """A placeholder that survives the Markdown conversion (also in a table) and becomes :ref:."""
    return 'RUNCLOUD_REF(%s@@%s)' % (text, label)


def guide_label(name):
    return LABEL_PREFIX + name.replace('-', '_')


def content_labels(collection_dir):
    """{name: label} of the site page of every module, plugin and role of the collection."""
    labels = {}
    for kind, directory in (('module', 'modules'), ('inventory', 'inventory'), ('lookup', 'lookup')):
        path = os.path.join(collection_dir, 'plugins', directory)
        for file_name in sorted(os.listdir(path)) if os.path.isdir(path) else []:
            if file_name.endswith('.py') and not file_name.startswith('_'):
                labels[file_name[:-3]] = 'ansible_collections.runcloud.cloud.%s_%s' % (file_name[:-3], kind)
    roles = os.path.join(collection_dir, 'roles')
    for name in sorted(os.listdir(roles)) if os.path.isdir(roles) else []:
        labels.setdefault(name, 'ansible_collections.runcloud.cloud.%s_role' % name)
    return labels


def option_names(collection_dir):
    """Every option name of the collection's modules and doc fragments: such a name in running
    text may mean the option, so only its table and runcloud.cloud.<name> mentions are linked."""
    names = set(['runcloud'])  # also the inventory's default group and the action group

    def collect(options):
        for option, spec in (options or {}).items():
            names.add(option)
            if isinstance(spec, dict):
                collect(spec.get('suboptions'))

    for directory in ('modules', 'doc_fragments'):
        path = os.path.join(collection_dir, 'plugins', directory)
        for file_name in sorted(os.listdir(path)) if os.path.isdir(path) else []:
            if not file_name.endswith('.py'):
                continue
            with open(os.path.join(path, file_name)) as handle:
                for block in DOC_BLOCK.findall(handle.read()):
                    try:
                        document = yaml.safe_load(block)
                    except yaml.YAMLError:
                        continue
                    if isinstance(document, dict):
                        collect(document.get('options'))
    return names


def link_content(markdown, labels, ambiguous=()):
    """Module, plugin and role names outside code blocks become references to their pages: every
    ``runcloud.cloud.<name>``, every ``<name>`` in the first column of a table, and the first
    ``<name>`` of a page in running text."""
    lines, in_code, linked = [], False, set()

    def first_mention(match):
        name = match.group(1)
        if name not in labels or name in linked or name in ambiguous:
            return match.group(0)
        linked.add(name)
        return reference(name, labels[name])

    for line in markdown.split('\n'):
        if line.lstrip().startswith('```'):
            in_code = not in_code
        elif not in_code and not line.startswith('#'):
            line = FQCN_LITERAL.sub(
                lambda match: (reference('runcloud.cloud.' + match.group(1), labels[match.group(1)])
                               if match.group(1) in labels else match.group(0)), line)
            cell = TABLE_FIRST_CELL.match(line)
            if cell and cell.group(1) in labels:
                linked.add(cell.group(1))
                line = '| %s %s' % (reference(cell.group(1), labels[cell.group(1)]), line[cell.end() - 1:])
            elif not line.startswith('|'):
                line = BARE_LITERAL.sub(first_mention, line)
        lines.append(line)
    return '\n'.join(lines)


def rewrite_links(markdown, guides, source_dir):
    """Links to other guides become site references; other relative links go to the repository."""

    def replace(match):
        text, target = match.group(1), match.group(2)
        if re.match(r'^[a-z]+:', target) or target.startswith('#'):
            return match.group(0)
        path = target.split('#', 1)[0]
        name = os.path.splitext(os.path.basename(path))[0]
        repository_path = os.path.normpath(os.path.join(source_dir, path)).replace(os.sep, '/')
        if repository_path == 'docs/%s.md' % name and name in guides:
            return reference(text.replace('`', ''), guide_label(name))
        return '[%s](%s%s)' % (text, REPOSITORY_URL, repository_path)

    return MARKDOWN_LINK.sub(replace, markdown)


def readme_section(readme, heading):
    """The README's section under ``heading`` (to the next heading of its level), one level up."""
    level = heading.split(' ', 1)[0]
    text = readme.split('\n' + heading + '\n', 1)[1]
    text = re.split(r'\n%s ' % level, text, 1)[0]
    body = re.sub(r'^#(#+ )', r'\1', text, flags=re.MULTILINE)
    return '%s %s\n%s' % (level[1:], heading.split(' ', 1)[1], body.rstrip('\n') + '\n')


def convert(markdown, name, guides, labels, ambiguous, source='docs'):
    source_file = 'README.md' if source == '' else 'docs/%s.md' % name
    rst = m2r2.convert(link_content(rewrite_links(markdown, guides, source), labels, ambiguous))
    # A code block without a language breaks antsibull-docs' linter (and Sphinx guesses YAML).
    rst = re.sub(r'^(\s*)\.\. code-block::[ \t]*$', r'\1.. code-block:: text', rst, flags=re.MULTILINE)
    rst = re.sub(r'RUNCLOUD_REF\((.+?)@@([^)]+)\)',
                 lambda match: ':ref:`%s <%s>`' % (match.group(1), match.group(2).replace('\\_', '_')), rst)
    return ('..\n  Generated from %s by tests/lib/docsite_guides.py; edit the Markdown guide.\n\n'
            '.. _%s:\n\n%s' % (source_file, guide_label(name), rst.lstrip('\n')))


def main(collection_dir):
    with open(os.path.join(collection_dir, 'docs', 'docsite', 'extra-docs.yml')) as handle:
        index = yaml.safe_load(handle)
    guides = [entry['ref'] for section in index['sections'] for entry in section['toctree']]
    for section in index['sections']:
        for entry in section['toctree']:
            if TITLE_ESCAPED.search(entry.get('title') or ''):
                sys.stderr.write('docs/docsite/extra-docs.yml: the title %r holds one of \\ < > _ * ` | -, which the '
                                 'site would show with a backslash\n' % entry['title'])
                return 1
    labels = content_labels(collection_dir)
    ambiguous = option_names(collection_dir)
    rst_dir = os.path.join(collection_dir, 'docs', 'docsite', 'rst')
    if not os.path.isdir(rst_dir):
        os.makedirs(rst_dir)
    for name in guides:
        if name in README_SECTIONS:
            with open(os.path.join(collection_dir, 'README.md')) as handle:
                markdown, source = readme_section(handle.read(), README_SECTIONS[name]), ''
        else:
            with open(os.path.join(collection_dir, 'docs', name + '.md')) as handle:
                markdown, source = handle.read(), 'docs'
        with open(os.path.join(rst_dir, name + '.rst'), 'w') as handle:
            handle.write(convert(markdown, name, guides, labels, ambiguous, source))
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
