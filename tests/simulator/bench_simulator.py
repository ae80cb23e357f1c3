# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Times seeding 1000 servers and listing them all in pages of 40: `python3 tests/simulator/bench_simulator.py`."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time
import urllib.request

from runcloud_sim import Simulator


def _call(url, method="GET", body=None, token=None):
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode("utf-8") if body is not None else None,
                                     headers={"Accept": "application/json", "Content-Type": "application/json",
                                              "Authorization": "Bearer %s" % token})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read().decode("utf-8"))


def main():
    with Simulator() as sim:
        started = time.monotonic()
        _call(sim.control_url + "/seed", "POST", {"servers": 1000, "fixtures": True})
        seeded = time.monotonic()
        page, listed = 1, 0
        while True:
            body = _call(sim.url + "/servers?perPage=40&page=%d" % page, token=sim.token)
            listed += len(body["data"])
            if page >= body["meta"]["pagination"]["total_pages"]:
                break
            page += 1
        finished = time.monotonic()
    print("seed 1000 servers with fixtures: %.3f s" % (seeded - started))
    print("list %d servers in %d pages of 40: %.3f s" % (listed, page, finished - seeded))
    print("total: %.3f s" % (finished - started))


if __name__ == "__main__":
    main()
