/**
 * bcrypt (Provos and Mazières, "A Future-Adaptable Password Scheme", 1999), the one password hash
 * every Caddy 2 release checks in its `http_basic` authentication (scrypt left in 2.8). Node has no
 * bcrypt built in and the project adds no native dependency for one hash, so it is written here.
 *
 * Blowfish's initial P-array and S-boxes are the first 8 336 hexadecimal digits of π's fraction:
 * they are computed once (BigInt, Machin's formula) instead of being pasted in as a table.
 */

const WORDS = 18 + 4 * 256;

let initial: Uint32Array | undefined;

/** ⌊π · 2^bits⌋ − 3 · 2^bits: the fraction of π as a `bits`-bit integer. */
function piFraction(bits: number): bigint {
  const guard = 64;
  const one = 1n << BigInt(bits + guard);
  // arctan(1/x) = Σ (−1)^k / ((2k+1) x^(2k+1))
  const arctanInverse = (x: bigint): bigint => {
    const xx = x * x;
    let power = one / x;
    let sum = power;
    for (let k = 1n; power !== 0n; k++) {
      power /= xx;
      const term = power / (2n * k + 1n);
      sum += k % 2n === 1n ? -term : term;
    }
    return sum;
  };
  const pi = 16n * arctanInverse(5n) - 4n * arctanInverse(239n);
  return (pi >> BigInt(guard)) - (3n << BigInt(bits));
}

function initialState(): Uint32Array {
  if (!initial) {
    const hex = piFraction(WORDS * 32).toString(16).padStart(WORDS * 8, '0');
    initial = new Uint32Array(WORDS);
    for (let i = 0; i < WORDS; i++) initial[i] = Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16);
  }
  return initial;
}

/** Blowfish state: P is words 0-17, the four S-boxes follow, 256 words each. */
class Blowfish {
  readonly s = new Uint32Array(initialState());
  private readonly block = new Uint32Array(2);

  private f(x: number): number {
    const s = this.s;
    return ((((s[18 + (x >>> 24)]! + s[274 + ((x >>> 16) & 0xff)]!) >>> 0) ^ s[530 + ((x >>> 8) & 0xff)]!) + s[786 + (x & 0xff)]!) >>> 0;
  }

  /** Encrypts the 64-bit block (l, r) in place in `this.block`. */
  encrypt(l: number, r: number): Uint32Array {
    const s = this.s;
    for (let i = 0; i < 16; i += 2) {
      l = (l ^ s[i]!) >>> 0;
      r = (r ^ this.f(l)) >>> 0;
      r = (r ^ s[i + 1]!) >>> 0;
      l = (l ^ this.f(r)) >>> 0;
    }
    this.block[0] = (r ^ s[17]!) >>> 0;
    this.block[1] = (l ^ s[16]!) >>> 0;
    return this.block;
  }

  /** The key schedule of eksblowfish: the key cycled into P, then every word re-made by encryption, salt mixed in. */
  expand(key: Uint8Array, salt: Uint8Array | undefined): void {
    const s = this.s;
    let k = 0;
    const keyWord = () => {
      let w = 0;
      for (let i = 0; i < 4; i++) {
        w = ((w << 8) | key[k]!) >>> 0;
        k = (k + 1) % key.length;
      }
      return w;
    };
    for (let i = 0; i < 18; i++) s[i] = (s[i]! ^ keyWord()) >>> 0;
    let j = 0;
    const saltWord = () => {
      const w = ((salt![j]! << 24) | (salt![j + 1]! << 16) | (salt![j + 2]! << 8) | salt![j + 3]!) >>> 0;
      j = (j + 4) % salt!.length;
      return w;
    };
    let l = 0;
    let r = 0;
    for (let i = 0; i < WORDS; i += 2) {
      if (salt) {
        l = (l ^ saltWord()) >>> 0;
        r = (r ^ saltWord()) >>> 0;
      }
      const out = this.encrypt(l, r);
      l = out[0]!;
      r = out[1]!;
      s[i] = l;
      s[i + 1] = r;
    }
  }
}

const ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** bcrypt's own base64: its alphabet, no padding. */
export function bcryptBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    out += ALPHABET[b0 >> 2]! + ALPHABET[((b0 & 3) << 4) | ((b1 ?? 0) >> 4)]!;
    if (b1 === undefined) break;
    out += ALPHABET[((b1 & 15) << 2) | ((b2 ?? 0) >> 6)]!;
    if (b2 === undefined) break;
    out += ALPHABET[b2 & 63]!;
  }
  return out;
}

/** Passwords longer than this are cut by bcrypt (the key fills the 18 words of P once). */
export const BCRYPT_MAX_BYTES = 72;

/**
 * `$2a$<cost>$<salt><hash>` for `password` with this 16-byte salt. Cost is log2 of the rounds;
 * the password is used with its terminating NUL, as every C-compatible bcrypt does.
 */
export function bcryptHash(password: Uint8Array, salt: Uint8Array, cost: number): string {
  if (salt.length !== 16) throw new Error('bcrypt: the salt must be 16 bytes');
  if (!Number.isInteger(cost) || cost < 4 || cost > 31) throw new Error('bcrypt: the cost must be an integer from 4 to 31');
  const key = new Uint8Array(Math.min(password.length, BCRYPT_MAX_BYTES) + 1);
  key.set(password.subarray(0, BCRYPT_MAX_BYTES));
  const state = new Blowfish();
  state.expand(key, salt);
  for (let round = 0; round < 2 ** cost; round++) {
    state.expand(key, undefined);
    state.expand(salt, undefined);
  }
  // "OrpheanBeholderScryDoubt", as six big-endian words, encrypted 64 times.
  const text = new Uint32Array([0x4f727068, 0x65616e42, 0x65686f6c, 0x64657253, 0x63727944, 0x6f756274]);
  for (let i = 0; i < 64; i++) {
    for (let b = 0; b < 6; b += 2) {
      const out = state.encrypt(text[b]!, text[b + 1]!);
      text[b] = out[0]!;
      text[b + 1] = out[1]!;
    }
  }
  const bytes = new Uint8Array(24);
  for (let i = 0; i < 6; i++) {
    bytes[i * 4] = text[i]! >>> 24;
    bytes[i * 4 + 1] = (text[i]! >>> 16) & 0xff;
    bytes[i * 4 + 2] = (text[i]! >>> 8) & 0xff;
    bytes[i * 4 + 3] = text[i]! & 0xff;
  }
  return `$2a$${String(cost).padStart(2, '0')}$${bcryptBase64(salt)}${bcryptBase64(bytes.subarray(0, 23))}`;
}
