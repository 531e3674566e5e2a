/**
 * Whether the device is a cyber device is a declaration only people can make (FD&C 524B(c)), and
 * four rules of `check` depend on it (src/rules/security-applicability.ts). A project that never
 * made it would pass those rules silently, so the missing declaration is itself a finding (fail
 * closed); `dossier init` writes it, so only projects that dropped or never had it see this.
 */
import { CONFIG_FILE_NAME } from '../model/config.js';
import type { Rule } from './rule.js';

export const configCyberDeviceUndeclared: Rule = {
  code: 'config/cyber-device-undeclared',
  severity: 'warning',
  applicability: 'table',
  // Production or quality system software is not a device: there is nothing to declare.
  profiles: ['device'],
  clauses: ['FD&C 524B(c)', 'FDA cybersecurity VII'],
  reads: { kinds: [] },
  summary:
    'dossier.yaml does not declare whether the device is a cyber device (device.cyberDevice), so the cyber-device rules were not run.',
  hint: 'add `cyberDevice: true` under `device:` in dossier.yaml when the device includes software and can connect to the internet, directly or through another device (Wi-Fi, Bluetooth, USB and network ports can count), else `cyberDevice: false` (docs/config.md#devicecyberdevice-fdc-act-524b)',
  *check({ project }) {
    if (project.config.device.cyberDevice !== undefined) return;
    yield {
      code: 'config/cyber-device-undeclared',
      message:
        'dossier.yaml does not say whether the device is a cyber device (FD&C 524B(c); FDA premarket cybersecurity guidance): device.cyberDevice is not declared, so check did not run security/threat-model-missing, security/plan-missing, security/labeling-missing and security/anomaly-unassessed',
      at: { file: CONFIG_FILE_NAME, path: ['device'], atKey: true },
    };
  },
};
