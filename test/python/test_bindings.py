# SPDX-License-Identifier: GPL-2.0-only
"""The `aisfc` Python module: each binding does what its C++ road does, as a user sees it.

Run with the module on the path: PYTHONPATH=build/python python3 -m pytest -q test/python
"""
import copy
import json
import os
import threading

import numpy as np
import pytest

import aisfc

# test/test-scenario.cc's scenario: one CBR flow over six 100 Mbit/s hops and one bulk TCP flow.
TINY = {
    "name": "t",
    "seed": 3,
    "duration": "0.5s",
    "topology": {"spec": "fattree:srem,rate=100Mbps,delay=10us"},
    "traffic": [
        {"name": "cbr", "type": "udp-cbr", "src": "server0", "dst": "server11",
         "rate": "8Mbps", "packet_size": 1000, "start": "0.1s", "stop": "0.3s"},
        {"name": "bulk", "type": "tcp-bulk", "src": "server1", "dst": "server6",
         "max_bytes": 200000, "start": "0.1s", "stop": "0.4s"},
    ],
}
SOURCE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DEMO = os.path.join(SOURCE_DIR, "scenarios", "demo.json")


def tiny(**changes):
    s = copy.deepcopy(TINY)
    s.update(changes)
    return s


# ---- module --------------------------------------------------------------------------------

def test_module_has_a_version_and_an_input_error_class():
    assert isinstance(aisfc.__version__, str) and aisfc.__version__
    assert issubclass(aisfc.InputError, ValueError)


# ---- scenarios -------------------------------------------------------------------------------

def test_run_scenario_returns_the_flows_with_their_packets(tmp_path):
    out = tmp_path / "run"
    r = aisfc.run_scenario(TINY, out=str(out))
    assert r["scenario"] == "t"
    assert r["topology"] == {"name": "fattree-srem", "nodes": 22, "links": 28}
    cbr, bulk = r["flows"]
    # 8 Mbit/s of 1000-byte packets for 0.2 s: one packet per ms, all delivered.
    assert (cbr["name"], cbr["tx_packets"], cbr["rx_packets"]) == ("cbr", 200, 200)
    assert cbr["loss_ratio"] == 0.0
    # Six hops of 100 Mbit/s and 10 us: (10 us + 1050 B / 100 Mbit/s) each.
    assert cbr["delay_p50_s"] == pytest.approx(6 * (10e-6 + 1050 * 8 / 100e6), abs=1e-9)
    assert bulk["rx_bytes"] > 200000
    assert bulk["rx_packets"] + bulk["dropped_packets"] + bulk["in_flight_packets"] == \
        bulk["tx_packets"]
    assert isinstance(cbr["tx_packets"], int) and isinstance(cbr["delay_p50_s"], float)
    # The files `aisfc run` writes, with the same content as the dict.
    with open(out / "results.json") as f:
        assert json.load(f) == r
    assert (out / "config.resolved.json").exists() and (out / "flows.csv").exists()


def test_run_scenario_from_a_file_and_twice_in_a_row_gives_the_same_results():
    # ns-3's simulator is a process-wide singleton: each run must start from a clean one.
    first = aisfc.run_scenario(TINY)
    demo = aisfc.run_scenario(DEMO)
    again = aisfc.run_scenario(TINY)
    assert first == again
    assert [f["name"] for f in demo["flows"]] == ["video", "telemetry", "backup"]
    assert all(f["rx_packets"] > 0.99 * f["tx_packets"] for f in demo["flows"])


def test_run_scenario_from_threads_runs_one_at_a_time():
    serial = aisfc.run_scenario(TINY)
    results = [None] * 3
    errors = []

    def run(k):
        try:
            results[k] = aisfc.run_scenario(TINY)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(r == serial for r in results)


def test_run_scenario_bad_input_raises_input_error_naming_the_json_path(tmp_path):
    bad = tiny()
    bad["traffic"][1]["dst"] = "server66"
    out = tmp_path / "never"
    with pytest.raises(aisfc.InputError, match=r"/traffic/1/dst: no node named 'server66'"):
        aisfc.run_scenario(bad, out=str(out))
    assert not out.exists()  # bad input is found before anything is written
    with pytest.raises(ValueError, match=r"/sead: unknown key"):
        aisfc.run_scenario(tiny(sead=3))
    with pytest.raises(aisfc.InputError, match=r"scenario: /traffic/0/packet_size: 9000"):
        bad = tiny()
        bad["traffic"][0]["packet_size"] = 9000
        aisfc.run_scenario(bad)
    with pytest.raises(TypeError, match=r"/traffic/0/rate"):
        bad = tiny()
        bad["traffic"][0]["rate"] = {8, "Mbps"}
        aisfc.run_scenario(bad)
    # A failed scenario leaves nothing behind for the next one.
    assert aisfc.run_scenario(TINY)["flows"][0]["rx_packets"] == 200


