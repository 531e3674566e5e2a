import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cargoLockReader } from '../src/soup/import/cargo-lock.js';
import { conanLockReader } from '../src/soup/import/conan-lock.js';
import { cyclonedxJsonReader } from '../src/soup/import/cyclonedx-json.js';
import { cyclonedxXmlReader } from '../src/soup/import/cyclonedx-xml.js';
import { goModReader, goSumReader } from '../src/soup/import/go-mod.js';
import { gradleLockfileReader } from '../src/soup/import/gradle-lockfile.js';
import { mavenPomReader } from '../src/soup/import/maven-pom.js';
import { spdxJsonReader } from '../src/soup/import/spdx-json.js';
import type { DependencyReader, ImportResult, ReadOptions, SbomComponent } from '../src/soup/import/types.js';
import { vcpkgJsonReader } from '../src/soup/import/vcpkg-json.js';
import { parseXmlSafely, xmlChild, xmlText } from '../src/util/xml-parse.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'sbom-and-native');
const fixture = (file: string) => fs.readFileSync(path.join(FIXTURES, file), 'utf8');
const read = (reader: DependencyReader, file: string, options?: ReadOptions) =>
  reader.read(fixture(file), options);

/** Components by purl, typed with the SBOM support fields. */
function byPurl(result: ImportResult): Map<string, SbomComponent> {
  return new Map(result.components.map((c) => [c.purl, c as SbomComponent]));
}
function get(result: ImportResult, purl: string): SbomComponent {
  const found = byPurl(result).get(purl);
  if (!found) throw new Error(`${purl} not in ${result.components.map((c) => c.purl).join(', ')}`);
  return found;
}
const purls = (result: ImportResult) => result.components.map((c) => c.purl);
const messages = (result: ImportResult) => result.problems.map((p) => `${p.severity}: ${p.message}`);

const ALL_READERS: readonly DependencyReader[] = [
  cargoLockReader,
  goModReader,
  goSumReader,
  mavenPomReader,
  gradleLockfileReader,
  conanLockReader,
  vcpkgJsonReader,
  cyclonedxJsonReader,
  cyclonedxXmlReader,
  spdxJsonReader,
];

describe('Cargo.lock', () => {
  it('v3: workspace crates are not SOUP, their dependencies are direct, git sources get vcs_url', () => {
    const result = read(cargoLockReader, 'Cargo-v3.lock');
    expect(result.format).toBe('Cargo.lock v3');
    const heapless =
      'pkg:cargo/heapless@0.8.0?vcs_url=git%2Bhttps%3A//github.com/rust-embedded/heapless%401f3b5e9a0c6d2e8b7a4f9c1d0e2b3a4c5d6e7f80';
    expect(purls(result)).toEqual([
      'pkg:cargo/autocfg@1.1.0',
      'pkg:cargo/byteorder@1.5.0',
      'pkg:cargo/crc-catalog@1.1.1',
      'pkg:cargo/crc-catalog@2.4.0',
      'pkg:cargo/crc@2.1.0',
      'pkg:cargo/crc@3.0.1',
      'pkg:cargo/hash32@0.3.1',
      heapless,
      'pkg:cargo/num-traits@0.2.17',
      'pkg:cargo/stable_deref_trait@1.2.0',
    ]);
    const direct = result.components.filter((c) => c.scope === 'direct').map((c) => c.name);
    expect(direct).toEqual(['crc', 'crc', 'heapless', 'num-traits']);
    expect(get(result, 'pkg:cargo/crc@2.1.0')).toMatchObject({
      ecosystem: 'crates.io',
      version: '2.1.0',
      development: false,
      dependsOn: ['pkg:cargo/crc-catalog@1.1.1'],
      hashes: [
        { alg: 'SHA-256', content: '49fc9a695bca7f35f5f4c15cddc84415f66a74ea78eef08e90c5024f2b540e23' },
      ],
      line: 17,
    });
    expect(get(result, heapless)).toMatchObject({
      scope: 'direct',
      dependsOn: ['pkg:cargo/hash32@0.3.1', 'pkg:cargo/stable_deref_trait@1.2.0'],
    });
    expect(get(result, heapless).hashes).toBeUndefined();
    expect(get(result, 'pkg:cargo/byteorder@1.5.0').scope).toBe('transitive');
    expect(messages(result)).toEqual([
      'info: Cargo.lock does not mark dev-dependencies, so crates used only by tests and benches are imported too',
    ]);
  });

  it('v4: the git query (branch/tag, percent-encoded in v4) is dropped from vcs_url', () => {
    const result = read(cargoLockReader, 'Cargo-v4.lock');
    expect(result.format).toBe('Cargo.lock v4');
    expect(get(result, 'pkg:cargo/fixed@1.27.0')).toMatchObject({
      scope: 'direct',
      dependsOn: [
        'pkg:cargo/az@1.2.1',
        'pkg:cargo/bytemuck@1.16.1',
        'pkg:cargo/half@2.4.1',
        'pkg:cargo/typenum@1.17.0',
      ],
    });
    expect(purls(result)).toContain(
      'pkg:cargo/embedded-hal@1.0.0?vcs_url=git%2Bhttps%3A//github.com/rust-embedded/embedded-hal%406c7f4b0b6e3b9c1f3a2d5e8f0a1b2c3d4e5f6a7b',
    );
    expect(get(result, 'pkg:cargo/typenum@1.17.0').scope).toBe('transitive');
  });

  it('v1 keeps checksums in [metadata] and writes "name version (source)" dependencies', () => {
    const source = 'registry+https://github.com/rust-lang/crates.io-index';
    const sha = 'a'.repeat(64);
    const text = `[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "log 0.4.8 (${source})",
]

[[package]]
name = "log"
version = "0.4.8"
source = "${source}"

[metadata]
"checksum log 0.4.8 (${source})" = "${sha}"
`;
    const result = cargoLockReader.read(text);
    expect(result.format).toBe('Cargo.lock v1');
    expect(result.components).toEqual([
      {
        ecosystem: 'crates.io',
        name: 'log',
        version: '0.4.8',
        purl: 'pkg:cargo/log@0.4.8',
        scope: 'direct',
        development: false,
        dependsOn: [],
        hashes: [{ alg: 'SHA-256', content: sha }],
        line: 8,
      },
    ]);
  });

  it('v2 (no version key, inline checksums); another registry becomes repository_url', () => {
    const text = `[[package]]
name = "app"
version = "0.1.0"
dependencies = ["internal-crc"]

[[package]]
name = "internal-crc"
version = "1.0.0"
source = "sparse+https://crates.acme.example/index/"
checksum = "${'b'.repeat(64)}"
`;
    const result = cargoLockReader.read(text);
    expect(result.format).toBe('Cargo.lock v2');
    expect(purls(result)).toEqual([
      'pkg:cargo/internal-crc@1.0.0?repository_url=https%3A//crates.acme.example/index/',
    ]);
  });

  it('an unknown lock version is an error, not a guess; broken TOML reports its line', () => {
    const future = cargoLockReader.read('version = 5\n\n[[package]]\nname = "a"\nversion = "1.0.0"\n');
    expect(future.components).toEqual([]);
    expect(future.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        message: 'Cargo.lock version 5 is not supported (known: 1 to 4)',
      }),
    ]);
    const broken = cargoLockReader.read('version = 3\n\n[[package]]\nname = "a\n');
    expect(broken.problems[0]).toMatchObject({ severity: 'error', line: 4 });
    expect(broken.problems[0]?.message).toMatch(/^Cargo\.lock is not valid TOML/);
  });
});

