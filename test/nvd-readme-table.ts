/**
 * The expectations of the table in ../shared/data/vulnerability-feeds/nvd/README.md ("CPE criteria
 * and example versions"), written down once for the tests that read the real NVD sample.
 */
import path from 'node:path';
import { REPO } from './helpers.js';

export const NVD_SAMPLE = path.resolve(REPO, '../shared/data/vulnerability-feeds/nvd/cves-sample.json');

/** Mbed TLS 3.6.2 falls inside these six records, and no other. */
export const MBEDTLS_362_CVES = [
  'CVE-2025-27809',
  'CVE-2025-27810',
  'CVE-2025-49600',
  'CVE-2025-49601',
  'CVE-2025-52496',
  'CVE-2025-52497',
];
