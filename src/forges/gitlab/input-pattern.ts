/**
 * The `regex` of a component input, derived from the schema the CLI validates that setting with,
 * so that GitLab refuses at include time only what the CLI would refuse at run time and never
 * drifts from it. Every pattern is a necessary condition of its schema: where a check is code
 * (a transform, a range), the pattern keeps only the shape it can prove and the CLI says the rest.
 *
 * The patterns use the syntax GitLab's RE2 and JavaScript (gitlab-ci-local) share: no lookaround,
 * no backreferences, no flags.
 */
import type { ZodTypeAny } from 'zod';
import { commonSchema, deadlineSchema, durationSchema } from '../../core/settings.js';

/** A setting's value may also be a variable GitLab expands when the job runs, e.g. `$CI_MERGE_REQUEST_IID`. */
export const VARIABLE_REFERENCE = String.raw`\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\}`;

/** What `parseDuration` reads: seconds as a bare number, or `90s`, `10m`, `1h30m`, `7d`, `250ms`. */
const DURATION = String.raw`\s*(?:\d+(?:\.\d+)?|(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+)\s*`;
/** What the CLI's whole-number settings read (`--pr`, `--max`): digits, spaces around them allowed. */
const WHOLE_NUMBER = String.raw`\s*\d+\s*`;

/**
 * Schemas whose check is code, by identity: the shape of what that code accepts. The whole-number
 * schema is not exported on its own; `--pr` is one.
 */
const KNOWN_SHAPES = new Map<unknown, string>([
  [durationSchema, DURATION],
  [deadlineSchema, DURATION],
  [(commonSchema.shape.pr as ZodTypeAny & { unwrap(): unknown }).unwrap(), WHOLE_NUMBER],
]);

/** No string passes (a number or boolean schema: environment values are text). */
const NOTHING = Symbol('nothing');
type Shape = string | undefined | typeof NOTHING;

const ANY = String.raw`[\s\S]*`;

function escapeText(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** Top-level alternatives of a regex source (outside groups and classes). */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

function endsWithAnchor(alt: string): boolean {
  if (!alt.endsWith('$')) return false;
  let slashes = 0;
  for (let i = alt.length - 2; i >= 0 && alt[i] === '\\'; i--) slashes++;
  return slashes % 2 === 0;
}

/** A JavaScript regex as an unanchored body with the same meaning for a whole value; undefined when RE2 cannot say it. */
function bodyOfRegex(regex: RegExp): string | undefined {
  if (regex.flags.replace(/[gu]/g, '') !== '') return undefined;
  // Lookaround, backreferences, named groups and JavaScript-only escapes have no RE2 spelling here.
  if (/\(\?<?[=!]|\(\?<[A-Za-z]|\\[1-9]|\\[kcu]/.test(regex.source)) return undefined;
  return alternatives(regex.source)
    .map((alt) => {
      const head = alt.startsWith('^');
      const tail = endsWithAnchor(alt);
      const core = alt.slice(head ? 1 : 0, tail ? -1 : undefined);
      return head && tail ? core : `${head ? '' : ANY}(?:${core})${tail ? '' : ANY}`;
    })
    .join('|');
}

interface StringCheck {
  kind: string;
  value?: unknown;
  regex?: RegExp;
}

/** A string schema's checks run in order; any one of them is a necessary condition, the most telling is kept. */
function shapeOfChecks(checks: StringCheck[]): Shape {
  let trimmed = false;
  let folded = false;
  let best: { rank: number; body: string } | undefined;
  const offer = (rank: number, body: string | undefined) => {
    if (body === undefined || (best && best.rank >= rank)) return;
    best = { rank, body: trimmed ? String.raw`\s*(?:${body})\s*` : body };
  };
  for (const check of checks) {
    if (check.kind === 'trim') trimmed = true;
    else if (check.kind === 'toLowerCase' || check.kind === 'toUpperCase') folded = true;
    else if (folded) continue;
    else if (check.kind === 'regex' && check.regex) offer(3, bodyOfRegex(check.regex));
    else if (check.kind === 'startsWith') offer(2, `${escapeText(String(check.value))}${ANY}`);
    else if (check.kind === 'endsWith') offer(1, `${ANY}${escapeText(String(check.value))}`);
  }
  return best?.body;
}

/** The shape of the text values a schema accepts: a regex body, undefined for "any text", NOTHING for none. */
export function shapeOf(schema: ZodTypeAny): Shape {
  const known = KNOWN_SHAPES.get(schema);
  if (known !== undefined) return known;
  const def = schema._def as { typeName: string } & Record<string, unknown>;
  switch (def.typeName) {
    case 'ZodOptional':
    case 'ZodDefault':
    case 'ZodNullable':
      return shapeOf(def.innerType as ZodTypeAny);
    case 'ZodEffects':
      // A refinement or a transform runs only on what the inner schema accepted.
      return (def.effect as { type: string }).type === 'preprocess' ? undefined : shapeOf(def.schema as ZodTypeAny);
    case 'ZodString':
      return shapeOfChecks(def.checks as StringCheck[]);
    case 'ZodEnum':
      return (def.values as string[]).map(escapeText).join('|');
    case 'ZodLiteral':
      return typeof def.value === 'string' ? escapeText(def.value) : NOTHING;
    case 'ZodNumber':
    case 'ZodBoolean':
      return NOTHING;
    case 'ZodArray': {
      // A list setting from a variable: entries split on commas or newlines.
      const item = shapeOf(def.type as ZodTypeAny);
      return typeof item === 'string' ? listOf(item) : item;
    }
    case 'ZodUnion': {
      const shapes = (def.options as ZodTypeAny[]).map(shapeOf);
      if (shapes.includes(undefined)) return undefined;
      const text = shapes.filter((s): s is string => typeof s === 'string');
      return text.length === 0 ? NOTHING : text.map((s) => `(?:${s})`).join('|');
    }
    default:
      return undefined;
  }
}

/** A list setting's text: entries split on commas or newlines, each trimmed, empty ones dropped. */
function listOf(item: string): string {
  const entry = `(?:${item})`;
  return String.raw`[\s,]*(?:${entry}(?:\s*[,\n][\s,]*${entry})*[\s,]*)?`;
}

/**
 * The `regex` of an input that sets a CLI setting: empty (the setting is left alone), a variable
 * GitLab expands, or a value of the setting's shape. Undefined when the schema takes any text.
 */
export function inputRegex(schema: ZodTypeAny): string | undefined {
  const shape = shapeOf(schema);
  if (shape === undefined || shape === NOTHING) return undefined;
  return `^(?:${shape}|${VARIABLE_REFERENCE})?$`;
}
