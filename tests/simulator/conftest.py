# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One simulator per test session, wiped before every test; `api` talks to it like a client would."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position
from sim_testlib import Api  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session", name="simulator")
def fixture_simulator():
    # Writes of API v3 that only acknowledge land after 0.05 s here (1 s by default): tests poll for them.
    sim = Simulator(token="test-token", api_key="test-key", api_secret="test-secret", land_delay=0.05)
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture(name="sim")
def fixture_sim(simulator):
    simulator.handle_control("POST", "/reset", "")
    return simulator


@pytest.fixture(name="api")
def fixture_api(sim):
    return Api(sim)


@pytest.fixture(name="api3")
def fixture_api3(sim):
    """The same account through /api/v3."""
    return Api(sim, version=3)


@pytest.fixture(name="server_id")
def fixture_server_id(api):
    """A fresh server's id."""
    return api.server()["id"]


@pytest.fixture(name="server")
def fixture_server(server_id):
    """A fresh server's API path, /servers/<id>."""
    return "/servers/%d" % server_id


@pytest.fixture(name="app_path")
def fixture_app_path(api, server_id):
    """A fresh web app's API path, /servers/<id>/webapps/<id>."""
    return "/servers/%d/webapps/%d" % (server_id, api.webapp(server_id)["id"])