describe('go.mod and go.sum', () => {
  it('go.mod: require blocks, // indirect, replace applied; version without v, purl with v', () => {
    const result = read(goModReader, 'go.mod');
    expect(result.format).toBe('go.mod');
    expect(get(result, 'pkg:golang/github.com/google/uuid@v1.6.0')).toEqual({
      ecosystem: 'Go',
      name: 'github.com/google/uuid',
      version: '1.6.0',
      purl: 'pkg:golang/github.com/google/uuid@v1.6.0',
      scope: 'direct',
      development: false,
      dependsOn: [],
      line: 9,
    });
    // go.bug.st/serial is replaced by the vendor's fork at a pseudo-version.
    expect(purls(result)).not.toContain('pkg:golang/go.bug.st/serial@v1.6.2');
    expect(
      get(result, 'pkg:golang/github.com/acme-medical/serial@v1.6.3-0.20240601120000-abcdef123456'),
    ).toMatchObject({
      name: 'github.com/acme-medical/serial',
      version: '1.6.3-0.20240601120000-abcdef123456',
      scope: 'direct',
      line: 11,
    });
    expect(get(result, 'pkg:golang/github.com/docker/docker@v24.0.9%2Bincompatible')).toMatchObject({
      version: '24.0.9+incompatible',
      scope: 'transitive',
    });
    expect(get(result, 'pkg:golang/golang.org/x/exp@v0.0.0-20240506185415-9bf2ced13842').scope).toBe(
      'transitive',
    );
    expect(result.components).toHaveLength(13);
    expect(result.problems).toEqual([
      {
        severity: 'warning',
        message:
          'example.com/infusion/alarms is replaced by the local directory ../alarms, which has no version and cannot be identified',
        hint: 'Record this code as SOUP by hand (or as your own software item) with the version it was taken from.',
        line: 30,
      },
    ]);
  });

  it('go.mod: old go versions, excluded requirements, version-specific replace, malformed lines', () => {
    const text = [
      'module example.com/m',
      'go 1.16',
      'require github.com/a/b v1.0.0',
      'require github.com/c/d v2.0.0 // indirect; needed by tests',
      'exclude github.com/a/b v1.0.0',
      'replace github.com/c/d v2.0.0 => github.com/c/d v2.0.1',
      'replace github.com/c/d => github.com/other/d v9.9.9',
      'require github.com/broken',
      'frobnicate all',
    ].join('\n');
    const result = goModReader.read(text);
    expect(purls(result)).toEqual(['pkg:golang/github.com/a/b@v1.0.0', 'pkg:golang/github.com/c/d@v2.0.1']);
    expect(messages(result)).toEqual([
      'warning: go.mod: malformed require line (expected "module/path vX.Y.Z")',
      'warning: go.mod: unknown directive "frobnicate" ignored',
      'info: go.mod declares go 1.16; before go 1.17 it lists only part of the transitive modules',
      'warning: go.mod requires github.com/a/b v1.0.0, which is also excluded; the go command will pick another version',
    ]);
    expect(result.problems[0]?.line).toBe(8);
  });

  it('go.sum: module lines only (/go.mod lines are not in the build), scope unknown', () => {
    const result = read(goSumReader, 'go.sum');
    expect(result.format).toBe('go.sum');
    expect(purls(result)).not.toContain('pkg:golang/github.com/google/uuid@v1.4.0');
    expect(get(result, 'pkg:golang/github.com/google/uuid@v1.6.0')).toMatchObject({
      version: '1.6.0',
      scope: 'unknown',
      line: 13,
    });
    expect(get(result, 'pkg:golang/github.com/google/uuid@v1.6.0').hashes).toBeUndefined();
    expect(result.components).toHaveLength(14);
    expect(messages(result)).toEqual([
      'info: go.sum lists 1 module(s) at more than one version (e.g. github.com/google/uuid); only one version of each is in the build',
    ]);
  });
});

