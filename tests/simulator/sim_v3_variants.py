# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Variant answers that only concern /api/v3, next to the shared ones of sim_variants (which apply to
both versions). Each stands for a point the v3 reference leaves open (runcloud-api-v3 §4)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import sim_variants

# name -> one-line description
VARIANTS = {
    "v3-v2-paths": "v3 also answers the v2 paths of SSH keys (/sshcredentials) and the untyped collations",
    "v3-created-201": "v3 answers 201 to a POST that created an object (an answer with an id)",
}


def checked_variants(names):
    """Validates shared and v3 variant names together; returns the shared ones in their order, then the v3 ones."""
    if isinstance(names, str):
        names = [name for name in re.split(r"[,\s]+", names) if name]
    if not isinstance(names, (list, tuple)):
        return sim_variants.checked_variants(names)  # raises, naming what is wrong
    own = [name for name in names if name in VARIANTS]
    shared = [name for name in names if name not in VARIANTS]
    return sim_variants.checked_variants(shared) + [name for name in VARIANTS if name in own]


def answer_status(variants, method, status, body):
    """The status of a successful v3 answer under the variants."""
    if "v3-created-201" in variants and method == "POST" and status == 200 and _created(body):
        return 201
    return status


def _created(body):
    if isinstance(body, list) and len(body) == 1:
        body = body[0]
    return isinstance(body, dict) and "id" in body