# ---- topologies ------------------------------------------------------------------------------

def test_fattree_topology_counts_roles_and_paths():
    t = aisfc.load_topology("fattree:k=4")
    assert (t.name, t.n_nodes, t.n_links) == ("fattree-k4", 36, 48)
    assert len(t.nodes) == 36 and len(t.links) == 48
    names = {n["name"] for n in t.nodes}
    assert all(link["a"] in names and link["b"] in names for link in t.links)
    assert all(link["capacity_bps"] == 10e9 and link["delay_s"] == 1e-6 for link in t.links)
    d = t.describe()
    assert d["roles"] == {"core": 4, "aggregation": 8, "edge": 8, "host": 16}
    assert (d["nodes"], d["links"], d["components"], d["diameter_hops"]) == (36, 48, 1, 6)
    # Hosts in different pods: host, edge, aggregation, core, aggregation, edge, host.
    p = t.shortest_path("host0", "host15")
    assert p["nodes"][0] == "host0" and p["nodes"][-1] == "host15"
    assert len(p["nodes"]) == 7 and len(p["links"]) == 6 and p["cost"] == 6
    assert t.shortest_path("host0", "host15", metric="delay")["cost"] == pytest.approx(6e-6)
    assert t.shortest_path(0, 0)["cost"] == 0
    with pytest.raises(aisfc.InputError, match="no node named 'host99'"):
        t.shortest_path("host0", "host99")
    with pytest.raises(ValueError, match="metric"):
        t.shortest_path("host0", "host1", metric="cost")
    with pytest.raises(aisfc.InputError, match="even"):
        aisfc.load_topology("fattree:k=3")


def test_topology_zoo_chinanet():
    try:
        t = aisfc.load_topology("zoo:Chinanet")
    except aisfc.InputError as e:
        pytest.skip(f"Topology Zoo not found: {e}")
    assert (t.n_nodes, t.n_links) == (42, 66)
    # Four "International Link" nodes have no coordinates: their 4 links get the fallback delay.
    missing = [n["name"] for n in t.nodes if n["latitude"] is None]
    assert len(missing) == 4 and all(m.startswith("International Link") for m in missing)
    assert t.describe()["edges_without_coordinates"] == 4
    p = t.shortest_path("Beijing", "Lhasa", metric="delay")
    assert p["cost"] > 0 and p["nodes"][0] == "Beijing"


# ---- placement environment -------------------------------------------------------------------

def test_placement_env_shapes_and_a_whole_episode():
    env = aisfc.PlacementEnv(preset="srem", seed=1)
    # The srem preset: 4 types x 2 instances; 12 servers + 10 switches x (local, external).
    assert (env.n_instances, env.n_slots, env.horizon) == (8, 32, 6)
    assert len(env.slot_names) == 32 and "core0/local" in env.slot_names
    obs = env.reset()
    assert obs.dtype == np.float64 and obs.shape == (env.observation_size,)
    assert np.all(obs >= -1) and np.all(obs <= 1)
    mask = env.action_mask()
    assert mask.dtype == np.bool_ and mask.shape == (8, 32)
    assert np.array_equal(env.action_mask(3), mask[3])
    assert np.array_equal(env.action_mask(np.int64(3)), mask[3])
    assert np.array_equal(env.action_mask(env.instance_names[3]), mask[3])
    with pytest.raises(IndexError):
        env.action_mask(8)
    assert env.action_mask(mode="none").all()
    rng = np.random.default_rng(0)
    done, steps = False, 0
    while not done:
        mask = env.action_mask()
        action = [int(rng.choice(np.flatnonzero(row))) for row in mask]
        obs, reward, done, info = env.step(np.array(action))
        steps += 1
        assert obs.shape == (env.observation_size,)
        assert 0 <= reward <= 2
        assert info["slot"] == steps - 1
        for key in ("acceptance_ratio", "total_cost", "it_cost", "bandwidth_cost",
                    "reconfiguration_cost"):
            assert isinstance(info[key], float)
        assert isinstance(info["feasible"], bool) and isinstance(info["violations"], list)
    assert steps == env.horizon
    with pytest.raises(RuntimeError, match="episode is over"):
        env.step(action)
    env.reset()
    assert env.time_slot == 0