describe('Maven pom.xml', () => {
  const result = read(mavenPomReader, 'pom.xml');

  it('resolves properties, project.version and dependencyManagement; direct only; plugins ignored', () => {
    expect(result.format).toBe('pom.xml');
    expect(purls(result)).toEqual([
      'pkg:maven/ch.qos.logback/logback-classic@1.5.6',
      'pkg:maven/com.acme.medical/pump-protocol@2.4.0',
      'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.1',
      'pkg:maven/io.netty/netty-tcnative-boringssl-static@2.0.65.Final?classifier=linux-x86_64',
      'pkg:maven/jakarta.servlet/jakarta.servlet-api@6.0.0',
      'pkg:maven/org.slf4j/slf4j-api@2.0.13',
    ]);
    expect(get(result, 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.1')).toEqual({
      ecosystem: 'Maven',
      name: 'com.fasterxml.jackson.core:jackson-databind',
      version: '2.17.1',
      purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.1',
      scope: 'direct',
      development: false,
      dependsOn: [],
      line: 51,
    });
    // `provided` is supplied by the runtime: still SOUP.
    expect(get(result, 'pkg:maven/jakarta.servlet/jakarta.servlet-api@6.0.0').development).toBe(false);
    expect(purls(result).some((p) => p.includes('asm'))).toBe(false);
  });

  it('test scope (also when it comes from dependencyManagement) is development', () => {
    const withDev = read(mavenPomReader, 'pom.xml', { includeDev: true });
    expect(get(withDev, 'pkg:maven/org.junit.jupiter/junit-jupiter@5.10.2').development).toBe(true);
    expect(get(withDev, 'pkg:maven/org.mockito/mockito-core@5.12.0')).toMatchObject({
      development: true,
      line: 99,
    });
  });

  it('a version from a parent POM or BOM, or an undefined property, is reported with its line', () => {
    expect(result.problems).toEqual([
      {
        severity: 'warning',
        message:
          'io.netty:netty-handler has no version in this POM (it is managed by the parent POM or an imported BOM (io.netty:netty-bom)), so it is not imported',
        hint: 'Run `mvn dependency:tree` or import a CycloneDX SBOM from cyclonedx-maven-plugin, which know the resolved versions.',
        line: 66,
      },
      {
        severity: 'warning',
        message: `com.acme.medical:device-drivers: property \${drivers.version} in version "\${drivers.version}" is not defined in this POM, so it is not imported`,
        hint: 'Run `mvn dependency:tree` or import a CycloneDX SBOM from cyclonedx-maven-plugin, which know the resolved versions.',
        line: 88,
      },
    ]);
  });

  it('unknown model versions and version ranges', () => {
    const pom = (model: string, version: string) =>
      `<project><modelVersion>${model}</modelVersion><groupId>g</groupId><artifactId>a</artifactId><version>1</version>
<dependencies><dependency><groupId>x</groupId><artifactId>y</artifactId><version>${version}</version></dependency></dependencies></project>`;
    expect(messages(mavenPomReader.read(pom('5.0.0', '1.0')))).toEqual([
      'error: POM modelVersion 5.0.0 is not supported (known: 4.0.0, 4.1.0)',
    ]);
    expect(messages(mavenPomReader.read(pom('4.0.0', '[1.0,2.0)')))).toEqual([
      'warning: x:y: "[1.0,2.0)" is a version range, not an exact version, so it is not imported',
    ]);
  });
});

describe('gradle.lockfile', () => {
  it('scope unknown; modules only in test configurations or annotation processors are development', () => {
    const result = read(gradleLockfileReader, 'gradle.lockfile');
    expect(result.format).toBe('gradle.lockfile');
    expect(purls(result)).toEqual([
      'pkg:maven/com.google.code.findbugs/jsr305@3.0.2',
      'pkg:maven/com.google.errorprone/error_prone_annotations@2.26.1',
      'pkg:maven/com.google.guava/failureaccess@1.0.2',
      'pkg:maven/com.google.guava/guava@33.2.1-jre',
      'pkg:maven/com.google.j2objc/j2objc-annotations@3.0.0',
      'pkg:maven/org.checkerframework/checker-qual@3.42.0',
      'pkg:maven/org.slf4j/slf4j-api@2.0.13',
    ]);
    expect(get(result, 'pkg:maven/com.google.guava/guava@33.2.1-jre')).toMatchObject({
      name: 'com.google.guava:guava',
      version: '33.2.1-jre',
      scope: 'unknown',
      development: false,
      line: 7,
    });
    const withDev = read(gradleLockfileReader, 'gradle.lockfile', { includeDev: true });
    expect(withDev.components.filter((c) => c.development).map((c) => c.name)).toEqual([
      'net.bytebuddy:byte-buddy',
      'org.apiguardian:apiguardian-api',
      'org.junit.jupiter:junit-jupiter-api',
      'org.junit.platform:junit-platform-commons',
      'org.mapstruct:mapstruct-processor',
      'org.mockito:mockito-core',
      'org.opentest4j:opentest4j',
    ]);
    expect(result.problems).toEqual([]);
  });
});

