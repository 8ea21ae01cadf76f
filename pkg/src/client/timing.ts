// Slot, epoch and period arithmetic from a network configuration: when to
// ask the Beacon API for which period's updates, and which fork a payload
// without `version` belongs to. Levels and ETAs come from the core.
import type { NetworkConfig } from '../beacon.js';

const PRESETS = {
  mainnet: { slotsPerEpoch: 32, epochsPerSyncCommitteePeriod: 256 },
  minimal: { slotsPerEpoch: 8, epochsPerSyncCommitteePeriod: 8 },
} as const;

/** The clock arithmetic of one network. */
export class Timing {
  readonly slotsPerEpoch: number;
  readonly slotsPerPeriod: number;
  readonly secondsPerSlot: number;
  readonly genesisTime: number;

  constructor(readonly config: NetworkConfig) {
    const p = typeof config.preset === 'string' ? PRESETS[config.preset] : config.preset;
    this.slotsPerEpoch = p.slotsPerEpoch;
    this.slotsPerPeriod = p.slotsPerEpoch * p.epochsPerSyncCommitteePeriod;
    this.secondsPerSlot = config.secondsPerSlot;
    this.genesisTime = config.genesisTime;
  }

  /** The slot at unix time `nowSec` (0 before genesis). */
  slotAt(nowSec: number): number {
    return Math.max(0, Math.floor((nowSec - this.genesisTime) / this.secondsPerSlot));
  }

  /** Start time of `slot`. */
  timeOfSlot(slot: number): number {
    return this.genesisTime + slot * this.secondsPerSlot;
  }

  periodOf(slot: number): number {
    return Math.floor(slot / this.slotsPerPeriod);
  }

  epochOf(slot: number): number {
    return Math.floor(slot / this.slotsPerEpoch);
  }

  /** The fork active at `slot` (by the schedule), for payloads that lack `version`. */
  forkAt(slot: number): string | undefined {
    const epoch = this.epochOf(slot);
    let best: { name: string; epoch: number } | undefined;
    for (const [name, f] of Object.entries(this.config.forks)) {
      if (f.epoch !== null && f.epoch <= epoch && (!best || f.epoch >= best.epoch)) best = { name, epoch: f.epoch };
    }
    return best?.name;
  }
}