def test_placement_env_infeasible_action_earns_nothing_and_says_why():
    env = aisfc.PlacementEnv(seed=7)
    local = env.slot_names.index("core0/local")
    obs, reward, done, info = env.step([local] * env.n_instances)
    assert reward == 0 and not info["feasible"]
    assert any(v.startswith("storage: core0/local") for v in info["violations"])
    env.reset()
    _, reward, _, info = env.step([-1] * env.n_instances)
    assert reward == 0
    assert "unplaced: instance f0#0 is not placed" in info["violations"]
    env.reset()
    with pytest.raises(ValueError, match="expected 8 host indices"):
        env.step([0, 1])
    with pytest.raises(ValueError, match=r"f0#0: host index 99"):
        env.step([99] * 8)


def test_placement_envs_are_independent_and_seeded():
    a = aisfc.PlacementEnv(seed=5)
    b = aisfc.PlacementEnv(seed=5)
    start = a.reset()
    assert np.array_equal(start, b.reset())
    stay = a.placement
    a.step([-1] * a.n_instances)  # only a moves
    assert a.time_slot == 1 and b.time_slot == 0
    assert np.array_equal(b.reset(), start)
    assert b.placement == stay
    other = b.reset(seed=6)  # a new seed is a new problem
    assert b.seed == 6 and not np.array_equal(other, start)
    assert np.array_equal(aisfc.PlacementEnv(seed=6).reset(), other)
    assert np.array_equal(a.reset(), start)
    assert np.array_equal(a.reset(seed=5), start)
    with pytest.raises(aisfc.InputError, match="/slotLenght: unknown key"):
        aisfc.PlacementEnv(config={"slotLenght": "1h"})
    small = aisfc.PlacementEnv(config={"requests": 10, "slots": 2})
    assert small.horizon == 2 and len(small.problem()["requests"]) == 10


# ---- placement policies ----------------------------------------------------------------------

def test_policies_by_name_and_lag_accepts_more_than_random():
    names = aisfc.placement_policies()
    assert {"random", "lag", "ilp"} <= set(names)
    lag = aisfc.run_policy("lag", {}, preset="srem", seed=11)
    rnd = aisfc.run_policy("random", seed=11)
    assert len(lag) == len(rnd) == 6
    assert [s["slot"] for s in lag] == list(range(6))
    assert all(0 <= s["reward"] <= 2 and 0 <= s["acceptance_ratio"] <= 1 for s in lag + rnd)
    mean = lambda slots: sum(s["acceptance_ratio"] for s in slots) / len(slots)  # noqa: E731
    assert mean(lag) > mean(rnd)
    # The same problem given as JSON, as PlacementEnv.problem() writes it.
    problem = aisfc.PlacementEnv(seed=11).problem()
    assert aisfc.run_policy("lag", problem=problem, policy_seed=11) == lag
    with pytest.raises(aisfc.InputError, match=r"unknown policy 'greedy'.*lag"):
        aisfc.run_policy("greedy")
    with pytest.raises(aisfc.InputError, match="prune"):
        aisfc.run_policy("lag", {"prune": True})


# ---- DUNE ------------------------------------------------------------------------------------

def test_dune_run_on_a_small_synthetic_set_returns_the_four_systems(tmp_path):
    options = {"classes": 4, "flows_per_class": 40, "seed": 2}
    r = aisfc.dune_run(options, out=str(tmp_path))
    assert set(r["systems"]) == {"no_inference", "mousika", "jewel", "dune"}
    for name in ("mousika", "jewel", "dune"):
        for key in ("macro_f1", "weighted_f1", "micro_f1"):
            assert 0 <= r["systems"][name][key] <= 1
        assert r["systems"][name]["resources"]
    assert len(r["data"]["class_names"]) == 4
    assert r["config"]["seed"] == 2
    with open(tmp_path / "results.json") as f:
        assert json.load(f)["systems"] == r["systems"]
    again = aisfc.dune_run(options)  # same seed, same results (wall time aside)
    # wall-clock figures are not part of the results (they go to timing.json)
    assert again == r
    with pytest.raises(aisfc.InputError, match="/flows_per_clas: unknown key"):
        aisfc.dune_run({"flows_per_clas": 40})
    with pytest.raises(aisfc.InputError, match="modelDepth"):
        aisfc.dune_run(classes=4, config={"modelDepth": "deep"})