describe('conan.lock', () => {
  it('0.5 (Conan 2): revision and user/channel become purl qualifiers; build and python requires are development', () => {
    const result = read(conanLockReader, 'conan.lock', { includeDev: true });
    expect(result.format).toBe('conan.lock v0.5');
    expect(get(result, 'pkg:conan/zlib@1.3.1?rrev=f52e03ae3d251dec704634230cd806a2')).toEqual({
      ecosystem: 'ConanCenter',
      name: 'zlib',
      version: '1.3.1',
      purl: 'pkg:conan/zlib@1.3.1?rrev=f52e03ae3d251dec704634230cd806a2',
      scope: 'unknown',
      development: false,
      dependsOn: [],
      line: 4,
    });
    expect(purls(result)).toContain(
      'pkg:conan/mbedtls@3.6.0?channel=stable&rrev=4f4b1d52f7f3f7a0d6c9c3c2b7a4e2d1&user=acme',
    );
    expect(result.components.filter((c) => c.development).map((c) => c.name)).toEqual([
      'acme-recipe-base',
      'cmake',
      'protobuf',
    ]);
    expect(read(conanLockReader, 'conan.lock').components.map((c) => c.name)).toEqual([
      'fmt',
      'libcurl',
      'mbedtls',
      'openssl',
      'zlib',
    ]);
  });

  it('0.4 (Conan 1): the node graph gives direct/transitive, dependsOn and build-context tools', () => {
    const result = read(conanLockReader, 'conan-1.lock', { includeDev: true });
    expect(result.format).toBe('conan.lock v0.4');
    const openssl = get(result, 'pkg:conan/openssl@1.1.1w?rrev=6d6d9b1b3c5a4d2e9a7f0c8b1e2d3f4a');
    expect(openssl).toMatchObject({
      scope: 'direct',
      development: false,
      dependsOn: ['pkg:conan/zlib@1.2.13?rrev=e377bee636333ae348d51ca90874e353'],
      line: 17,
    });
    expect(get(result, 'pkg:conan/zlib@1.2.13?rrev=e377bee636333ae348d51ca90874e353')).toMatchObject({
      scope: 'transitive',
      development: false,
    });
    expect(get(result, 'pkg:conan/nlohmann_json@3.11.2').scope).toBe('direct');
    expect(get(result, 'pkg:conan/cmake@3.25.3?rrev=8a5b2b4b6b1f0d7e9c3a2f1e0d9c8b7a')).toMatchObject({
      scope: 'direct',
      development: true,
    });
    // The OpenSSL that cmake was built with is a build tool's dependency, not in the device.
    expect(get(result, 'pkg:conan/openssl@3.0.12?rrev=a1b2c3d4e5f60718293a4b5c6d7e8f90').development).toBe(
      true,
    );
  });

  it('an unknown lockfile version is an error', () => {
    expect(messages(conanLockReader.read('{"version": "0.6", "requires": ["zlib/1.3.1"]}'))).toEqual([
      'error: conan.lock version 0.6 is not supported (known: 0.5 from Conan 2, 0.4 from Conan 1)',
    ]);
  });
});

describe('vcpkg.json', () => {
  it('exact versions come from overrides; host dependencies are development; unpinned ones are reported', () => {
    const result = read(vcpkgJsonReader, 'vcpkg.json', { includeDev: true });
    expect(result.format).toBe('vcpkg.json');
    const repo = 'repository_url=https%3A//github.com/microsoft/vcpkg';
    expect(purls(result)).toEqual([
      `pkg:generic/curl@8.4.0?${repo}`,
      `pkg:generic/fmt@10.1.1?${repo}`,
      `pkg:generic/nlohmann-json@3.11.3?${repo}`,
      `pkg:generic/protobuf@3.21.12?${repo}`,
      `pkg:generic/vcpkg-cmake@2024-04-23?${repo}`,
      `pkg:generic/zlib@1.3.1?${repo}`,
    ]);
    expect(get(result, `pkg:generic/fmt@10.1.1?${repo}`)).toMatchObject({
      ecosystem: 'generic',
      scope: 'direct',
      development: false,
      line: 7,
    });
    expect(get(result, `pkg:generic/protobuf@3.21.12?${repo}`).development).toBe(true);
    expect(get(result, `pkg:generic/zlib@1.3.1?${repo}`).scope).toBe('unknown');
    expect(result.problems).toEqual([
      {
        severity: 'warning',
        message:
          'openssl has only "version>=": "3.0.8" in vcpkg.json; the builtin-baseline 3426db05b996481ca31e95fff3734cf23e0f51bc decides the version actually built, so it is not imported',
        hint: 'Pin it with an "overrides" entry, or import the SPDX file vcpkg writes for each installed port (installed/<triplet>/share/<port>/vcpkg.spdx.json), which names the exact version.',
        line: 9,
      },
    ]);
  });
});

