/**
 * Package URLs (purl-spec, ECMA-427) for SOUP identity, and the mapping between purl types and
 * OSV ecosystems. Matching is by purl, never by CPE or bare name: name-only matching is the
 * largest source of false positives in other scanners (grype#932, #934).
 */

export interface Purl {
  readonly type: string;
  readonly namespace?: string;
  readonly name: string;
  readonly version?: string;
  readonly qualifiers?: Readonly<Record<string, string>>;
  readonly subpath?: string;
}

/** purl type ↔ OSV ecosystem, for the ecosystems that advisories exist for. */
const TYPE_TO_ECOSYSTEM: Readonly<Record<string, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  cargo: 'crates.io',
  golang: 'Go',
  maven: 'Maven',
  gem: 'RubyGems',
  nuget: 'NuGet',
  deb: 'Debian',
  composer: 'Packagist',
  conan: 'ConanCenter',
  pub: 'Pub',
  hex: 'Hex',
  swift: 'SwiftURL',
};
const ECOSYSTEM_TO_TYPE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(TYPE_TO_ECOSYSTEM).map(([type, ecosystem]) => [ecosystem, type]),
);

/** Percent-encodes a purl component: everything except unreserved characters (purl-spec). */
function encode(part: string, keepSlash = false): string {
  const encoded = encodeURIComponent(part).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

export function formatPurl(purl: Purl): string {
  let out = `pkg:${purl.type.toLowerCase()}/`;
  if (purl.namespace) {
    out += `${purl.namespace
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => encode(s))
      .join('/')}/`;
  }
  out += encode(purl.name);
  if (purl.version !== undefined && purl.version !== '') out += `@${encode(purl.version)}`;
  const qualifiers = Object.entries(purl.qualifiers ?? {})
    .filter(([, v]) => v !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (qualifiers.length > 0)
    out += `?${qualifiers.map(([k, v]) => `${k.toLowerCase()}=${encode(v, true)}`).join('&')}`;
  if (purl.subpath)
    out += `#${purl.subpath
      .split('/')
      .map((s) => encode(s))
      .join('/')}`;
  return out;
}

export class PurlError extends Error {}

export function parsePurl(text: string): Purl {
  const trimmed = text.trim();
  if (!/^pkg:/i.test(trimmed))
    throw new PurlError(`"${text}" is not a package URL: it must start with "pkg:"`);
  let rest = trimmed.slice(4).replace(/^\/+/, '');
  let subpath: string | undefined;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = rest
      .slice(hash + 1)
      .split('/')
      .filter((s) => s && s !== '.' && s !== '..')
      .map(decodeURIComponent)
      .join('/');
    rest = rest.slice(0, hash);
  }
  let qualifiers: Record<string, string> | undefined;
  const question = rest.indexOf('?');
  if (question >= 0) {
    qualifiers = {};
    for (const pair of rest.slice(question + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const value = decodeURIComponent(pair.slice(eq + 1));
      if (value) qualifiers[pair.slice(0, eq).toLowerCase()] = value;
    }
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf('/');
  if (slash <= 0)
    throw new PurlError(`"${text}" has no package type and name (expected pkg:type/name@version)`);
  const type = rest.slice(0, slash).toLowerCase();
  let path = rest.slice(slash + 1);
  let version: string | undefined;
  const at = path.lastIndexOf('@');
  if (at >= 0) {
    version = decodeURIComponent(path.slice(at + 1));
    path = path.slice(0, at);
  }
  const segments = path
    .split('/')
    .filter((s) => s.length > 0)
    .map(decodeURIComponent);
  const name = segments.pop();
  if (!name) throw new PurlError(`"${text}" has no package name`);
  return {
    type,
    ...(segments.length > 0 ? { namespace: segments.join('/') } : {}),
    name,
    ...(version ? { version } : {}),
    ...(qualifiers && Object.keys(qualifiers).length > 0 ? { qualifiers } : {}),
    ...(subpath ? { subpath } : {}),
  };
}

/** PEP 503 normalisation: PyPI names compare case-insensitively with runs of `-_.` folded. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** The OSV ecosystem and package name a purl refers to, or undefined when OSV has no such ecosystem. */
export function osvPackageOf(purl: Purl): { ecosystem: string; name: string } | undefined {
  const ecosystem = TYPE_TO_ECOSYSTEM[purl.type];
  if (!ecosystem) return undefined;
  switch (purl.type) {
    case 'maven':
      return purl.namespace ? { ecosystem, name: `${purl.namespace}:${purl.name}` } : undefined;
    case 'pypi':
      return { ecosystem, name: normalizePypiName(purl.name) };
    case 'npm':
    case 'golang':
    case 'composer':
      return { ecosystem, name: purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name };
    default:
      return { ecosystem, name: purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name };
  }
}

/** Builds the purl of an OSV-ecosystem package (the inverse of {@link osvPackageOf}). */
export function purlFor(
  ecosystem: string,
  name: string,
  version?: string,
  qualifiers?: Record<string, string>,
): string {
  const type = ECOSYSTEM_TO_TYPE[ecosystem] ?? 'generic';
  let namespace: string | undefined;
  let base = name;
  if (type === 'maven') {
    const colon = name.indexOf(':');
    if (colon > 0) {
      namespace = name.slice(0, colon);
      base = name.slice(colon + 1);
    }
  } else if (type === 'pypi') {
    base = normalizePypiName(name);
  } else {
    const slash = name.lastIndexOf('/');
    if (slash > 0) {
      namespace = name.slice(0, slash);
      base = name.slice(slash + 1);
    }
  }
  return formatPurl({
    type,
    ...(namespace ? { namespace } : {}),
    name: base,
    ...(version !== undefined ? { version } : {}),
    ...(qualifiers ? { qualifiers } : {}),
  });
}

/** A purl without its version: the identity a SOUP record keeps across upgrades. */
export function purlIdentity(text: string): string {
  const { version: _version, ...rest } = parsePurl(text);
  return formatPurl(rest);
}
