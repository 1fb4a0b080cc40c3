// Paired tablets and the ballot binding, folded on the device: the client's half of
// meeting/domain/devices.py (its `@on(...)` handlers and the snapshot's `devices`).
// Staff receive the pairings (`paired`); everyone else sees only the setting.

import { defineArea } from "../core/replica.js";

defineArea({
  name: "devices",

  fromSnapshot(state, s) {
    const d = s.devices ?? { ballots_from_paired_device: false, paired: null };
    state.devices = {
      ballots_from_paired_device: d.ballots_from_paired_device,
      paired: d.paired === null ? null : new Map(d.paired.map((p) => [p.device_id, { ...p }])),
    };
  },

  toSnapshot(state) {
    const d = state.devices;
    const paired = d.paired === null ? null : [...d.paired.values()].sort((a, b) => (a.paired_at + a.device_id).localeCompare(b.paired_at + b.device_id));
    return { devices: { ballots_from_paired_device: d.ballots_from_paired_device, paired: paired && paired.map((p) => ({ ...p })) } };
  },

  events: {
    "device.paired"(state, e) {
      const paired = state.devices.paired ?? new Map();
      for (const old of e.data.replaced) paired.delete(old);
      const { device_id, user_id, name, paired_by } = e.data;
      paired.set(device_id, { device_id, user_id, name, paired_at: e.at, paired_by });
      state.devices.paired = paired;
    },
    "device.revoked"(state, e) {
      state.devices.paired?.delete(e.data.device_id);
    },
    "device.binding_set"(state, e) {
      state.devices.ballots_from_paired_device = e.data.ballots_from_paired_device;
    },
  },
});