describe('CycloneDX JSON', () => {
  it('a 1.4 device SBOM: informal support properties, publisher as supplier, no graph means unknown scope', () => {
    const result = read(cyclonedxJsonReader, 'device-sbom-1.4.cdx.json');
    expect(result.format).toBe('CycloneDX 1.4 JSON');
    expect(get(result, 'pkg:nuget/Common.Logging@3.3.1')).toEqual({
      ecosystem: 'NuGet',
      name: 'Common.Logging',
      version: '3.3.1',
      purl: 'pkg:nuget/Common.Logging@3.3.1',
      scope: 'unknown',
      development: false,
      dependsOn: [],
      supplier: 'Net-Common',
      license: 'Apache-2.0',
      description: 'A simple abstraction to allow you to select a specific logging implementation at runtime',
      line: 64,
      supportLevel: 'Inactive',
      endOfSupport: 'Unknown',
      // Which properties the values came from, so the record can name its source.
      supportFrom: { kind: 'property', supportLevel: 'Level of Support', endOfSupport: 'End-of-Support' },
    });
    // The purl had no version; the component's version completes it.
    expect(get(result, 'pkg:github/wolfssl/wolfssl@4.8.1')).toMatchObject({
      ecosystem: 'generic',
      name: 'wolfssl/wolfssl',
      supplier: 'wolfSSL',
      supportLevel: 'Actively maintained',
      endOfSupport: 'Open source',
    });
    // Property names are matched case-insensitively.
    expect(get(result, 'pkg:generic/fatFS@0.13c')).toMatchObject({
      supportLevel: 'Community',
      endOfSupport: '2027-12-31',
    });
    expect(result.components).toHaveLength(4);
    expect(result.problems).toEqual([
      {
        severity: 'warning',
        message:
          'Qualcomm Atheros QCA9563 has no version, so it is not imported (IEC 62304 8.1.2 c needs the exact version)',
        hint: 'Add the version to the SBOM, or record this SOUP item by hand.',
        line: 37,
      },
      {
        severity: 'warning',
        message: 'fatFS@0.13c has no purl, so it cannot be matched against advisories',
        hint: 'Regenerate the SBOM with a tool that writes package URLs, or add the purl by hand.',
        line: 97,
      },
    ]);
  });

  it('1.6: the product dependsOn gives direct, nested components, excluded subtrees skipped, optional kept', () => {
    const result = read(cyclonedxJsonReader, 'companion-1.6.cdx.json');
    expect(result.format).toBe('CycloneDX 1.6 JSON');
    expect(purls(result)).toEqual([
      'pkg:golang/github.com/google/uuid@v1.6.0',
      'pkg:npm/%40acme/ui-kit@1.2.0',
      'pkg:npm/body-parser@1.20.2',
      'pkg:npm/express@4.19.2',
      'pkg:npm/fsevents@2.3.3',
      'pkg:npm/lodash@4.17.21',
    ]);
    expect(get(result, 'pkg:npm/express@4.19.2')).toEqual({
      ecosystem: 'npm',
      name: 'express',
      version: '4.19.2',
      purl: 'pkg:npm/express@4.19.2',
      scope: 'direct',
      development: false,
      dependsOn: ['pkg:npm/body-parser@1.20.2'],
      supplier: 'OpenJS Foundation',
      license: 'MIT',
      description: 'Fast, unopinionated, minimalist web framework',
      website: 'http://expressjs.com/',
      hashes: [
        {
          alg: 'SHA-512',
          content:
            '5464a5e1a2a2a6a2b5e8c1b3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607',
        },
      ],
      line: 26,
      // cdx:fda:* wins over the informal "Level of Support".
      supportLevel: 'actively maintained',
      endOfSupport: '2027-04-01',
      supportFrom: {
        kind: 'property',
        supportLevel: 'cdx:fda:level-of-support',
        endOfSupport: 'cdx:fda:end-of-support-date',
      },
    });
    expect(get(result, 'pkg:npm/body-parser@1.20.2')).toMatchObject({
      scope: 'transitive',
      endOfSupport: '2026-12-31',
    });
    expect(get(result, 'pkg:npm/%40acme/ui-kit@1.2.0')).toMatchObject({
      name: '@acme/ui-kit',
      supplier: 'ACME Medical GmbH',
      license: 'Apache-2.0 OR MIT',
      dependsOn: ['pkg:npm/lodash@4.17.21'],
    });
    expect(get(result, 'pkg:npm/lodash@4.17.21')).toMatchObject({
      scope: 'transitive',
      supplier: 'John-David Dalton',
    });
    expect(get(result, 'pkg:golang/github.com/google/uuid@v1.6.0')).toMatchObject({
      version: '1.6.0',
      scope: 'direct',
    });
    const withDev = read(cyclonedxJsonReader, 'companion-1.6.cdx.json', { includeDev: true });
    expect(get(withDev, 'pkg:npm/jest@29.7.0')).toMatchObject({ development: true, scope: 'direct' });
    expect(purls(withDev).filter((p) => p.includes('typescript'))).toEqual([]);
    expect(result.problems).toEqual([]);
  });

  it('spec versions: 1.2/1.3 with a note, others refused; not CycloneDX or not JSON is an error', () => {
    const bom = (spec: string) =>
      JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: spec,
        components: [{ name: 'x', version: '1', purl: 'pkg:npm/x@1' }],
      });
    const old = cyclonedxJsonReader.read(bom('1.3'));
    expect(purls(old)).toEqual(['pkg:npm/x@1']);
    expect(old.problems[0]?.severity).toBe('info');
    for (const spec of ['1.1', '1.7', '2.0']) {
      const refused = cyclonedxJsonReader.read(bom(spec));
      expect(refused.components).toEqual([]);
      expect(messages(refused)).toEqual([
        `error: CycloneDX JSON spec version ${spec} is not supported (supported: 1.4, 1.5, 1.6; 1.2 and 1.3 read with a note)`,
      ]);
    }
    expect(messages(cyclonedxJsonReader.read('{"spdxVersion": "SPDX-2.3"}'))).toEqual([
      'error: not a CycloneDX SBOM: "bomFormat": "CycloneDX" is missing',
    ]);
    const broken = cyclonedxJsonReader.read(
      '{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.6"\n  "components": []\n}',
    );
    expect(broken.problems[0]).toMatchObject({ severity: 'error', line: 4 });
  });
});

