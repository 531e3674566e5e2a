/**
 * Classifies a SOUP record's licence text for the SBOM writers. The record field is meant to hold
 * an SPDX expression, but people write "Proprietary, see supply contract" too, and both formats
 * reject free text in their SPDX fields. Ids are checked against the SPDX licence list
 * (`spdx-license-ids`), so an id-shaped word that is not on it (e.g. `Proprietary`) becomes a name,
 * which both formats accept, instead of an id that fails the CycloneDX schema.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const LICENSE_IDS: ReadonlySet<string> = new Set([
  ...(require('spdx-license-ids') as string[]),
  ...(require('spdx-license-ids/deprecated') as string[]),
]);
const EXCEPTION_OR_REF = /^(LicenseRef|DocumentRef)-|-exception$|^Classpath-exception/i;
const isListed = (token: string) => LICENSE_IDS.has(token.replace(/\+$/, '')) || EXCEPTION_OR_REF.test(token);

export type LicenseKind =
  /** A single SPDX licence id such as `MIT`. */
  | { readonly kind: 'id'; readonly id: string }
  /** A compound SPDX expression (AND / OR / WITH / parentheses) or a single LicenseRef. */
  | { readonly kind: 'expression'; readonly expression: string }
  /** Anything else: a licence name or note, not usable as an SPDX expression. */
  | { readonly kind: 'name'; readonly name: string };

const ID = /^[A-Za-z0-9.+-]+$/;
const OPERATORS = new Set(['AND', 'OR', 'WITH']);

function tokens(expression: string): string[] {
  return expression
    .replace(/[()]/g, ' $& ')
    .split(/\s+/)
    .filter((t) => t.length > 0);
}

/** True when every token is an id, an operator or a parenthesis, operators between operands. */
function isExpression(text: string): boolean {
  let depth = 0;
  let expectOperand = true;
  for (const token of tokens(text)) {
    if (token === '(') {
      if (!expectOperand) return false;
      depth++;
    } else if (token === ')') {
      if (expectOperand || depth === 0) return false;
      depth--;
    } else if (OPERATORS.has(token)) {
      if (expectOperand) return false;
      expectOperand = true;
    } else if (ID.test(token) && isListed(token)) {
      if (!expectOperand) return false;
      expectOperand = false;
    } else {
      return false;
    }
  }
  return depth === 0 && !expectOperand;
}

export function classifyLicense(text: string): LicenseKind {
  const trimmed = text.trim();
  if (ID.test(trimmed)) {
    // A LicenseRef is a valid one-term expression but not an id on the SPDX licence list.
    if (/^(LicenseRef|DocumentRef)-/.test(trimmed)) return { kind: 'expression', expression: trimmed };
    if (LICENSE_IDS.has(trimmed)) return { kind: 'id', id: trimmed };
    return { kind: 'name', name: trimmed };
  }
  if (isExpression(trimmed)) return { kind: 'expression', expression: trimmed.replace(/\s+/g, ' ') };
  return { kind: 'name', name: trimmed };
}

/** The `LicenseRef-…` terms of an SPDX expression (SPDX 2.3 wants each defined in the document). */
export function licenseRefs(expression: string): string[] {
  return tokens(expression).filter((t) => t.startsWith('LicenseRef-'));
}