describe('CycloneDX XML', () => {
  it('1.5: same model as JSON; attributes, hashes, support properties and entity references', () => {
    const result = read(cyclonedxXmlReader, 'gateway-1.5.cdx.xml');
    expect(result.format).toBe('CycloneDX 1.5 XML');
    const databind = 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.1?type=jar';
    expect(get(result, databind)).toEqual({
      ecosystem: 'Maven',
      name: 'com.fasterxml.jackson.core:jackson-databind',
      version: '2.17.1',
      purl: databind,
      scope: 'direct',
      development: false,
      dependsOn: ['pkg:maven/com.fasterxml.jackson.core/jackson-core@2.17.1?type=jar'],
      supplier: 'FasterXML',
      license: 'Apache-2.0',
      description: 'General data-binding functionality for Jackson: works on core streaming API',
      website: 'https://github.com/FasterXML/jackson',
      hashes: [
        { alg: 'MD5', content: '6e1b9a2f7c2d2e5a2b4b1f3c9d8e7a60' },
        { alg: 'SHA-1', content: '0524dcbcccdde7d45a679dfc333e4763feb09079' },
        { alg: 'SHA-256', content: 'e0f4a2b8c1d3e5f7091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70' },
      ],
      line: 22,
      supportLevel: 'actively maintained',
      endOfSupport: '2028-06-30',
      supportFrom: {
        kind: 'property',
        supportLevel: 'cdx:fda:level-of-support',
        endOfSupport: 'cdx:fda:end-of-support-date',
      },
    });
    expect(get(result, 'pkg:maven/com.fasterxml.jackson.core/jackson-core@2.17.1?type=jar')).toMatchObject({
      scope: 'transitive',
      license: 'Apache-2.0',
    });
    expect(get(result, 'pkg:maven/io.netty/netty-handler@4.1.110.Final?type=jar')).toMatchObject({
      supplier: 'The Netty Project Contributors',
      supportLevel: 'Actively maintained',
      endOfSupport: 'Open source',
    });
    expect(get(result, 'pkg:generic/pressure-sensor-firmware@7.2.0')).toMatchObject({
      scope: 'direct',
      supplier: 'Acme Sensors & Co.',
      description: 'Occlusion pressure sensor firmware \u2014 vendor binary',
    });
    expect(purls(result).some((p) => p.includes('junit'))).toBe(false);
    expect(messages(result)).toEqual([
      'warning: pressure-sensor-firmware@7.2.0 has no purl, so it cannot be matched against advisories',
    ]);
  });

  it('refuses unknown spec versions and non-CycloneDX XML', () => {
    const refused = cyclonedxXmlReader.read(
      '<bom xmlns="http://cyclonedx.org/schema/bom/1.1"><components/></bom>',
    );
    expect(messages(refused)).toEqual([
      'error: CycloneDX XML spec version 1.1 is not supported (supported: 1.4, 1.5, 1.6; 1.2 and 1.3 read with a note)',
    ]);
    expect(messages(cyclonedxXmlReader.read('<project/>'))).toEqual([
      'error: not a CycloneDX SBOM: there is no <bom> root element',
    ]);
  });
});

describe('XML safety', () => {
  const xxe = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE bom [
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5">
  <components>
    <component type="library"><name>&xxe;</name><version>1.0</version><purl>pkg:npm/x@1.0</purl></component>
  </components>
</bom>`;
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<project><modelVersion>4.0.0</modelVersion><name>&lol9;</name></project>`;

  it('an external entity (XXE) is refused before parsing, with a clear message and the line', () => {
    const parsed = parseXmlSafely(xxe);
    expect(parsed).toEqual({
      ok: false,
      message:
        'the document declares XML entities in its DOCTYPE (<!ENTITY …>); entity declarations are refused because they allow external entity (XXE) reads and entity-expansion ("billion laughs") attacks',
      line: 3,
    });
    const result = cyclonedxXmlReader.read(xxe);
    expect(result.components).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ severity: 'error', line: 3 });
    expect(result.problems[0]?.message).toContain('external entity (XXE)');
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it('a billion-laughs document is refused without expanding anything', () => {
    const started = performance.now();
    const result = mavenPomReader.read(billionLaughs);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.components).toEqual([]);
    expect(result.problems[0]).toMatchObject({ severity: 'error', line: 3 });
    expect(result.problems[0]?.message).toMatch(/^pom\.xml could not be read: .*billion laughs/);
    expect(JSON.stringify(result)).not.toContain('lollol');
  });

  it('malformed XML reports the line', () => {
    const parsed = parseXmlSafely(
      '<project>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>',
    );
    expect(parsed.ok).toBe(false);
    expect(parsed).toMatchObject({ line: 4 });
    const result = mavenPomReader.read('<project>\n<dependencies>\n</project>');
    expect(result.problems[0]).toMatchObject({ severity: 'error', line: 3 });
    expect(result.problems[0]?.message).toMatch(/^pom\.xml could not be read: the XML is not well-formed/);
  });

  it('decodes only the predefined entities and character references, each once; values stay strings', () => {
    const parsed = parseXmlSafely(
      '<a v="1&amp;2"><b>&lt;&#65;&#x42;&gt; &amp;#65; &copy; &unknown;</b><c>1.10</c><__proto__><x>1</x></__proto__><constructor>c</constructor></a>',
    );
    if (!parsed.ok) throw new Error(parsed.message);
    const a = xmlChild(parsed.document, 'a');
    expect(xmlText(a, 'b')).toBe('<AB> &#65; &copy; &unknown;');
    expect(xmlText(a, 'c')).toBe('1.10');
    expect(a['@_v']).toBe('1&2');
    expect(xmlText(xmlChild(a, '#__proto__'), 'x')).toBe('1');
    expect(xmlText(a, '#constructor')).toBe('c');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(parsed.lineOf(a)).toBe(1);
  });
});

describe('SPDX JSON', () => {
  it('2.3: DESCRIBES is the product; DEPENDS_ON/DEPENDENCY_OF/CONTAINS give scope; DEV/BUILD dependencies are development', () => {
    const result = read(spdxJsonReader, 'companion.spdx.json');
    expect(result.format).toBe('SPDX-2.3 JSON');
    expect(purls(result)).toEqual([
      'pkg:generic/micro-ecc@1.1',
      'pkg:npm/body-parser@1.20.2',
      'pkg:npm/express@4.19.2',
    ]);
    expect(get(result, 'pkg:npm/express@4.19.2')).toEqual({
      ecosystem: 'npm',
      name: 'express',
      version: '4.19.2',
      purl: 'pkg:npm/express@4.19.2',
      scope: 'direct',
      development: false,
      dependsOn: ['pkg:npm/body-parser@1.20.2'],
      supplier: 'OpenJS Foundation',
      license: 'MIT',
      website: 'http://expressjs.com/',
      // ADLER32 has no CycloneDX algorithm name and is dropped.
      hashes: [
        { alg: 'SHA-1', content: 'a4c50f0d4e44a2b1b16f4eed1c3b5bb7e44a3d9f' },
        {
          alg: 'SHA-512',
          content:
            '5464a5e1a2a2a6a2b5e8c1b3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607',
        },
      ],
      line: 30,
      endOfSupport: '2027-04-01',
      supportFrom: { kind: 'field', endOfSupport: 'validUntilDate' },
    });
    // licenseConcluded NOASSERTION falls back to licenseDeclared; supplier NOASSERTION is no supplier.
    const bodyParser = get(result, 'pkg:npm/body-parser@1.20.2');
    expect(bodyParser).toMatchObject({ scope: 'transitive', license: 'MIT' });
    expect(bodyParser.supplier).toBeUndefined();
    expect(get(result, 'pkg:generic/micro-ecc@1.1')).toMatchObject({
      scope: 'direct',
      supplier: 'Kenneth MacKay',
    });
    const withDev = read(spdxJsonReader, 'companion.spdx.json', { includeDev: true });
    expect(withDev.components.filter((c) => c.development).map((c) => [c.name, c.scope, c.supplier])).toEqual(
      [
        ['eslint', 'direct', undefined],
        ['jest', 'direct', 'Christoph Nakazawa'],
      ],
    );
    expect(messages(result)).toEqual([
      'warning: micro-ecc@1.1 has no purl external reference, so it cannot be matched against advisories',
      'warning: no-version-blob has no versionInfo, so it is not imported (IEC 62304 8.1.2 c needs the exact version)',
    ]);
  });

  it('2.2 is read; 3.0 and unknown versions are refused; no relationships means unknown scope', () => {
    const doc = (version: string) =>
      JSON.stringify({
        spdxVersion: version,
        SPDXID: 'SPDXRef-DOCUMENT',
        packages: [
          {
            SPDXID: 'SPDXRef-a',
            name: 'a',
            versionInfo: '1.0',
            externalRefs: [{ referenceType: 'purl', referenceLocator: 'pkg:pypi/A@1.0' }],
          },
        ],
      });
    const v22 = spdxJsonReader.read(doc('SPDX-2.2'));
    expect(v22.format).toBe('SPDX-2.2 JSON');
    expect(v22.components).toMatchObject([
      { ecosystem: 'PyPI', name: 'a', purl: 'pkg:pypi/A@1.0', scope: 'unknown' },
    ]);
    expect(messages(spdxJsonReader.read(doc('SPDX-3.0')))).toEqual([
      'error: SPDX version SPDX-3.0 is not supported (supported: SPDX-2.3 and SPDX-2.2 JSON)',
    ]);
  });
});

describe('every reader', () => {
  it('detects its own files', () => {
    const detected = (name: string, head = '') =>
      ALL_READERS.filter((r) => r.detect(name, head)).map((r) => r.id);
    expect(detected('Cargo.lock')).toEqual(['cargo-lock']);
    expect(detected('go.mod')).toEqual(['go-mod']);
    expect(detected('go.sum')).toEqual(['go-sum']);
    expect(detected('pom.xml', fixture('pom.xml'))).toEqual(['maven-pom']);
    expect(detected('gradle.lockfile')).toEqual(['gradle-lockfile']);
    expect(detected('buildscript-gradle.lockfile')).toEqual(['gradle-lockfile']);
    expect(detected('conan.lock')).toEqual(['conan-lock']);
    expect(detected('vcpkg.json', fixture('vcpkg.json'))).toEqual(['vcpkg-json']);
    expect(detected('sbom.json', fixture('device-sbom-1.4.cdx.json').slice(0, 4096))).toEqual([
      'cyclonedx-json',
    ]);
    expect(detected('bom.json', fixture('companion-1.6.cdx.json').slice(0, 4096))).toEqual([
      'cyclonedx-json',
    ]);
    expect(detected('bom.xml', fixture('gateway-1.5.cdx.xml').slice(0, 4096))).toEqual(['cyclonedx-xml']);
    expect(detected('sbom.json', fixture('companion.spdx.json').slice(0, 4096))).toEqual(['spdx-json']);
    expect(detected('package.json', '{"name": "x", "dependencies": {}}')).toEqual([]);
  });

  it('never throws on arbitrary text or damaged real files, and always returns a well-formed result', () => {
    const fixtures = fs.readdirSync(FIXTURES).map(fixture);
    const damaged = fc
      .tuple(fc.constantFrom(...fixtures), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 40 }))
      .map(([text, a, b, insert]) => {
        const from = a % (text.length + 1);
        return text.slice(0, from) + insert + text.slice(from + (b % 200));
      });
    const input = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.json(), damaged);
    fc.assert(
      fc.property(input, fc.constantFrom(...ALL_READERS), fc.boolean(), (text, reader, includeDev) => {
        const result = reader.read(text, { includeDev });
        expect(typeof result.format).toBe('string');
        for (const c of result.components) {
          expect(c.version).not.toBe('');
          expect(c.purl.startsWith('pkg:')).toBe(true);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('JSON escapes that make unpaired surrogates do not break purl building', () => {
    const bom =
      '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"name":"\\ud800x","version":"1"}]}';
    expect(purls(cyclonedxJsonReader.read(bom))).toEqual(['pkg:generic/%EF%BF%BDx@1']);
  });

  it('__proto__ and constructor keys do not pollute prototypes', () => {
    const cdx = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      components: [
        {
          name: '__proto__',
          version: '1',
          purl: 'pkg:npm/__proto__@1',
          properties: [{ name: '__proto__', value: 'x' }],
        },
      ],
      dependencies: [{ ref: '__proto__', dependsOn: ['constructor'] }],
    }).replace('"components"', '"__proto__":{"polluted":true},"components"');
    const cargo =
      'version = 3\n[[package]]\nname = "__proto__"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n';
    const pom = `<project><properties><__proto__>1</__proto__><constructor>2</constructor></properties><dependencies><dependency><groupId>__proto__</groupId><artifactId>constructor</artifactId><version>\${__proto__}.\${constructor}</version></dependency></dependencies></project>`;
    expect(purls(cyclonedxJsonReader.read(cdx))).toEqual(['pkg:npm/__proto__@1']);
    expect(purls(cargoLockReader.read(cargo))).toEqual(['pkg:cargo/__proto__@1.0.0']);
    expect(purls(mavenPomReader.read(pom))).toEqual(['pkg:maven/__proto__/constructor@1.2']);
    conanLockReader.read(
      '{"version":"0.4","graph_lock":{"nodes":{"__proto__":{"ref":"a/1"},"0":{"requires":["__proto__"]}}}}',
    );
    vcpkgJsonReader.read('{"dependencies":["__proto__"],"overrides":[{"name":"__proto__","version":"1"}]}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'x')).toBe(false);
  });

  it('large inputs are read in linear time', () => {
    const count = 40_000;
    const components = Array.from({ length: count }, (_, i) => ({
      'bom-ref': `c${i}`,
      name: `pkg${i}`,
      version: '1.0.0',
      purl: `pkg:npm/pkg${i}@1.0.0`,
    }));
    const dependencies = [
      { ref: 'app', dependsOn: ['c0'] },
      ...components.map((_, i) => ({ ref: `c${i}`, dependsOn: i + 1 < count ? [`c${i + 1}`] : [] })),
    ];
    const bom = JSON.stringify(
      {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        metadata: { component: { 'bom-ref': 'app', name: 'app' } },
        components,
        dependencies,
      },
      null,
      2,
    );
    const goSum = components.map((_, i) => `example.com/m${i} v1.0.${i} h1:abc=`).join('\n');
    const started = performance.now();
    const result = cyclonedxJsonReader.read(bom);
    expect(goSumReader.read(goSum).components).toHaveLength(count);
    expect(performance.now() - started).toBeLessThan(8000);
    expect(result.components).toHaveLength(count);
    expect(get(result, 'pkg:npm/pkg0@1.0.0')).toMatchObject({
      scope: 'direct',
      dependsOn: ['pkg:npm/pkg1@1.0.0'],
      line: 12,
    });
    expect(get(result, `pkg:npm/pkg${count - 1}@1.0.0`).scope).toBe('transitive');
  });
});
